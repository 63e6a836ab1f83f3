"""The plan's comments: pinned to a version, replied to once, corrected for a while,
reported, moderated and answered ("you said, we did"); voices gathered offline; which
beneficiaries took part in a check-in."""

from __future__ import annotations

import contextlib
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from beneficiaries import services
from beneficiaries.events import Action
from beneficiaries.models import (
    CheckInAttendance,
    Comment,
    CommentAnswer,
    CommentReport,
)
from core.events import describe
from core.models import Event
from partnerships import services as partnership_services
from partnerships.models import CheckIn, Participant, PlanSection, PlanVersion
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _plan(world: World, *sections: tuple[str, str, str]) -> PlanVersion:
    return partnership_services.plan_publish(
        actor=world.city_staff,
        partnership=world.partnership,
        sections=list(sections) or [("Why", "Older neighbours eat alone.", "People eat alone.")],
    )


def _section(version: PlanVersion, order: int = 1) -> PlanSection:
    return version.sections.get(order=order)


def _post(world: World, section: PlanSection, body: str = "More Tuesdays, please.") -> Comment:
    return services.comment_post(actor=world.beneficiary, section=section, body=body)


def _reporters(world: World, count: int, start: int = 0) -> list:
    people = []
    for i in range(start, start + count):
        person = f.UserFactory(email=f"neighbour{i}@example.net")
        Participant.objects.create(partnership=world.partnership, user=person)
        people.append(person)
    return people


# --- The plan's summary ---------------------------------------------------------------


def test_a_plan_section_keeps_its_one_line_summary(world: World) -> None:
    version = _plan(world, ("Why", "A long text.", "In one line."), ("How", "Shared lunches", ""))

    assert [s.summary for s in version.sections.all()] == ["In one line.", ""]


def test_the_plan_edit_form_sets_the_summary(world: World, client_as) -> None:
    data = {
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-0-heading": "Why",
        "sections-0-summary": "Nobody should eat alone.",
        "sections-0-body": "Older neighbours eat alone.",
        "expected_version": "0",
        "note": "",
    }
    url = reverse("partnerships:plan_publish", args=[world.partnership.pk])

    assert client_as("city_staff").post(url, data).status_code == 302
    assert PlanSection.objects.get().summary == "Nobody should eat alone."


# --- Posting, pinned to the version ------------------------------------------------------


def test_a_comment_is_pinned_to_the_version_it_was_written_on(world: World, client_as) -> None:
    v1 = _plan(world)
    comment = _post(world, _section(v1))
    v2 = _plan(world, ("Why", "Older neighbours are lonely.", "Loneliness."))

    page = client_as("beneficiary").get(
        reverse("beneficiaries:section", args=[world.partnership.pk, _section(v2).pk])
    )

    assert comment.section.version == v1
    html = page.content.decode()
    assert "More Tuesdays, please." in html
    assert "Written on earlier text (version 1)" in html
    event = Event.objects.get(action=Action.COMMENT_POSTED)
    assert event.data == {
        "comment": comment.pk,
        "section": comment.section_id,
        "plan_version": v1.pk,
        "plan_version_number": 1,
        "author": world.beneficiary.pk,
        "parent": None,
    }


def test_nobody_comments_on_an_earlier_version(world: World) -> None:
    v1 = _plan(world)
    _plan(world, ("Why", "New text.", ""))

    with pytest.raises(ValidationError, match="earlier version"):
        _post(world, _section(v1))


def test_people_outside_the_partnership_cannot_comment(world: World) -> None:
    section = _section(_plan(world))

    with pytest.raises(PermissionDenied):
        services.comment_post(actor=world.other_city_staff, section=section, body="Hi")


def test_replies_go_one_level_deep(world: World) -> None:
    section = _section(_plan(world))
    comment = _post(world, section)
    reply = services.comment_post(
        actor=world.entrepreneur, section=section, body="Good idea.", parent=comment
    )

    with pytest.raises(ValidationError, match="one level deep"):
        services.comment_post(actor=world.beneficiary, section=section, body="x", parent=reply)
    assert list(comment.replies.all()) == [reply]


def test_what_people_write_is_escaped_everywhere(world: World, client_as) -> None:
    section = _section(_plan(world))
    _post(world, section, "<script>alert(1)</script>")

    for name, args in [
        ("beneficiaries:section", [world.partnership.pk, section.pk]),
        ("beneficiaries:my_comments", [world.partnership.pk]),
    ]:
        html = client_as("beneficiary").get(reverse(name, args=args)).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_author_may_correct_a_comment_for_fifteen_minutes_only(world: World) -> None:
    section = _section(_plan(world))
    comment = _post(world, section)

    services.comment_edit(actor=world.beneficiary, comment=comment, body="Fridays too.")
    comment.refresh_from_db()
    assert (comment.body, comment.version) == ("Fridays too.", 2)
    later = comment.created_at + timedelta(minutes=15, seconds=1)
    with pytest.raises(ValidationError, match="15 minutes"):
        services.comment_edit(actor=world.beneficiary, comment=comment, body="No.", at=later)
    with pytest.raises(ValidationError):
        services.comment_edit(actor=world.city_staff, comment=comment, body="Not mine.")


