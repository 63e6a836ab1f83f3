"""Reminders, event notifications and digests: found in the database, told exactly once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.events import log_event
from notifications import kinds, services
from notifications.models import Channel, Dispatch, Frequency, Notification, Preference
from partnerships.models import CheckIn, Partnership
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _checkin_in(world: World, days: int) -> CheckIn:
    return f.CheckInFactory(
        partnership=world.partnership, due_date=timezone.localdate() + timedelta(days=days)
    )


def _sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_reminder_occasion_takes_the_latest_threshold_passed() -> None:
    due = date(2026, 12, 10)
    assert services.reminder_occasion(due, date(2026, 12, 6), [3, 0]) is None
    assert services.reminder_occasion(due, date(2026, 12, 7), [3, 0]) == ("before:3:2026-12-10", 3)
    # A sweep that missed the day before still owes the three-day reminder, once.
    assert services.reminder_occasion(due, date(2026, 12, 8), [3, 0]) == ("before:3:2026-12-10", 2)
    assert services.reminder_occasion(due, date(2026, 12, 10), [3, 0]) == ("before:0:2026-12-10", 0)
    assert services.reminder_occasion(due, date(2026, 12, 11), [3, 0]) == (
        "overdue:1:2026-12-10",
        -1,
    )
    assert services.reminder_occasion(due, date(2026, 12, 20), [3, 0])[0] == "overdue:7:2026-12-10"
    assert services.reminder_occasion(due, date(2026, 12, 7), [7]) == ("before:7:2026-12-10", 3)


def test_partners_are_reminded_three_days_before_by_email_and_in_the_app(world: World) -> None:
    checkin = _checkin_in(world, 3)
    world.entrepreneur.preferred_language = "es"
    world.entrepreneur.save()

    services.reminders_sweep()
    services.dispatches_send_all()

    # The lead's people and the city's point of contact; not the participant, who did not ask.
    assert _sent_to() == [world.city_staff.email, world.entrepreneur.email]
    spanish = next(m for m in mail.outbox if m.to == [world.entrepreneur.email])
    assert "reunión de seguimiento" in spanish.body
    assert f"/partnerships/{world.partnership.pk}/checkins/{checkin.pk}/record/" in spanish.body
    assert spanish.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert spanish.extra_headers["List-Unsubscribe"].startswith("<http")
    [(html, mimetype)] = spanish.alternatives
    assert mimetype == "text/html" and "<a href=" in str(html)
    assert world.partnership.title not in spanish.subject
    assert (
        Notification.objects.filter(recipient=world.entrepreneur, kind="checkin_due").count() == 1
    )


def test_a_second_sweep_and_a_second_send_repeat_nothing(world: World) -> None:
    _checkin_in(world, 0)
    services.reminders_sweep()
    services.dispatches_send_all()
    sent = len(mail.outbox)

    services.reminders_sweep()
    services.dispatches_send_all()

    assert sent == 2
    assert len(mail.outbox) == sent
    assert Dispatch.objects.count() == 4  # two people, two channels


def test_a_participant_who_asked_is_reminded(world: World) -> None:
    _checkin_in(world, 0)
    Preference.objects.create(
        user=world.beneficiary,
        kind=kinds.CHECKIN_DUE,
        channel=Channel.EMAIL,
        frequency=Frequency.IMMEDIATELY,
    )

    services.reminders_sweep()
    services.dispatches_send_all()

    assert world.beneficiary.email in _sent_to()


def test_a_person_can_choose_other_days_or_no_email(world: World) -> None:
    _checkin_in(world, 3)
    subscriber = services.subscriber_for(world.entrepreneur)
    subscriber.reminder_days = [1]
    subscriber.save()
    Preference.objects.create(
        user=world.city_staff, kind=kinds.CHECKIN_DUE, channel="email", frequency="never"
    )

    services.reminders_sweep()
    services.dispatches_send_all()

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=world.city_staff).count() == 1


def test_an_overdue_checkin_is_reminded_the_day_after(world: World) -> None:
    _checkin_in(world, -1)
    services.reminders_sweep()
    services.dispatches_send_all()
    assert len(mail.outbox) == 2
    assert "overdue" in mail.outbox[0].subject


def test_a_reminder_of_a_checkin_recorded_meanwhile_is_not_sent(world: World) -> None:
    checkin = _checkin_in(world, 0)
    services.reminders_sweep()
    CheckIn.objects.filter(pk=checkin.pk).update(status=CheckIn.Status.HELD)

    services.dispatches_send_all()

    assert mail.outbox == []
    assert set(Dispatch.objects.values_list("status", flat=True)) == {"skipped"}


def _sweep_queries(count: int) -> int:
    Dispatch.objects.all().delete()
    for _ in range(count):
        partnership = f.PartnershipFactory()
        f.MembershipFactory(organization=partnership.lead)
        f.CheckInFactory(partnership=partnership, due_date=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        services.reminders_sweep()
    return len(queries)


def test_the_reminder_sweep_spends_the_same_queries_on_many_as_on_few(db: None) -> None:
    few = _sweep_queries(2)
    many = _sweep_queries(20)
    assert Dispatch.objects.count() == 44  # 22 partnerships' people, two channels each
    assert many == few


def _answered(world: World, commenter: int | None) -> None:
    with transaction.atomic():
        event = log_event(
            actor=world.city_staff,
            action="beneficiaries.comment.answered",
            partnership_id=world.partnership.pk,
            data={
                "comment": 1,
                "answer": 2,
                "section": 3,
                "commenter": commenter,
                "changed_version": None,
            },
        )
    services.dispatches_for_events([event])


def test_an_answered_comment_tells_its_commenter(world: World) -> None:
    _answered(world, world.beneficiary.pk)
    services.dispatches_send_all()

    assert _sent_to() == [world.beneficiary.email]
    [notification] = Notification.objects.filter(recipient=world.beneficiary)
    assert notification.kind == "comment_answered"
    assert notification.url == f"/partnerships/{world.partnership.pk}/plan/"


def test_an_answer_to_an_erased_commenter_tells_nobody(world: World) -> None:
    _answered(world, None)
    assert not Dispatch.objects.exists()


def test_the_receiver_turns_a_committed_event_into_dispatches(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        log_event(
            actor=None,
            action="health.round.opened",
            partnership_id=world.partnership.pk,
            data={"round": 1},
        )
    people = set(
        Dispatch.objects.filter(kind="survey_open", channel="app").values_list(
            "recipient_id", flat=True
        )
    )
    assert people == {world.city_staff.pk, world.entrepreneur.pk, world.beneficiary.pk}


def test_the_event_sweep_catches_up_without_doubling(world: World) -> None:
    _answered(world, world.beneficiary.pk)
    before = Dispatch.objects.count()
    services.events_sweep()
    assert Dispatch.objects.count() == before == 2


def test_an_expired_lease_while_sending_is_flagged_not_sent_again(world: World) -> None:
    _checkin_in(world, 0)
    services.reminders_sweep()
    row = Dispatch.objects.filter(channel="email").first()
    assert row is not None
    Dispatch.objects.filter(pk=row.pk).update(
        status="sending", claim="dead", lease_until=timezone.now() - timedelta(seconds=1)
    )
    Dispatch.objects.filter(channel="email").exclude(pk=row.pk).update(
        status="claimed", claim="dead", lease_until=timezone.now() - timedelta(seconds=1)
    )

    assert services.dispatches_reap() == 1
    services.dispatches_send_all()

    row.refresh_from_db()
    assert row.status == "attention"
    # The one merely claimed by the dead worker was freed and sent; the other never again.
    assert len(mail.outbox) == 1
    assert row.recipient.email not in _sent_to()
    assert services.attention_count() == 1


def test_healthz_counts_what_needs_attention(world: World, client) -> None:
    _checkin_in(world, 0)
    services.reminders_sweep()
    Dispatch.objects.filter(channel="email").update(status="attention")
    assert client.get("/healthz").json()["notifications_attention"] == 2


def test_a_daily_digest_is_claimed_once_and_says_what_happened(world: World) -> None:
    services.preferences_update(
        actor=world.entrepreneur,
        user=world.entrepreneur,
        frequencies={(kinds.STAGE_CHANGED, "email"): "daily"},
        reminder_days=[3, 0],
    )
    subscriber = services.subscriber_for(world.entrepreneur)
    due_at = subscriber.next_daily_digest_at
    assert due_at is not None
    with transaction.atomic():
        log_event(
            actor=world.city_staff,
            action="partnerships.stage.moved",
            partnership_id=world.partnership.pk,
            data={"from_stage_id": None, "to_stage_id": None, "to_stage": "Plan"},
            at=due_at - timedelta(hours=2),
        )
    later = due_at + timedelta(minutes=1)

    assert services.digests_schedule(at=later) == 1
    assert services.digests_schedule(at=later) == 0
    services.dispatches_send_all(at=later)

    [digest] = [m for m in mail.outbox if m.to == [world.entrepreneur.email]]
    assert "digest" in digest.subject
    assert world.partnership.title in digest.body
    assert "List-Unsubscribe" in digest.extra_headers


def test_a_digest_with_nothing_to_say_is_not_sent(world: World) -> None:
    other = f.UserFactory()
    services.preferences_update(
        actor=other,
        user=other,
        frequencies={(kinds.NEED_UPDATED, "email"): "weekly"},
        reminder_days=[3],
    )
    due_at = services.subscriber_for(other).next_weekly_digest_at
    assert due_at is not None and due_at.weekday() == 0

    later = due_at + timedelta(minutes=1)
    services.digests_schedule(at=later)
    services.dispatches_send_all(at=later)

    assert mail.outbox == []
    assert Dispatch.objects.get(recipient=other).status == "skipped"


def test_a_moved_checkin_raises_its_sequence_and_gets_fresh_reminders(world: World) -> None:
    checkin = _checkin_in(world, 0)
    services.reminders_sweep()
    services.dispatches_send_all()
    assert len(mail.outbox) == 2
    from partnerships import services as partnership_services

    moved = partnership_services.checkin_move(
        actor=world.city_staff,
        checkin=checkin,
        due_date=timezone.localdate() + timedelta(days=2),
        place="Town hall",
    )
    assert moved.sequence == 1

    services.reminders_sweep()
    services.dispatches_send_all()

    assert len(mail.outbox) == 4
    assert Partnership.objects.get(pk=world.partnership.pk).checkins.get().place == "Town hall"


def test_an_invited_organizations_admins_find_the_invitation_in_the_app_only(
    world: World, django_capture_on_commit_callbacks
) -> None:
    from partnerships import services as partnership_services

    admin = f.UserFactory()
    community = f.OrganizationFactory()
    f.MembershipFactory(user=admin, organization=community, role="admin")
    with django_capture_on_commit_callbacks(execute=True):
        partner = partnership_services.partner_add(
            actor=world.city_staff,
            partnership=world.partnership,
            organization=community,
            role_description="Knows the neighbourhood.",
        )
    services.dispatches_send_all()

    [notification] = Notification.objects.filter(recipient=admin)
    assert notification.kind == "partner_invited"
    assert notification.url == f"/partnerships/invitations/{partner.pk}/"
    # The invitation e-mail is partnerships' own; no second one comes from here.
    assert not Dispatch.objects.filter(recipient=admin, channel="email").exists()
