"""Every partnership service: who may call it, what it records, and what bad input changes (nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Membership, Organization, User
from core.models import Event
from partnerships import permissions as perms
from partnerships import services
from partnerships.events import Action
from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Lever,
    Partner,
    Partnership,
    PlanSection,
    Responsibility,
    StageChange,
)
from playbook.models import ModelPathway, Practice, Stage
from tests import factories as f
from tests.conftest import PERSONAS, World

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# --- Helpers -------------------------------------------------------------------------------


def _snapshot() -> dict[str, Any]:
    """Row counts of every partnership table (history included) and the partnerships' fields."""
    config = apps.get_app_config("partnerships")
    counts = {
        model._meta.label: model._default_manager.count()
        for model in config.get_models(include_auto_created=True)
    }
    return {
        "counts": counts,
        "partnerships": list(Partnership.objects.order_by("pk").values()),
    }


@contextmanager
def nothing_changes() -> Iterator[None]:
    before = _snapshot()
    yield
    assert _snapshot() == before


def assert_invalid(field: str | None, call: Callable[[], object]) -> ValidationError:
    """The call is refused with a message on ``field`` (None: a message for the whole form)."""
    with nothing_changes(), pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    if field is None:
        assert not hasattr(error, "error_dict") or "__all__" in error.error_dict
    else:
        assert hasattr(error, "error_dict"), f"expected a message on {field!r}, got {error}"
        assert field in error.error_dict, f"expected {field!r}, got {sorted(error.error_dict)}"
    return error


def actor_of(world: World, persona: str) -> User | AnonymousUser:
    return AnonymousUser() if persona == "anonymous" else getattr(world, persona)


def own_organization(world: World, actor: User | AnonymousUser) -> Organization:
    """The organization a persona would act for (any organization for those without one)."""
    if actor.is_authenticated and actor.organization_ids():
        return Organization.objects.filter(pk__in=actor.organization_ids()).order_by("pk").first()
    return world.enterprise


def last_activity(partnership: Partnership) -> Event:
    return Event.objects.filter(partnership_id=partnership.pk).order_by("-pk").first()


def pathway_with_stages() -> tuple[ModelPathway, list[Stage]]:
    pathway = ModelPathway.objects.order_by("order").first()
    assert pathway is not None, "the playbook migration seeds the pathways"
    stages = list(pathway.stages.order_by("order"))
    assert len(stages) >= 2
    return pathway, stages


# --- Who may call each service ----------------------------------------------------------------

MANAGERS = ["city_staff", "city_admin"]
CONTRIBUTORS = ["city_staff", "city_admin", "entrepreneur"]


@dataclass(frozen=True)
class Case:
    """One service: how to prepare a call, make it, and what it leaves behind."""

    allowed: list[str]
    verb: str
    prepare: Callable[[World], dict[str, Any]]
    call: Callable[[World, Any, dict[str, Any]], Any]
    # The object whose history must name the actor; None when the model keeps no history.
    history_of: Callable[[Any], Any] | None = lambda result: result
    private: bool = False


def _nothing(world: World) -> dict[str, Any]:
    return {}


def _staged(world: World) -> dict[str, Any]:
    pathway, stages = pathway_with_stages()
    Partnership.objects.filter(pk=world.partnership.pk).update(pathway=pathway, stage=stages[0])
    world.partnership.refresh_from_db()
    return {"stage": stages[1]}


def _with_partner(world: World) -> dict[str, Any]:
    org = f.OrganizationFactory(kind=Organization.Kind.COMMUNITY_GROUP)
    return {"partner": f.PartnerFactory(partnership=world.partnership, organization=org)}


def _with_invited_outsider(world: World) -> dict[str, Any]:
    """The outsider's organization invited into the partnership, the outsider its admin."""
    Membership.objects.filter(user=world.outsider).update(role=Membership.Role.ADMIN)
    partner = f.PartnerFactory(
        partnership=world.partnership,
        organization=world.outsider_org,
        status=Partner.Status.INVITED,
    )
    return {"partner": partner}


def _with_new_org(world: World) -> dict[str, Any]:
    return {"organization": f.OrganizationFactory(kind=Organization.Kind.FUNDER)}


def _with_responsibility(world: World) -> dict[str, Any]:
    return {
        "responsibility": Responsibility.objects.create(
            partnership=world.partnership, organization=world.enterprise, description="Cook"
        )
    }


def _with_checkin(world: World) -> dict[str, Any]:
    return {"checkin": f.CheckInFactory(partnership=world.partnership, due_date=TODAY())}


def _with_indicator(world: World) -> dict[str, Any]:
    return {"indicator": f.IndicatorFactory(partnership=world.partnership)}


def _with_experiment(world: World) -> dict[str, Any]:
    return {
        "experiment": f.ExperimentFactory(
            partnership=world.partnership, started_on=TODAY() - timedelta(days=30)
        )
    }


def _with_need(world: World) -> dict[str, Any]:
    return {"need": f.FinancialNeedFactory(partnership=world.partnership)}


def _archived(world: World) -> dict[str, Any]:
    Partnership.objects.filter(pk=world.partnership.pk).update(archived_at=timezone.now())
    world.partnership.refresh_from_db()
    return {}


def _with_measurement(world: World) -> dict[str, Any]:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    return {"measurement": f.MeasurementFactory(indicator=indicator, entered_by=world.entrepreneur)}


def _with_update(world: World) -> dict[str, Any]:
    return {
        "update": f.ProgressUpdateFactory(partnership=world.partnership, author=world.entrepreneur)
    }


ADMINS = ["city_admin"]