def test_a_comment_whose_author_left_reads_as_a_former_participant(world: World, client_as) -> None:
    section = _section(_plan(world))
    comment = _post(world, section)
    Comment.objects.filter(pk=comment.pk).update(author=None)

    html = (
        client_as("entrepreneur")
        .get(reverse("beneficiaries:section", args=[world.partnership.pk, section.pk]))
        .content.decode()
    )

    assert "A former participant" in html


# --- Reporting and moderating ----------------------------------------------------------------


def test_each_person_reports_a_comment_once(world: World) -> None:
    comment = _post(world, _section(_plan(world)))
    services.comment_report(actor=world.entrepreneur, comment=comment, reason="spam")

    with pytest.raises(ValidationError, match="already reported"):
        services.comment_report(actor=world.entrepreneur, comment=comment, reason="other")
    with pytest.raises(ValidationError, match="your own"):
        services.comment_report(actor=world.beneficiary, comment=comment, reason="spam")
    comment.refresh_from_db()
    assert comment.report_count == 1 and not comment.is_hidden


def test_three_reporters_hide_a_comment_until_a_moderator_decides(world: World) -> None:
    comment = _post(world, _section(_plan(world)))
    first, second, third = _reporters(world, 3)
    services.comment_report(actor=first, comment=comment, reason="offensive")
    services.comment_report(actor=second, comment=comment, reason="spam")
    comment.refresh_from_db()
    assert not comment.is_hidden

    services.comment_report(actor=third, comment=comment, reason="personal_data")

    comment.refresh_from_db()
    assert comment.is_hidden and comment.report_count == 3
    hidden = Event.objects.get(action=Action.COMMENT_HIDDEN)
    assert hidden.actor is None and hidden.data["by_reports"] is True and hidden.private

    restored = services.comment_moderate(
        actor=world.entrepreneur, comment=comment, decision="restore", reason="Fair criticism."
    )
    assert not restored.is_hidden
    assert CommentReport.objects.filter(comment=comment).count() == 3
    event = Event.objects.get(action=Action.COMMENT_RESTORED)
    assert (event.actor, event.data["reason"]) == (world.entrepreneur, "Fair criticism.")
    # A moderator decided: a fourth report keeps it shown, and counts.
    (fourth,) = _reporters(world, 1, start=3)
    services.comment_report(actor=fourth, comment=comment, reason="spam")
    comment.refresh_from_db()
    assert comment.report_count == 4 and not comment.is_hidden


def test_only_moderators_hide_and_restore(world: World) -> None:
    comment = _post(world, _section(_plan(world)))
    for person in (world.beneficiary, world.other_city_staff):
        with pytest.raises(PermissionDenied):
            services.comment_moderate(actor=person, comment=comment, decision="hide", reason="No.")
    services.comment_moderate(
        actor=world.city_staff, comment=comment, decision="hide", reason="A phone number."
    )
    event = Event.objects.get(action=Action.COMMENT_HIDDEN)
    assert (event.actor, event.data["reason"]) == (world.city_staff, "A phone number.")


def test_a_partner_that_does_not_lead_is_no_moderator(world: World) -> None:
    from beneficiaries.permissions import can_moderate

    other_partner = f.OrganizationFactory()
    member = f.UserFactory()
    f.MembershipFactory(user=member, organization=other_partner)
    f.PartnerFactory(partnership=world.partnership, organization=other_partner, status="accepted")

    assert not can_moderate(member, world.partnership)
    assert can_moderate(world.entrepreneur, world.partnership)
    assert can_moderate(world.city_admin, world.partnership)


def test_a_hidden_comment_only_moderators_and_its_author_see(world: World) -> None:
    section = _section(_plan(world))
    comment = _post(world, section, "QZX-HIDDEN-COMMENT")
    services.comment_moderate(
        actor=world.city_staff, comment=comment, decision="hide", reason="Personal data."
    )
    neighbour = _reporters(world, 1)[0]
    url = reverse("beneficiaries:section", args=[world.partnership.pk, section.pk])

    def sees(user) -> bool:
        client = Client()
        client.force_login(user)
        return "QZX-HIDDEN-COMMENT" in client.get(url).content.decode()

    assert sees(world.city_staff) and sees(world.entrepreneur) and sees(world.beneficiary)
    assert not sees(neighbour)


