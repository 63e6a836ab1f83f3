"""Survey rounds, answers, shared values and stored scores, through health.services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership
from core.events import SYSTEM
from core.models import Event
from health import services
from health.events import Action
from health.facts import Period, gather
from health.models import Group, PracticeScore, RoundScore, SurveyResponse
from partnerships.models import CheckIn, Participant, Partner
from playbook.models import SurveyStatement
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _open(world: World, **kwargs):
    return services.round_open(
        actor=world.city_staff,
        partnership=world.partnership,
        closes_on=kwargs.pop("closes_on", timezone.localdate() + timedelta(days=14)),
        **kwargs,
    )


def _all(user, group: str, rating: int | None) -> dict[int, int | None]:
    return {s.pk: rating for s in services.statements_for(group)}


def _city_people(world: World, n: int):
    people = []
    for i in range(n):
        user = f.UserFactory(email=f"staff{i}@riverton.gov")
        f.MembershipFactory(user=user, organization=world.city)
        people.append(user)
    return people


def _held(partnership, *, due: int, held: int) -> CheckIn:
    """A check-in due ``due`` days ago and held ``held`` days ago."""
    today = timezone.localdate()
    return f.CheckInFactory(
        partnership=partnership,
        due_date=today - timedelta(days=due),
        status=CheckIn.Status.HELD,
        held_on=today - timedelta(days=held),
    )


# --- Rounds ----------------------------------------------------------------------------


def test_a_round_opens_once_and_says_so_in_the_log(world: World):
    survey_round = _open(world)
    assert survey_round.number == 1
    assert Event.objects.filter(action=Action.ROUND_OPENED, partnership_id=world.partnership.pk)
    with pytest.raises(ValidationError, match="already open"):
        _open(world)


def test_a_round_needs_a_sensible_closing_day(world: World):
    with pytest.raises(ValidationError) as short:
        _open(world, closes_on=timezone.localdate() + timedelta(days=2))
    assert "closes_on" in short.value.message_dict
    with pytest.raises(ValidationError) as long:
        _open(world, closes_on=timezone.localdate() + timedelta(days=200))
    assert "closes_on" in long.value.message_dict


def test_a_beneficiary_or_an_outsider_cannot_open_a_round(world: World):
    for person in (world.beneficiary, world.outsider, world.other_city_staff):
        with pytest.raises(PermissionDenied):
            services.round_open(
                actor=person,
                partnership=world.partnership,
                closes_on=timezone.localdate() + timedelta(days=14),
            )


def test_the_lead_can_open_a_round(world: World):
    survey_round = services.round_open(
        actor=world.entrepreneur,
        partnership=world.partnership,
        closes_on=timezone.localdate() + timedelta(days=14),
    )
    assert survey_round.is_open


# --- Answers ---------------------------------------------------------------------------


def test_each_person_answers_in_their_group_and_may_change_their_answers(world: World):
    survey_round = _open(world)
    services.survey_answer(
        actor=world.beneficiary,
        survey_round=survey_round,
        ratings=_all(world.beneficiary, Group.BENEFICIARIES, 4),
    )
    services.survey_answer(
        actor=world.beneficiary,
        survey_round=survey_round,
        ratings=_all(world.beneficiary, Group.BENEFICIARIES, 2),
    )
    response = SurveyResponse.objects.get(round=survey_round)
    assert response.group == Group.BENEFICIARIES
    assert {r.rating for r in response.ratings.all()} == {2}
    services.survey_answer(
        actor=world.entrepreneur,
        survey_round=survey_round,
        ratings=_all(world.entrepreneur, Group.ENTREPRENEURS, 5),
    )
    assert SurveyResponse.objects.get(respondent=world.entrepreneur).group == Group.ENTREPRENEURS


def test_each_side_rates_the_other(world: World):
    about = {
        group: {s.key for s in services.statements_for(group) if s.about} for group in Group.values
    }
    assert about[Group.CITY] == {"entrepreneurs-kept-commitments"}
    assert about[Group.ENTREPRENEURS] == {"city-support-at-this-stage"}
    assert about[Group.BENEFICIARIES] == {
        "city-kept-word-to-residents",
        "entrepreneurs-kept-word-to-residents",
    }


def test_a_person_cannot_rate_what_they_were_not_asked(world: World):
    survey_round = _open(world)
    city_only = SurveyStatement.objects.get(key="entrepreneurs-kept-commitments")
    with pytest.raises(ValidationError):
        services.survey_answer(
            actor=world.beneficiary, survey_round=survey_round, ratings={city_only.pk: 3}
        )


def test_ratings_out_of_range_and_empty_answers_are_refused(world: World):
    survey_round = _open(world)
    statement = services.statements_for(Group.CITY)[0]
    with pytest.raises(ValidationError):
        services.survey_answer(
            actor=world.city_staff, survey_round=survey_round, ratings={statement.pk: 6}
        )
    with pytest.raises(ValidationError):
        services.survey_answer(
            actor=world.city_staff, survey_round=survey_round, ratings={statement.pk: None}
        )
    assert not SurveyResponse.objects.exists()


def test_outsiders_and_other_cities_cannot_answer(world: World):
    survey_round = _open(world)
    for person in (world.outsider, world.other_city_staff):
        with pytest.raises(PermissionDenied):
            services.survey_answer(
                actor=person, survey_round=survey_round, ratings=_all(person, Group.CITY, 3)
            )


def test_a_closed_round_takes_no_answers_and_closing_twice_is_harmless(world: World):
    survey_round = _open(world)
    assert services.round_close(actor=world.city_staff, survey_round=survey_round)
    assert not services.round_close(actor=SYSTEM, survey_round=survey_round)
    assert Event.objects.filter(action=Action.ROUND_CLOSED).count() == 1
    with pytest.raises(ValidationError, match="closed"):
        services.survey_answer(
            actor=world.city_staff,
            survey_round=survey_round,
            ratings=_all(world.city_staff, Group.CITY, 3),
        )


def test_rounds_past_their_day_close_themselves(world: World):
    survey_round = _open(world)
    assert services.rounds_close_due(today=survey_round.closes_on) == 0
    assert services.rounds_close_due(today=survey_round.closes_on + timedelta(days=1)) == 1
    assert services.rounds_close_due(today=survey_round.closes_on + timedelta(days=2)) == 0
    survey_round.refresh_from_db()
    assert not survey_round.is_open


# --- What a closed round shows ---------------------------------------------------------


def test_a_closed_round_keeps_scores_that_hide_a_lone_respondent(world: World):
    survey_round = _open(world)
    staff = [world.city_staff, *_city_people(world, 3)]
    for person in staff:
        services.survey_answer(
            actor=person, survey_round=survey_round, ratings=_all(person, Group.CITY, 5)
        )
    services.survey_answer(
        actor=world.beneficiary,
        survey_round=survey_round,
        ratings=_all(world.beneficiary, Group.BENEFICIARIES, 1),
    )
    services.round_close(actor=world.city_staff, survey_round=survey_round)
    scores = {s.practice.slug: s for s in RoundScore.objects.filter(round=survey_round)}
    assert len(scores) == 8
    long_view = scores["the-long-view"]
    groups = long_view.detail["groups"]
    assert groups["beneficiaries"]["score"] is None
    assert groups["beneficiaries"]["hidden"] == "few"
    # With the city shown, the overall minus the city would be the lone beneficiary.
    assert groups["city"]["score"] is None
    assert groups["city"]["hidden"] == "subtraction"
    assert long_view.perception is not None


# --- Shared values ---------------------------------------------------------------------


VALUES = "We put the people we serve first, we decide on evidence, and we stay for years."


def test_values_are_versioned_and_a_stale_edit_is_refused(world: World):
    first = services.values_write(
        actor=world.entrepreneur, partnership=world.partnership, text=VALUES, based_on=0
    )
    assert first.number == 1
    with pytest.raises(ValidationError, match="newer version"):
        services.values_write(
            actor=world.city_staff, partnership=world.partnership, text=VALUES + "!", based_on=0
        )
    second = services.values_write(
        actor=world.city_staff, partnership=world.partnership, text=VALUES + "!", based_on=1
    )
    assert second.number == 2


def test_each_party_agrees_through_an_admin_and_a_change_asks_again(world: World):
    version = services.values_write(
        actor=world.entrepreneur, partnership=world.partnership, text=VALUES, based_on=0
    )
    # A plain member of the city may write but not agree for it.
    with pytest.raises(PermissionDenied):
        services.values_agree(
            actor=world.city_staff, version=version, organization_id=world.city.pk
        )
    services.values_agree(actor=world.city_admin, version=version, organization_id=world.city.pk)
    services.values_agree(
        actor=world.entrepreneur, version=version, organization_id=world.enterprise.pk
    )
    with pytest.raises(ValidationError, match="already agreed"):
        services.values_agree(
            actor=world.entrepreneur, version=version, organization_id=world.enterprise.pk
        )
    facts = gather([world.partnership.pk], Period.year_to(timezone.localdate()))
    assert facts[world.partnership.pk].values_partners_agreed == 2
    newer = services.values_write(
        actor=world.city_staff, partnership=world.partnership, text=VALUES + " Always.", based_on=1
    )
    with pytest.raises(ValidationError, match="newer version"):
        services.values_agree(
            actor=world.entrepreneur, version=version, organization_id=world.enterprise.pk
        )
    facts = gather([world.partnership.pk], Period.year_to(timezone.localdate()))
    assert facts[world.partnership.pk].values_partners_agreed == 0
    assert newer.agreements.count() == 0


# --- Facts and current scores ----------------------------------------------------------


def test_facts_count_what_the_partnership_did(world: World):
    today = timezone.localdate()
    p = world.partnership
    _held(p, due=30, held=28)
    late = _held(p, due=60, held=40)
    late.attendees.add(world.beneficiary)
    f.CheckInFactory(partnership=p, due_date=today - timedelta(days=90))
    facts = gather([p.pk, world.other_partnership.pk], Period.year_to(today))
    mine = facts[p.pk]
    assert (mine.checkins_due, mine.checkins_on_time, mine.checkins_held) == (3, 1, 2)
    assert mine.checkins_with_beneficiaries == 1
    assert mine.participants == 1
    assert facts[world.other_partnership.pk].checkins_due == 0


def test_recompute_reads_a_fixed_number_of_queries_whatever_the_batch(world: World):
    many = [f.PartnershipFactory(city=world.city) for _ in range(6)]
    for p in many:
        f.CheckInFactory(partnership=p, due_date=timezone.localdate() - timedelta(days=5))
    with CaptureQueriesContext(connection) as one:
        services.scores_recompute(ids=[many[0].pk])
    PracticeScore.objects.all().delete()
    with CaptureQueriesContext(connection) as six:
        services.scores_recompute(ids=[p.pk for p in many])
    assert len(six.captured_queries) == len(one.captured_queries)
    assert PracticeScore.objects.count() == 6 * 8


def test_recompute_writes_only_what_changed_and_tells_of_notable_changes(world: World):
    p = world.partnership
    assert services.scores_recompute(ids=[p.pk]) == 8
    assert services.scores_recompute(ids=[p.pk]) == 0
    assert not Event.objects.filter(action=Action.SCORE_CHANGED).exists()
    # A second partner joins: Build Bridges moves on.
    other = f.OrganizationFactory(name="Riverside Builders")
    Partner.objects.create(
        partnership=p, organization=other, status=Partner.Status.ACCEPTED, joined_on=date.today()
    )
    assert services.scores_recompute(ids=[p.pk]) >= 1
    event = Event.objects.get(action=Action.SCORE_CHANGED)
    assert "build-bridges" in event.data["changes"]


def test_a_committed_change_recomputes_its_partnership(
    world: World, django_capture_on_commit_callbacks
):
    p = world.partnership
    with django_capture_on_commit_callbacks(execute=True):
        from partnerships import services as partnership_services

        partnership_services.participant_add(
            actor=world.city_staff,
            partnership=p,
            user=f.UserFactory(email="second@example.net"),
            role=Participant.Role.REVIEWER,
        )
    score = PracticeScore.objects.get(partnership=p, practice__slug="beneficiaries-as-changemakers")
    contributions = {c["key"]: c for c in score.detail["contributions"]}
    assert contributions["participants_invited"]["achieved"] == 2


def test_membership_roles_decide_who_agrees(world: World):
    Membership.objects.filter(user=world.entrepreneur).update(role=Membership.Role.MEMBER)
    version = services.values_write(
        actor=world.entrepreneur, partnership=world.partnership, text=VALUES, based_on=0
    )
    with pytest.raises(PermissionDenied):
        services.values_agree(
            actor=world.entrepreneur, version=version, organization_id=world.enterprise.pk
        )


def test_a_round_knows_who_is_still_to_answer(world: World):
    survey_round = _open(world)
    waiting = set(survey_round.waiting_for())
    assert {world.city_staff, world.city_admin, world.entrepreneur, world.beneficiary} <= waiting
    assert world.outsider not in waiting and world.other_city_staff not in waiting
    services.survey_answer(
        actor=world.beneficiary,
        survey_round=survey_round,
        ratings=_all(world.beneficiary, Group.BENEFICIARIES, 3),
    )
    assert world.beneficiary not in set(survey_round.waiting_for())


def test_facts_count_comments_answered_and_beneficiaries_at_check_ins(world: World):
    from beneficiaries.models import CheckInAttendance, Comment, CommentAnswer
    from partnerships.models import PlanSection, PlanVersion

    p = world.partnership
    today = timezone.localdate()
    version = PlanVersion.objects.create(partnership=p, number=1, published_by=world.city_staff)
    section = PlanSection.objects.create(version=version, order=1, heading="Why", body="Because.")
    said = [
        Comment.objects.create(partnership=p, section=section, author=world.beneficiary, body=b)
        for b in ("More seats", "Earlier hours", "Hidden one")
    ]
    Comment.objects.filter(pk=said[2].pk).update(hidden_at=timezone.now())
    Comment.objects.create(
        partnership=p, section=section, author=world.entrepreneur, body="Reply", parent=said[0]
    )
    CommentAnswer.objects.create(comment=said[0], body="Done", answered_by=world.entrepreneur)
    held = _held(p, due=3, held=3)
    CheckInAttendance.objects.create(
        checkin=held, participant=Participant.objects.get(partnership=p, user=world.beneficiary)
    )
    facts = gather([p.pk], Period.year_to(today))[p.pk]
    assert (facts.comments, facts.comments_answered) == (2, 1)
    assert (facts.checkins_held, facts.checkins_with_beneficiaries) == (1, 1)


def test_a_large_batch_binds_its_range_to_queries_written_once(world: World, monkeypatch):
    """From ``RANGE_FROM`` ids on, a batch is read by its ids' range with SQL compiled once:
    the facts are those of the small batch's reads, for every partnership of each batch."""
    from health import facts as facts_module
    from partnerships.models import Responsibility

    today = timezone.localdate()
    p, other = world.partnership, world.other_partnership
    held = _held(p, due=20, held=19)
    held.attendees.add(world.beneficiary)
    f.CheckInFactory(partnership=other, due_date=today - timedelta(days=9))
    f.MeasurementFactory(indicator=f.IndicatorFactory(partnership=p), date=today)
    # Measured long ago, or only by a withdrawn figure: not fresh.
    f.MeasurementFactory(
        indicator=f.IndicatorFactory(partnership=p), date=today - timedelta(days=200)
    )
    f.MeasurementFactory(
        indicator=f.IndicatorFactory(partnership=p), date=today, withdrawn_at=timezone.now()
    )
    f.ExperimentFactory(partnership=p, decision="adopt")
    f.FinancialNeedFactory(partnership=other)
    f.ProgressUpdateFactory(partnership=p, date=today, levers=["policy", "data"])
    f.ProgressUpdateFactory(partnership=p, date=today, levers=["data", "funding"])
    Responsibility.objects.create(
        partnership=p, organization=world.city, description="Rooms", due_date=today
    )
    Responsibility.objects.create(
        partnership=p, organization=world.enterprise, description="Staff", due_date=today
    )
    services.values_write(actor=world.city_staff, partnership=p, text=VALUES, based_on=0)
    period = Period.year_to(today)
    batches = [[p.pk, other.pk], [other.pk], [p.pk]]
    small = [gather(ids, period) for ids in batches]
    assert small[0][p.pk].checkins_with_beneficiaries == 1
    assert (small[0][p.pk].indicators, small[0][p.pk].indicators_fresh) == (3, 1)
    assert (small[0][p.pk].levers_used, small[0][p.pk].partners_with_responsibilities) == (3, 2)
    assert small[0][p.pk].values_written and small[0][other.pk].needs_stated == 1

    monkeypatch.setattr(facts_module, "RANGE_FROM", 1)
    monkeypatch.setattr(facts_module, "_written", {})
    with CaptureQueriesContext(connection) as first:
        large = [gather(ids, period) for ids in batches]
    assert large == small
    written = dict(facts_module._written)
    assert written and all(
        str(facts_module._LOW) not in query["sql"] for query in first.captured_queries
    )
    # The next batches bind the same SQL to their own ranges.
    assert [gather(ids, period) for ids in reversed(batches)] == small[::-1]
    assert facts_module._written == written


def test_a_query_that_does_not_bind_its_range_is_refused(world: World, monkeypatch):
    from health import facts as facts_module

    monkeypatch.setattr(facts_module, "RANGE_FROM", 1)
    with pytest.raises(ValueError, match="does not bind its range"):
        facts_module.batch_rows(
            lambda within: CheckIn.objects.values("partnership_id"),
            [world.partnership.pk],
            key="unbound",
        )