CASES: dict[str, Case] = {
    "partnership_create": Case(
        allowed=MANAGERS,
        verb=Action.CREATED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.partnership_create(
            actor=actor,
            city=w.city,
            lead=w.enterprise,
            title="Warm homes",
            goal="No cold homes by 2030",
            problem_statement="Old houses lose heat.",
        ),
    ),
    "partnership_update": Case(
        allowed=MANAGERS,
        verb=Action.UPDATED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.partnership_update(
            actor=actor, partnership=w.partnership, title="Meals for everyone"
        ),
    ),
    "partnership_reframe": Case(
        allowed=CONTRIBUTORS,
        verb=Action.REFRAMED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.partnership_reframe(
            actor=actor,
            partnership=w.partnership,
            statement="Older neighbours are lonely, not only hungry.",
            learned="They come for the company.",
        ),
    ),
    "partnership_move_stage": Case(
        allowed=MANAGERS,
        verb=Action.STAGE_MOVED,
        prepare=_staged,
        call=lambda w, actor, ctx: services.partnership_move_stage(
            actor=actor, partnership=w.partnership, stage=ctx["stage"], reason="Pilot done."
        ),
        history_of=lambda change: change.partnership,
    ),
    "partner_add": Case(
        allowed=MANAGERS,
        verb=Action.PARTNER_INVITED,
        prepare=_with_new_org,
        call=lambda w, actor, ctx: services.partner_add(
            actor=actor,
            partnership=w.partnership,
            organization=ctx["organization"],
            role_description="Pays for the vans.",
        ),
    ),
    "participant_add": Case(
        allowed=CONTRIBUTORS,
        verb=Action.PARTICIPANT_ADDED,
        prepare=lambda w: {"person": f.UserFactory()},
        call=lambda w, actor, ctx: services.participant_add(
            actor=actor, partnership=w.partnership, user=ctx["person"], role="reviewer"
        ),
    ),
    "partner_accept": Case(
        allowed=["outsider"],
        verb=Action.PARTNER_ACCEPTED,
        prepare=_with_invited_outsider,
        call=lambda w, actor, ctx: services.partner_accept(actor=actor, partner=ctx["partner"]),
    ),
    "partner_decline": Case(
        allowed=["outsider"],
        verb=Action.PARTNER_DECLINED,
        prepare=_with_invited_outsider,
        call=lambda w, actor, ctx: services.partner_decline(
            actor=actor, partner=ctx["partner"], reason="Our hall is booked all year."
        ),
    ),
    "partner_update": Case(
        allowed=MANAGERS,
        verb=Action.PARTNER_UPDATED,
        prepare=_with_partner,
        call=lambda w, actor, ctx: services.partner_update(
            actor=actor, partner=ctx["partner"], role_description="Runs the Tuesday club."
        ),
    ),
    "partner_remove": Case(
        allowed=MANAGERS,
        verb=Action.PARTNER_REMOVED,
        prepare=_with_partner,
        call=lambda w, actor, ctx: (
            (services.partner_remove(actor=actor, partner=ctx["partner"])) or ctx["partner"]
        ),
        history_of=None,
    ),
    "responsibility_add": Case(
        allowed=CONTRIBUTORS,
        verb=Action.RESPONSIBILITY_ADDED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.responsibility_add(
            actor=actor,
            partnership=w.partnership,
            organization=w.enterprise,
            description="Deliver meals on Fridays",
            due_date=TODAY() + timedelta(days=10),
        ),
    ),
    "responsibility_update": Case(
        allowed=CONTRIBUTORS,
        verb=Action.RESPONSIBILITY_UPDATED,
        prepare=_with_responsibility,
        call=lambda w, actor, ctx: services.responsibility_update(
            actor=actor, responsibility=ctx["responsibility"], status="done"
        ),
    ),
    "plan_publish": Case(
        allowed=CONTRIBUTORS,
        verb=Action.PLAN_PUBLISHED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.plan_publish(
            actor=actor, partnership=w.partnership, sections=[("Why", "Because.")]
        ),
        history_of=None,
    ),
    "checkin_schedule": Case(
        allowed=CONTRIBUTORS,
        verb=Action.CHECKIN_SCHEDULED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.checkin_schedule(
            actor=actor, partnership=w.partnership, due_date=TODAY() + timedelta(days=3)
        ),
    ),
    "checkin_record": Case(
        allowed=CONTRIBUTORS,
        verb=Action.CHECKIN_RECORDED,
        prepare=_with_checkin,
        call=lambda w, actor, ctx: services.checkin_record(
            actor=actor, checkin=ctx["checkin"], held=True, held_on=TODAY(), decisions="Go on."
        ),
    ),
    "progress_log": Case(
        allowed=CONTRIBUTORS,
        verb=Action.PROGRESS_LOGGED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.progress_log(
            actor=actor,
            partnership=w.partnership,
            organization=own_organization(w, actor),
            text="Served 40 meals.",
            levers=[Lever.DATA],
        ),
    ),
    "indicator_create": Case(
        allowed=CONTRIBUTORS,
        verb=Action.INDICATOR_ADDED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.indicator_create(
            actor=actor,
            partnership=w.partnership,
            name="Meals served",
            unit="meals",
            direction=Indicator.Direction.UP,
            baseline="0",
            target="500",
            target_date=TODAY() + timedelta(days=200),
        ),
    ),
    "measurement_add": Case(
        allowed=CONTRIBUTORS,
        verb=Action.MEASUREMENT_ADDED,
        prepare=_with_indicator,
        call=lambda w, actor, ctx: services.measurement_add(
            actor=actor, indicator=ctx["indicator"], on=TODAY(), value="42", source="Tally"
        ),
    ),
    "measurements_add": Case(
        allowed=CONTRIBUTORS,
        verb=Action.MEASUREMENT_ADDED,
        prepare=_with_indicator,
        call=lambda w, actor, ctx: services.measurements_add(
            actor=actor,
            rows=[
                services.NewMeasurement(
                    indicator=ctx["indicator"], on=TODAY(), value="42", source="Tally"
                )
            ],
        ),
        history_of=lambda rows: rows[0],
    ),
    "checkin_move": Case(
        allowed=CONTRIBUTORS,
        verb=Action.CHECKIN_MOVED,
        prepare=_with_checkin,
        call=lambda w, actor, ctx: services.checkin_move(
            actor=actor, checkin=ctx["checkin"], due_date=TODAY() + timedelta(days=9)
        ),
    ),
    "experiment_start": Case(
        allowed=CONTRIBUTORS,
        verb=Action.EXPERIMENT_STARTED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.experiment_start(
            actor=actor,
            partnership=w.partnership,
            title="Lunch instead of dinner",
            hypothesis="More people come at noon.",
            what_is_tried="Serve lunch for a month.",
        ),
    ),
    "experiment_close": Case(
        allowed=CONTRIBUTORS,
        verb=Action.EXPERIMENT_CLOSED,
        prepare=_with_experiment,
        call=lambda w, actor, ctx: services.experiment_close(
            actor=actor,
            experiment=ctx["experiment"],
            result="Twice as many came.",
            decision=Experiment.Decision.ADOPT,
        ),
    ),
    "need_state": Case(
        allowed=CONTRIBUTORS,
        verb=Action.NEED_STATED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.need_state(
            actor=actor,
            partnership=w.partnership,
            organization=own_organization(w, actor),
            amount="12000",
            currency="usd",
            period="2027",
            purpose="A second van",
        ),
        private=True,
    ),
    "need_update": Case(
        allowed=CONTRIBUTORS,
        verb=Action.NEED_UPDATED,
        prepare=_with_need,
        call=lambda w, actor, ctx: services.need_update(
            actor=actor,
            need=ctx["need"],
            status=FinancialNeed.Status.PARTLY_MET,
            discussion_notes="The city covers half.",
        ),
        private=True,
    ),
    "partnership_archive": Case(
        allowed=ADMINS,
        verb=Action.ARCHIVED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.partnership_archive(
            actor=actor, partnership=w.partnership
        ),
        history_of=None,
    ),
    "partnership_unarchive": Case(
        allowed=ADMINS,
        verb=Action.UNARCHIVED,
        prepare=_archived,
        call=lambda w, actor, ctx: services.partnership_unarchive(
            actor=actor, partnership=w.partnership
        ),
        history_of=None,
    ),
    "partnership_delete": Case(
        allowed=ADMINS,
        verb=Action.DELETED,
        prepare=_nothing,
        call=lambda w, actor, ctx: services.partnership_delete(
            actor=actor, partnership=w.partnership
        ),
        history_of=None,
    ),
    "indicator_update": Case(
        allowed=CONTRIBUTORS,
        verb=Action.INDICATOR_UPDATED,
        prepare=_with_indicator,
        call=lambda w, actor, ctx: services.indicator_update(
            actor=actor,
            indicator=ctx["indicator"],
            name="Families fed",
            unit="families",
            direction=Indicator.Direction.UP,
            baseline="10",
            target="120",
            target_date=TODAY() + timedelta(days=300),
        ),
    ),
    "measurement_correct": Case(
        allowed=CONTRIBUTORS,
        verb=Action.MEASUREMENT_CORRECTED,
        prepare=_with_measurement,
        call=lambda w, actor, ctx: services.measurement_correct(
            actor=actor, measurement=ctx["measurement"], on=TODAY(), value="21", source="Tally"
        ),
    ),
    "measurement_withdraw": Case(
        allowed=CONTRIBUTORS,
        verb=Action.MEASUREMENT_WITHDRAWN,
        prepare=_with_measurement,
        call=lambda w, actor, ctx: services.measurement_withdraw(
            actor=actor, measurement=ctx["measurement"]
        ),
    ),
    "progress_correct": Case(
        allowed=CONTRIBUTORS,
        verb=Action.PROGRESS_CORRECTED,
        prepare=_with_update,
        call=lambda w, actor, ctx: services.progress_correct(
            actor=actor, update=ctx["update"], text="Met twenty-two families.", on=TODAY()
        ),
    ),
    "progress_withdraw": Case(
        allowed=CONTRIBUTORS,
        verb=Action.PROGRESS_WITHDRAWN,
        prepare=_with_update,
        call=lambda w, actor, ctx: services.progress_withdraw(actor=actor, update=ctx["update"]),
    ),
}