@pytest.mark.django_db(transaction=True)
def test_three_reports_at_the_same_moment_hide_the_comment_once() -> None:
    """Real concurrent PostgreSQL transactions: each report counts once, one hides it.

    SQLite has one writer at a time: there the reports take turns."""
    turns = contextlib.nullcontext() if connection.vendor == "postgresql" else threading.Lock()
    city = f.CityFactory()
    staff = f.UserFactory()
    f.MembershipFactory(user=staff, organization=city)
    partnership = f.PartnershipFactory(city=city, point_of_contact=staff)
    version = partnership_services.plan_publish(
        actor=staff, partnership=partnership, sections=[("Why", "Because.")]
    )
    author = f.UserFactory()
    Participant.objects.create(partnership=partnership, user=author)
    comment = services.comment_post(actor=author, section=version.sections.get(), body="Hm.")
    reporters = []
    for _ in range(4):
        person = f.UserFactory()
        Participant.objects.create(partnership=partnership, user=person)
        reporters.append(person)
    barrier = threading.Barrier(len(reporters))
    errors: list[BaseException] = []

    def report(person) -> None:
        from django.db import connections

        try:
            mine = Comment.objects.select_related("partnership").get(pk=comment.pk)
            barrier.wait(timeout=10)
            with turns:
                services.comment_report(actor=person, comment=mine, reason="spam")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(p,)) for p in reporters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    comment.refresh_from_db()
    assert comment.report_count == 4 == comment.reports.count()
    assert comment.is_hidden
    assert Event.objects.filter(action=Action.COMMENT_HIDDEN, target_id=comment.pk).count() == 1


# --- Answers: "you said, we did" ----------------------------------------------------------------


def test_a_partner_answers_and_links_the_version_that_changed(world: World, client_as) -> None:
    v1 = _plan(world)
    comment = _post(world, _section(v1))
    v2 = _plan(world, ("Why", "Lunch on Tuesdays and Fridays.", "Two lunches a week."))

    answer = services.comment_answer(
        actor=world.entrepreneur, comment=comment, body="We added Fridays.", changed_version=v2
    )

    event = Event.objects.get(action=Action.COMMENT_ANSWERED)
    assert event.data == {
        "comment": comment.pk,
        "answer": answer.pk,
        "section": comment.section_id,
        "commenter": world.beneficiary.pk,
        "changed_version": v2.pk,
        "changed_version_number": 2,
    }
    html = (
        client_as("beneficiary")
        .get(reverse("beneficiaries:my_comments", args=[world.partnership.pk]))
        .content.decode()
    )
    assert "We added Fridays." in html
    assert reverse("beneficiaries:plan_version", args=[world.partnership.pk, 2]) in html
    with pytest.raises(ValidationError, match="answered already"):
        services.comment_answer(actor=world.city_staff, comment=comment, body="Again.")


def test_the_changed_version_must_come_after_the_comment(world: World) -> None:
    v1 = _plan(world)
    comment = _post(world, _section(v1))
    theirs = partnership_services.plan_publish(
        actor=world.other_city_staff,
        partnership=world.other_partnership,
        sections=[("A", "B"), ("C", "D")],
    )
    for version in (v1, theirs):
        with pytest.raises(ValidationError):
            services.comment_answer(
                actor=world.city_staff, comment=comment, body="Done.", changed_version=version
            )
    with pytest.raises(PermissionDenied):
        services.comment_answer(actor=world.beneficiary, comment=comment, body="Me.")
    assert not CommentAnswer.objects.exists()


def test_the_share_answered_and_the_median_time_to_an_answer(world: World) -> None:
    start = timezone.now() - timedelta(days=10)
    version = partnership_services.plan_publish(
        actor=world.city_staff,
        partnership=world.partnership,
        sections=[("Why", "Because.")],
        at=start - timedelta(days=1),
    )
    section = _section(version)
    comments = [
        services.comment_post(
            actor=world.beneficiary, section=section, body=f"c{i}", at=start + timedelta(hours=i)
        )
        for i in range(4)
    ]
    for comment, days in zip(comments[:3], (1, 2, 6), strict=True):
        services.comment_answer(
            actor=world.city_staff,
            comment=comment,
            body="Answered.",
            at=comment.created_at + timedelta(days=days),
        )

    figures = Comment.objects.of_partnership(world.partnership).answer_figures()

    assert (figures.comments, figures.answered, figures.share_answered) == (4, 3, 75)
    assert figures.median_wait == timedelta(days=2)


# --- Voices gathered offline -------------------------------------------------------------------