ALLOWED = [(name, persona) for name, case in CASES.items() for persona in case.allowed]
DENIED = [
    (name, persona)
    for name, case in CASES.items()
    for persona in PERSONAS
    if persona not in case.allowed
]


def test_every_service_has_a_case() -> None:
    public = {
        name
        for name, value in vars(services).items()
        if callable(value)
        and not name.startswith("_")
        and getattr(value, "__module__", "").startswith(f"{services.__name__}.")
    }
    # The sweep's helpers take no actor; they have tests of their own. NewOrganization is
    # what partner_add and partnership_create take to invite by e-mail, NewMeasurement and
    # RowErrors what measurements_add takes and raises.
    not_services = {
        "checkin_ensure_next",
        "checkins_ensure_next_bulk",
        "NewOrganization",
        "NewMeasurement",
        "RowErrors",
    }
    assert public - not_services == set(CASES)


@pytest.mark.parametrize(("name", "persona"), ALLOWED)
def test_allowed_persona_succeeds_and_is_recorded(world: World, name: str, persona: str) -> None:
    case = CASES[name]
    ctx = case.prepare(world)
    actor = actor_of(world, persona)
    before = Event.objects.count()

    result = case.call(world, actor, ctx)

    partnership = result if isinstance(result, Partnership) else world.partnership
    activity = last_activity(partnership)
    assert Event.objects.count() == before + 1
    assert activity.action == case.verb
    assert activity.actor == actor
    assert activity.private is case.private
    if case.history_of is not None:
        assert case.history_of(result).history.first().history_user == actor


@pytest.mark.parametrize(("name", "persona"), DENIED)
def test_persona_without_the_right_is_refused_and_nothing_changes(
    world: World, name: str, persona: str
) -> None:
    case = CASES[name]
    ctx = case.prepare(world)

    with nothing_changes(), pytest.raises(PermissionDenied):
        case.call(world, actor_of(world, persona), ctx)


@pytest.mark.parametrize(
    "name",
    [
        name
        for name, case in CASES.items()
        if case.allowed == MANAGERS and name != "partnership_create"
    ],
)
def test_city_staff_who_is_not_the_point_of_contact_cannot_manage(world: World, name: str) -> None:
    colleague = f.UserFactory()
    f.MembershipFactory(user=colleague, organization=world.city)
    case = CASES[name]
    ctx = case.prepare(world)

    with nothing_changes(), pytest.raises(PermissionDenied):
        case.call(world, colleague, ctx)


# --- Partnerships -------------------------------------------------------------------------------


def test_creating_a_partnership_adds_the_lead_the_first_stage_and_a_first_checkin(
    world: World,
) -> None:
    pathway, stages = pathway_with_stages()

    partnership = services.partnership_create(
        actor=world.city_admin,
        city=world.city,
        lead=world.enterprise,
        title="  Warm homes ",
        goal="No cold homes by 2030",
        problem_statement="Old houses lose heat.",
        pathway=pathway,
        cadence=Partnership.Cadence.FORTNIGHTLY,
    )

    assert partnership.title == "Warm homes"
    assert partnership.point_of_contact == world.city_admin
    assert partnership.stage == stages[0]
    assert list(partnership.partners.values_list("organization", flat=True)) == [
        world.enterprise.pk
    ]
    change = StageChange.objects.get(partnership=partnership)
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        None,
        stages[0],
        world.city_admin,
    )
    [checkin] = partnership.checkins.all()
    assert checkin.status == CheckIn.Status.SCHEDULED
    assert checkin.due_date == TODAY() + timedelta(weeks=2)


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("title", {"title": "   "}),
        ("goal", {"goal": ""}),
        ("problem_statement", {"problem_statement": " "}),
        ("lead", {"lead": "other_city"}),
        ("point_of_contact", {"point_of_contact": "other_city_staff"}),
        ("stage", {"stage": "other_pathway_stage"}),
        ("status", {"status": "dreaming"}),
    ],
)
def test_creating_a_partnership_with_bad_input_changes_nothing(
    world: World, field: str, changes: dict[str, Any]
) -> None:
    pathway, _ = pathway_with_stages()
    other_stage = Stage.objects.exclude(pathway=pathway).first()
    named = {
        "other_city": world.other_city,
        "other_city_staff": world.other_city_staff,
        "other_pathway_stage": other_stage,
    }
    kwargs: dict[str, Any] = {
        "actor": world.city_staff,
        "city": world.city,
        "lead": world.enterprise,
        "title": "Warm homes",
        "goal": "No cold homes by 2030",
        "problem_statement": "Old houses lose heat.",
        "pathway": pathway,
    }
    kwargs.update({key: named.get(value, value) for key, value in changes.items()})

    assert_invalid(field, lambda: services.partnership_create(**kwargs))


def test_nobody_creates_a_partnership_for_another_city(world: World) -> None:
    with nothing_changes(), pytest.raises(PermissionDenied):
        services.partnership_create(
            actor=world.city_staff,
            city=world.other_city,
            lead=world.enterprise,
            title="Not ours",
            goal="A goal",
            problem_statement="A problem",
        )


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("point_of_contact", {"point_of_contact": "other_city_staff"}),
        ("point_of_contact", {"point_of_contact": "entrepreneur"}),
        ("status", {"status": "dreaming"}),
        ("cadence", {"cadence": "daily"}),
        ("title", {"title": "  "}),
    ],
)
def test_updating_a_partnership_with_bad_input_changes_nothing(
    world: World, field: str, changes: dict[str, Any]
) -> None:
    values = {
        key: getattr(world, value) if value in ("other_city_staff", "entrepreneur") else value
        for key, value in changes.items()
    }

    assert_invalid(
        field,
        lambda: services.partnership_update(
            actor=world.city_staff, partnership=world.partnership, **values
        ),
    )


def test_a_refused_update_leaves_the_callers_instance_as_stored(world: World) -> None:
    partnership = world.partnership
    title, status = partnership.title, partnership.status

    assert_invalid(
        "status",
        lambda: services.partnership_update(
            actor=world.city_staff, partnership=partnership, title="New", status="dreaming"
        ),
    )

    assert (partnership.title, partnership.status) == (title, status)


def test_updating_a_field_that_services_do_not_own_is_a_programming_error(world: World) -> None:
    with nothing_changes(), pytest.raises(ValueError, match="city"):
        services.partnership_update(
            actor=world.city_admin, partnership=world.partnership, city=world.other_city
        )


# --- Reframing ----------------------------------------------------------------------------------


def test_reframing_keeps_the_previous_statement(world: World) -> None:
    original = world.partnership.problem_statement

    first = services.partnership_reframe(
        actor=world.entrepreneur,
        partnership=world.partnership,
        statement="Neighbours are lonely.",
        learned="People stay for the talk.",
        reframed_on=TODAY() - timedelta(days=2),
    )
    second = services.partnership_reframe(
        actor=world.city_staff,
        partnership=world.partnership,
        statement="Neighbours lack places to meet.",
        learned="The library closed.",
    )

    world.partnership.refresh_from_db()
    assert world.partnership.problem_statement == "Neighbours lack places to meet."
    assert (first.previous_statement, first.statement) == (original, "Neighbours are lonely.")
    assert second.previous_statement == "Neighbours are lonely."
    assert list(world.partnership.reframings.all()) == [second, first]
    assert world.partnership.history.first().history_user == world.city_staff


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("statement", {"statement": "  "}),
        ("learned", {"learned": ""}),
        ("statement", {"statement": "Families wait months for support they need now. "}),
        ("reframed_on", {"reframed_on": date.today() + timedelta(days=1)}),
    ],
)
def test_reframing_with_bad_input_changes_nothing(
    world: World, field: str, kwargs: dict[str, Any]
) -> None:
    args = {"statement": "Something new.", "learned": "We listened."} | kwargs

    assert_invalid(
        field,
        lambda: services.partnership_reframe(
            actor=world.entrepreneur, partnership=world.partnership, **args
        ),
    )