def test_a_partner_records_voices_from_a_meeting(world: World, client_as) -> None:
    section = _section(_plan(world))
    voice = services.voice_record(
        actor=world.entrepreneur,
        section=section,
        body="Lunch should be earlier in winter.",
        spoken_on=date(2026, 3, 12),
        organization=world.enterprise,
    )

    assert voice.is_offline and voice.author is None and voice.recorded_by == world.entrepreneur
    html = (
        client_as("beneficiary")
        .get(reverse("beneficiaries:section", args=[world.partnership.pk, section.pk]))
        .content.decode()
    )
    assert "Residents at the meeting of 12 March" in html
    assert "written down by Second Harvest Kitchens" in html
    with translation.override("es"):
        spanish = client_as("beneficiary").get(
            reverse("beneficiaries:section", args=[world.partnership.pk, section.pk])
        )
    assert "Vecinos en la reunión del 12 de marzo" in spanish.content.decode()
    # Answered like a comment; nobody is told, as nobody wrote it here.
    services.comment_answer(actor=world.city_staff, comment=voice, body="Moved to noon.")
    assert Event.objects.get(action=Action.COMMENT_ANSWERED).data["commenter"] is None


def test_a_person_is_named_only_with_their_consent(world: World) -> None:
    section = _section(_plan(world))
    kwargs = {
        "actor": world.entrepreneur,
        "section": section,
        "body": "Earlier, please.",
        "spoken_on": timezone.localdate(),
        "organization": world.enterprise,
        "spoken_by": "Maria",
    }
    with pytest.raises(ValidationError, match="agreed"):
        services.voice_record(**kwargs)
    assert services.voice_record(**kwargs, named_with_consent=True).spoken_by == "Maria"
    with pytest.raises(PermissionDenied):
        services.voice_record(**{**kwargs, "actor": world.beneficiary, "named_with_consent": True})


# --- Check-ins: which beneficiaries took part -----------------------------------------------------


def test_a_check_in_records_which_beneficiaries_took_part(world: World, client_as) -> None:
    checkin = CheckIn.objects.create(
        partnership=world.partnership,
        due_date=timezone.localdate(),
        status=CheckIn.Status.HELD,
        held_on=timezone.localdate(),
    )
    participant = Participant.objects.get(user=world.beneficiary)
    url = reverse("beneficiaries:checkin_attendance", args=[world.partnership.pk, checkin.pk])

    response = client_as("entrepreneur").post(url, {"participants": [participant.pk]})

    assert response.status_code == 302
    assert list(CheckInAttendance.objects.values_list("participant", flat=True)) == [participant.pk]
    event = Event.objects.get(action=Action.CHECKIN_ATTENDANCE_RECORDED)
    assert event.data == {"checkin": checkin.pk, "participants": 1}
    with translation.override("es"):
        assert "1 beneficiario" in describe(event)
    checkins = client_as("entrepreneur").get(
        reverse("partnerships:checkins", args=[world.partnership.pk])
    )
    assert url in checkins.content.decode()
    assert client_as("entrepreneur").post(url, {}).status_code == 302
    assert not CheckInAttendance.objects.exists()


def test_attendance_waits_for_the_check_in_to_be_held(world: World) -> None:
    checkin = CheckIn.objects.create(partnership=world.partnership, due_date=timezone.localdate())
    with pytest.raises(ValidationError, match="held first"):
        services.checkin_attendance_record(actor=world.city_staff, checkin=checkin, participants=[])


# --- The timeline reads it all, in English and Spanish ----------------------------------------------


def test_every_event_of_the_room_reads_in_english_and_spanish(world: World) -> None:
    v1 = _plan(world)
    comment = _post(world, _section(v1))
    services.comment_report(actor=world.entrepreneur, comment=comment, reason="spam")
    services.comment_moderate(actor=world.city_staff, comment=comment, decision="hide", reason="x")
    services.comment_moderate(
        actor=world.city_staff, comment=comment, decision="restore", reason="y"
    )
    services.comment_answer(actor=world.city_staff, comment=comment, body="Done.")
    events = Event.objects.filter(action__startswith="beneficiaries.comment.")
    assert events.count() == 5
    for event in events:
        english = describe(event)
        with translation.override("es"):
            spanish = describe(event)
        assert english != spanish and "cannot describe" not in english, event.action


def test_a_section_page_costs_the_same_queries_with_more_comments(
    world: World, client_as, django_assert_num_queries
) -> None:
    section = _section(_plan(world))
    url = reverse("beneficiaries:section", args=[world.partnership.pk, section.pk])
    client = client_as("beneficiary")

    def add(count: int) -> None:
        for _ in range(count):
            comment = _post(world, section)
            services.comment_post(
                actor=world.entrepreneur, section=section, body="Noted.", parent=comment
            )
            services.comment_answer(actor=world.city_staff, comment=comment, body="Done.")

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(10)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