# --- Stages -------------------------------------------------------------------------------------


def test_moving_the_stage_records_where_from_and_why(world: World) -> None:
    ctx = _staged(world)

    change = services.partnership_move_stage(
        actor=world.city_staff, partnership=world.partnership, stage=ctx["stage"], reason=" Ready "
    )

    world.partnership.refresh_from_db()
    assert world.partnership.stage == ctx["stage"]
    assert change.from_stage.order == 1
    assert (change.to_stage, change.reason, change.changed_by) == (
        ctx["stage"],
        "Ready",
        world.city_staff,
    )


def test_moving_to_a_stage_of_another_pathway_is_refused(world: World) -> None:
    ctx = _staged(world)
    foreign = Stage.objects.exclude(pathway=ctx["stage"].pathway).order_by("pk").first()

    assert_invalid(
        "stage",
        lambda: services.partnership_move_stage(
            actor=world.city_admin, partnership=world.partnership, stage=foreign, reason="Why not"
        ),
    )


def test_moving_to_the_current_stage_or_without_a_reason_is_refused(world: World) -> None:
    _staged(world)
    current = world.partnership.stage
    later = current.pathway.stages.order_by("order")[1]

    assert_invalid(
        "stage",
        lambda: services.partnership_move_stage(
            actor=world.city_admin, partnership=world.partnership, stage=current, reason="Again"
        ),
    )
    assert_invalid(
        "reason",
        lambda: services.partnership_move_stage(
            actor=world.city_admin, partnership=world.partnership, stage=later, reason=" "
        ),
    )


def test_a_partnership_without_a_pathway_takes_the_pathway_of_its_first_stage(
    world: World,
) -> None:
    _, stages = pathway_with_stages()

    services.partnership_move_stage(
        actor=world.city_staff, partnership=world.partnership, stage=stages[1], reason="Start"
    )

    world.partnership.refresh_from_db()
    assert world.partnership.pathway == stages[1].pathway


# --- Partners and responsibilities ----------------------------------------------------------------


def test_a_new_partners_people_can_open_the_partnership_once_it_accepted(world: World) -> None:
    funder = f.OrganizationFactory(kind=Organization.Kind.FUNDER)
    funder_person = f.UserFactory()
    f.MembershipFactory(user=funder_person, organization=funder)
    assert not perms.can_view(funder_person, world.partnership)

    partner = services.partner_add(
        actor=world.city_staff,
        partnership=world.partnership,
        organization=funder,
        role_description="Funds the vans",
    )
    # Invited is not yet in: the funder's people see nothing until it accepts.
    assert not perms.can_view(funder_person, world.partnership)
    assert not perms.can_see_money(funder_person, world.partnership)
    f.MembershipFactory(user=f.UserFactory(), organization=funder)
    funder_admin = f.UserFactory()
    f.MembershipFactory(user=funder_admin, organization=funder, role=Membership.Role.ADMIN)

    services.partner_accept(actor=funder_admin, partner=partner)

    # The same instance: its cached partner list must not hide the new partner.
    assert perms.can_contribute(funder_person, world.partnership)


def test_the_lead_partner_cannot_be_removed(world: World) -> None:
    lead = Partner.objects.get(partnership=world.partnership, organization=world.enterprise)

    assert_invalid(None, lambda: services.partner_remove(actor=world.city_admin, partner=lead))
    assert Partner.objects.filter(pk=lead.pk).exists()


def test_removing_a_partner_keeps_its_history(world: World) -> None:
    partner = _with_partner(world)["partner"]
    pk = partner.pk

    services.partner_remove(actor=world.city_staff, partner=partner)

    assert not Partner.objects.filter(pk=pk).exists()
    deleted = Partner.history.filter(id=pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", world.city_staff)


@pytest.mark.parametrize("who", ["city", "existing", "blank_role"])
def test_adding_a_partner_with_bad_input_changes_nothing(world: World, who: str) -> None:
    organization = {"city": world.city, "existing": world.enterprise, "blank_role": None}[who]
    organization = organization or f.OrganizationFactory()
    role = "" if who == "blank_role" else "Helps"
    field = "role_description" if who == "blank_role" else "organization"

    assert_invalid(
        field,
        lambda: services.partner_add(
            actor=world.city_staff,
            partnership=world.partnership,
            organization=organization,
            role_description=role,
        ),
    )


def test_updating_a_partner_needs_a_role(world: World) -> None:
    partner = _with_partner(world)["partner"]

    assert_invalid(
        "role_description",
        lambda: services.partner_update(
            actor=world.city_staff, partner=partner, role_description=""
        ),
    )


def test_responsibilities_go_to_partners_only(world: World) -> None:
    assert_invalid(
        "organization",
        lambda: services.responsibility_add(
            actor=world.entrepreneur,
            partnership=world.partnership,
            organization=world.outsider_org,
            description="Not theirs",
        ),
    )
    assert_invalid(
        "description",
        lambda: services.responsibility_add(
            actor=world.entrepreneur,
            partnership=world.partnership,
            organization=world.city,
            description=" ",
        ),
    )


def test_a_responsibility_takes_only_known_statuses(world: World) -> None:
    responsibility = _with_responsibility(world)["responsibility"]

    assert_invalid(
        "status",
        lambda: services.responsibility_update(
            actor=world.entrepreneur, responsibility=responsibility, status="finished"
        ),
    )


# --- Plan ---------------------------------------------------------------------------------------


def test_publishing_a_second_version_keeps_the_first_intact(world: World) -> None:
    v1 = services.plan_publish(
        actor=world.entrepreneur,
        partnership=world.partnership,
        sections=[("Why", "Older neighbours eat alone."), ("How", "Shared lunches.")],
        note="First draft",
    )

    v2 = services.plan_publish(
        actor=world.city_staff,
        partnership=world.partnership,
        sections=[("Why", "Older neighbours are lonely."), ("", ""), ("Who", "Volunteers.")],
    )

    assert (v1.number, v2.number) == (1, 2)
    assert list(v1.sections.values_list("order", "heading", "body")) == [
        (1, "Why", "Older neighbours eat alone."),
        (2, "How", "Shared lunches."),
    ]
    # The empty section is dropped, not kept as a gap.
    assert list(v2.sections.values_list("order", "heading", "body")) == [
        (1, "Why", "Older neighbours are lonely."),
        (2, "Who", "Volunteers."),
    ]
    assert (v1.published_by, v2.published_by) == (world.entrepreneur, world.city_staff)


@pytest.mark.parametrize(
    "sections",
    [[], [("  ", " ")], [("Why", "")], [("", "A text without a heading")], [("W" * 201, "Text")]],
)
def test_a_plan_without_complete_sections_is_refused(
    world: World, sections: list[tuple[str, str]]
) -> None:
    assert_invalid(
        "sections",
        lambda: services.plan_publish(
            actor=world.entrepreneur, partnership=world.partnership, sections=sections
        ),
    )
    assert not PlanSection.objects.exists()


# --- Check-ins ----------------------------------------------------------------------------------


def _scheduled(partnership: Partnership) -> list[CheckIn]:
    return list(partnership.checkins.filter(status=CheckIn.Status.SCHEDULED))


def _new_partnership(world: World, cadence: str = Partnership.Cadence.MONTHLY) -> Partnership:
    partnership = services.partnership_create(
        actor=world.city_staff,
        city=world.city,
        lead=world.enterprise,
        title="Warm homes",
        goal="No cold homes by 2030",
        problem_statement="Old houses lose heat.",
        cadence=cadence,
    )
    services.partner_accept(actor=world.entrepreneur, partner=partnership.partners.get())
    return partnership


@pytest.mark.parametrize(
    ("cadence", "interval"),
    [
        (Partnership.Cadence.WEEKLY, timedelta(weeks=1)),
        (Partnership.Cadence.FORTNIGHTLY, timedelta(weeks=2)),
        (Partnership.Cadence.MONTHLY, timedelta(days=30)),
    ],
)
def test_recording_a_checkin_schedules_exactly_one_next_at_the_cadence(
    world: World, cadence: str, interval: timedelta
) -> None:
    partnership = _new_partnership(world, cadence)
    [first] = _scheduled(partnership)
    held_on = TODAY() - timedelta(days=1)

    recorded = services.checkin_record(
        actor=world.entrepreneur,
        checkin=first,
        held=True,
        held_on=held_on,
        attendees=[world.entrepreneur, world.city_staff],
        attending_organizations=[world.enterprise, world.city],
        decisions=" Keep going ",
    )

    assert recorded.status == CheckIn.Status.HELD
    assert (recorded.recorded_by, recorded.decisions) == (world.entrepreneur, "Keep going")
    assert set(recorded.attendees.all()) == {world.entrepreneur, world.city_staff}
    [upcoming] = _scheduled(partnership)
    assert upcoming.due_date == held_on + interval
    assert upcoming.due_date > TODAY()


def test_a_missed_checkin_long_ago_schedules_the_next_one_ahead_not_in_the_past(
    world: World,
) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=TODAY() - timedelta(days=90))

    services.checkin_record(actor=world.city_staff, checkin=checkin, held=False)

    checkin.refresh_from_db()
    assert (checkin.status, checkin.held_on) == (CheckIn.Status.MISSED, None)
    [upcoming] = _scheduled(world.partnership)
    assert upcoming.due_date == TODAY() + world.partnership.cadence_interval()


def test_recording_keeps_a_checkin_someone_already_scheduled(world: World) -> None:
    due = f.CheckInFactory(partnership=world.partnership, due_date=TODAY())
    later = services.checkin_schedule(
        actor=world.city_staff, partnership=world.partnership, due_date=TODAY() + timedelta(days=5)
    )

    services.checkin_record(actor=world.city_staff, checkin=due, held=True, held_on=TODAY())

    assert _scheduled(world.partnership) == [later]


def test_a_closed_partnership_gets_no_next_checkin(world: World) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=TODAY())
    Partnership.objects.filter(pk=world.partnership.pk).update(status=Partnership.Status.CLOSED)
    world.partnership.refresh_from_db()

    services.checkin_record(actor=world.city_staff, checkin=checkin, held=True, held_on=TODAY())

    assert _scheduled(world.partnership) == []


def test_ensure_next_is_idempotent(world: World) -> None:
    first = services.checkin_ensure_next(partnership=world.partnership)
    again = services.checkin_ensure_next(partnership=world.partnership)

    assert first is not None
    assert again is None
    assert _scheduled(world.partnership) == [first]


def test_ensure_next_reads_the_status_from_the_database(world: World) -> None:
    """A partnership closed since it was loaded gets nothing new."""
    stale = Partnership.objects.get(pk=world.partnership.pk)
    Partnership.objects.filter(pk=stale.pk).update(status=Partnership.Status.CLOSED)

    assert services.checkin_ensure_next(partnership=stale) is None
    assert not stale.checkins.exists()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("held_on", {"held": True, "held_on": None}),
        ("held_on", {"held": True, "held_on": date.today() + timedelta(days=2)}),
        ("attending_organizations", {"held": True, "attending_organizations": ["outsider_org"]}),
        ("attendees", {"held": True, "attendees": ["outsider"]}),
        ("attendees", {"held": False, "attendees": ["other_city_staff"]}),
    ],
)
def test_recording_a_checkin_with_bad_input_changes_nothing(
    world: World, field: str, kwargs: dict[str, Any]
) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=TODAY())
    args = {"held_on": TODAY()} | kwargs
    if "attending_organizations" in args:
        args["attending_organizations"] = [world.outsider_org]
    if "attendees" in args:
        args["attendees"] = [world.entrepreneur, *(getattr(world, p) for p in args["attendees"])]

    assert_invalid(
        field, lambda: services.checkin_record(actor=world.entrepreneur, checkin=checkin, **args)
    )
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.SCHEDULED


def test_a_checkin_is_recorded_once(world: World) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=TODAY())
    services.checkin_record(actor=world.entrepreneur, checkin=checkin, held=True, held_on=TODAY())

    assert_invalid(
        None,
        lambda: services.checkin_record(actor=world.city_staff, checkin=checkin, held=False),
    )


def test_scheduling_needs_a_free_date_from_today_on(world: World) -> None:
    services.checkin_schedule(
        actor=world.entrepreneur, partnership=world.partnership, due_date=TODAY()
    )

    for due in (TODAY(), TODAY() - timedelta(days=1)):
        assert_invalid(
            "due_date",
            lambda due=due: services.checkin_schedule(
                actor=world.entrepreneur, partnership=world.partnership, due_date=due
            ),
        )


# --- Progress -----------------------------------------------------------------------------------


def test_progress_is_logged_for_the_authors_organization_with_practices_and_levers(
    world: World,
) -> None:
    practice = Practice.objects.order_by("number").first()

    update = services.progress_log(
        actor=world.entrepreneur,
        partnership=world.partnership,
        organization=world.enterprise,
        text=" Opened a second kitchen ",
        practices=[practice],
        levers=[Lever.DATA, Lever.DATA, Lever.FUNDING],
    )

    assert update.text == "Opened a second kitchen"
    assert update.levers == [Lever.DATA, Lever.FUNDING]
    assert list(update.practices.all()) == [practice]
    assert update.history.first().history_user == world.entrepreneur


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("text", {"text": " "}),
        ("organization", {"organization": "city"}),
        ("organization", {"organization": "outsider_org"}),
        ("date", {"on": date.today() + timedelta(days=1)}),
        ("levers", {"levers": ["magic"]}),
    ],
)
def test_logging_progress_with_bad_input_changes_nothing(
    world: World, field: str, kwargs: dict[str, Any]
) -> None:
    args: dict[str, Any] = {"organization": world.enterprise, "text": "Did things"} | kwargs
    if isinstance(args["organization"], str):
        args["organization"] = getattr(world, args["organization"])

    assert_invalid(
        field,
        lambda: services.progress_log(
            actor=world.entrepreneur, partnership=world.partnership, **args
        ),
    )


# --- Evidence -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "direction", "baseline", "target"),
    [
        ("target", Indicator.Direction.UP, "100", "50"),
        ("target", Indicator.Direction.DOWN, "50", "100"),
        ("target", Indicator.Direction.UP, "50", "50"),
        ("direction", "sideways", "50", "100"),
        ("baseline", Indicator.Direction.UP, "many", "100"),
        ("target", Indicator.Direction.UP, "1", "NaN"),
        ("target", Indicator.Direction.UP, "1", "1e15"),
    ],
)
def test_an_indicator_target_must_match_its_direction(
    world: World, field: str, direction: str, baseline: str, target: str
) -> None:
    assert_invalid(
        field,
        lambda: services.indicator_create(
            actor=world.entrepreneur,
            partnership=world.partnership,
            name="Waiting time",
            unit="days",
            direction=direction,
            baseline=baseline,
            target=target,
            target_date=TODAY() + timedelta(days=100),
        ),
    )


def test_a_falling_indicator_may_aim_down(world: World) -> None:
    indicator = services.indicator_create(
        actor=world.entrepreneur,
        partnership=world.partnership,
        name="Waiting time",
        unit="days",
        direction=Indicator.Direction.DOWN,
        baseline=Decimal("90"),
        target=Decimal("30.5"),
        target_date=TODAY() + timedelta(days=100),
    )

    assert (indicator.baseline, indicator.target) == (Decimal("90"), Decimal("30.5"))


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("value", {"value": "lots"}),
        ("date", {"on": date.today() + timedelta(days=1)}),
        ("source", {"source": " "}),
        ("source", {"source": "x" * 201}),
        # Rounds up to 10^12, more digits than the column holds.
        ("value", {"value": "999999999999.996"}),
    ],
)
def test_a_measurement_with_bad_input_changes_nothing(
    world: World, field: str, kwargs: dict[str, Any]
) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    args = {"on": TODAY(), "value": "12", "source": "Tally"} | kwargs

    assert_invalid(
        field,
        lambda: services.measurement_add(actor=world.city_staff, indicator=indicator, **args),
    )


# --- Experiments --------------------------------------------------------------------------------


def test_an_experiment_cannot_end_before_it_starts(world: World) -> None:
    assert_invalid(
        "ends_on",
        lambda: services.experiment_start(
            actor=world.entrepreneur,
            partnership=world.partnership,
            title="Evening hours",
            hypothesis="Parents come later.",
            what_is_tried="Open till eight.",
            started_on=TODAY(),
            ends_on=TODAY() - timedelta(days=1),
        ),
    )


def test_an_experiment_runs_from_start_to_end(world: World) -> None:
    experiment = services.experiment_start(
        actor=world.entrepreneur,
        partnership=world.partnership,
        title="Evening hours",
        hypothesis="Parents come later.",
        what_is_tried="Open till eight.",
        started_on=TODAY() - timedelta(days=10),
        ends_on=TODAY() - timedelta(days=10),
    )

    closed = services.experiment_close(
        actor=world.city_staff,
        experiment=experiment,
        result="Nobody came.",
        decision=Experiment.Decision.ABANDON,
        ended_on=TODAY() - timedelta(days=1),
    )

    assert (closed.decision, closed.ends_on) == ("abandon", TODAY() - timedelta(days=1))
    assert closed.history.first().history_user == world.city_staff


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("result", {"result": " "}),
        ("decision", {"decision": "maybe"}),
        ("ended_on", {"ended_on": date.today() - timedelta(days=365)}),
    ],
)
def test_closing_an_experiment_with_bad_input_changes_nothing(
    world: World, field: str, kwargs: dict[str, Any]
) -> None:
    experiment = _with_experiment(world)["experiment"]
    args = {"result": "It worked.", "decision": Experiment.Decision.ADAPT} | kwargs

    assert_invalid(
        field,
        lambda: services.experiment_close(actor=world.entrepreneur, experiment=experiment, **args),
    )


def test_an_experiment_is_closed_once(world: World) -> None:
    experiment = _with_experiment(world)["experiment"]
    services.experiment_close(
        actor=world.entrepreneur, experiment=experiment, result="Worked", decision="adopt"
    )

    assert_invalid(
        None,
        lambda: services.experiment_close(
            actor=world.entrepreneur, experiment=experiment, result="Again", decision="abandon"
        ),
    )


# --- Money --------------------------------------------------------------------------------------


def test_a_stated_need_is_normalised_and_private_on_the_timeline(world: World) -> None:
    need = services.need_state(
        actor=world.entrepreneur,
        partnership=world.partnership,
        organization=world.enterprise,
        amount="2500.50",
        currency=" eur ",
        period=" 2027 ",
        purpose="Cooking classes",
    )

    assert (need.amount, need.currency, need.period) == (Decimal("2500.50"), "EUR", "2027")
    assert need.stated_by == world.entrepreneur
    assert last_activity(world.partnership).private is True


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("amount", {"amount": "0"}),
        ("amount", {"amount": "-5"}),
        ("amount", {"amount": "a lot"}),
        ("amount", {"amount": "Infinity"}),
        ("amount", {"amount": None}),
        # Stored with two decimals, this would be a need of zero.
        ("amount", {"amount": "0.001"}),
        ("amount", {"amount": "999999999999.999"}),
        ("period", {"period": "x" * 101}),
        ("currency", {"currency": "US"}),
        ("currency", {"currency": "DOLLARS"}),
        ("currency", {"currency": "U$D"}),
        ("currency", {"currency": "ÉUR"}),
        ("currency", {"currency": ""}),
        ("organization", {"organization": "city"}),
        ("organization", {"organization": "outsider_org"}),
        ("period", {"period": ""}),
        ("purpose", {"purpose": "  "}),
    ],
)
def test_stating_a_need_with_bad_input_changes_nothing(
    world: World, field: str, kwargs: dict[str, Any]
) -> None:
    args: dict[str, Any] = {
        "organization": "enterprise",
        "amount": "100",
        "currency": "USD",
        "period": "2027",
        "purpose": "Vans",
    } | kwargs
    args["organization"] = getattr(world, args["organization"])

    assert_invalid(
        field,
        lambda: services.need_state(
            actor=world.entrepreneur, partnership=world.partnership, **args
        ),
    )


def test_the_city_states_its_own_needs_only(world: World) -> None:
    need = services.need_state(
        actor=world.city_staff,
        partnership=world.partnership,
        organization=world.city,
        amount="100",
        currency="USD",
        period="2027",
        purpose="Venue",
    )
    assert need.organization == world.city

    assert_invalid(
        "organization",
        lambda: services.need_state(
            actor=world.city_staff,
            partnership=world.partnership,
            organization=world.enterprise,
            amount="100",
            currency="USD",
            period="2027",
            purpose="Venue",
        ),
    )


def test_a_need_takes_only_known_statuses(world: World) -> None:
    need = _with_need(world)["need"]

    assert_invalid(
        "status",
        lambda: services.need_update(actor=world.city_admin, need=need, status="paid"),
    )


# --- The timeline ---------------------------------------------------------------------------------


def test_every_change_moves_the_partnerships_last_activity(world: World) -> None:
    earlier = timezone.now() - timedelta(days=3)
    Partnership.objects.filter(pk=world.partnership.pk).update(last_activity_at=earlier)

    services.progress_log(
        actor=world.entrepreneur,
        partnership=world.partnership,
        organization=world.enterprise,
        text="Cooked.",
    )

    world.partnership.refresh_from_db()
    assert world.partnership.last_activity_at > earlier


def test_amounts_are_kept_with_two_decimals(world: World) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)

    measurement = services.measurement_add(
        actor=world.entrepreneur, indicator=indicator, on=TODAY(), value="3.14159", source="Scale"
    )

    measurement.refresh_from_db()
    assert measurement.value == Decimal("3.14")


@pytest.mark.parametrize(
    ("service", "field", "kwargs"),
    [
        ("responsibility_add", "description", {"description": "d" * 301}),
        ("indicator_create", "name", {"name": "n" * 201}),
        ("indicator_create", "unit", {"unit": "u" * 51}),
        ("experiment_start", "title", {"title": "t" * 201}),
        ("plan_publish", "note", {"note": "n" * 301}),
    ],
)
def test_texts_longer_than_their_field_are_refused_with_a_message(
    world: World, service: str, field: str, kwargs: dict[str, Any]
) -> None:
    base: dict[str, dict[str, Any]] = {
        "responsibility_add": {"organization": world.enterprise, "description": "Cook"},
        "indicator_create": {
            "name": "Meals",
            "unit": "meals",
            "direction": "up",
            "baseline": "1",
            "target": "2",
            "target_date": TODAY(),
        },
        "experiment_start": {"title": "T", "hypothesis": "H", "what_is_tried": "W"},
        "plan_publish": {"sections": [("Why", "Because")]},
    }
    args = base[service] | kwargs

    assert_invalid(
        field,
        lambda: getattr(services, service)(
            actor=world.entrepreneur, partnership=world.partnership, **args
        ),
    )
