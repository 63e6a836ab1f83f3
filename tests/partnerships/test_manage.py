"""The partnership management pages: who may open them, what a valid form changes,
and that a rejected form changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from partnerships import services
from partnerships.events import Action
from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Partner,
    Partnership,
    PlanVersion,
    Reframing,
    Responsibility,
    StageChange,
)
from playbook.models import ModelPathway, Stage
from tests import factories as f
from tests.conftest import World

TODAY = timezone.localdate


@dataclass
class Objects:
    """Things nested in ``world.partnership`` and their twins in ``world.other_partnership``."""

    partner: Partner
    lead_partner: Partner
    responsibility: Responsibility
    experiment: Experiment
    need: FinancialNeed
    other_partner: Partner
    other_responsibility: Responsibility
    other_experiment: Experiment
    other_need: FinancialNeed


@pytest.fixture
def objs(world: World) -> Objects:
    p, other = world.partnership, world.other_partnership
    return Objects(
        partner=f.PartnerFactory(partnership=p, organization=f.OrganizationFactory(name="Food Co")),
        lead_partner=p.partners.get(organization=world.enterprise),
        responsibility=Responsibility.objects.create(
            partnership=p, organization=world.enterprise, description="Cook the meals"
        ),
        experiment=f.ExperimentFactory(partnership=p, started_on=TODAY() - timedelta(days=10)),
        need=f.FinancialNeedFactory(partnership=p),
        other_partner=f.PartnerFactory(partnership=other),
        other_responsibility=Responsibility.objects.create(
            partnership=other, organization=other.lead, description="Clean the river"
        ),
        other_experiment=f.ExperimentFactory(partnership=other),
        other_need=f.FinancialNeedFactory(partnership=other),
    )


@dataclass
class Pathways:
    first: ModelPathway
    second: ModelPathway
    first_stages: list[Stage]
    second_stages: list[Stage]


@pytest.fixture
def pathways(db: None) -> Pathways:
    """Two pathways with at least two stages each, whether or not the seed data is loaded."""
    found: list[ModelPathway] = []
    for n, endgame in enumerate(ModelPathway.Endgame.values[:2]):
        pathway, _ = ModelPathway.objects.get_or_create(
            endgame=endgame,
            defaults={"slug": f"test-{endgame}", "name": f"Pathway {n}", "description": "-"},
        )
        for order in (1, 2):
            Stage.objects.get_or_create(
                pathway=pathway,
                order=order,
                defaults={
                    "slug": f"stage-{order}",
                    "name": f"Stage {order}",
                    "what_to_expect": "-",
                    "city_support": "-",
                },
            )
        found.append(pathway)
    return Pathways(
        first=found[0],
        second=found[1],
        first_stages=list(found[0].stages.order_by("order")),
        second_stages=list(found[1].stages.order_by("order")),
    )


def url(name: str, world: World, objs: Objects | None = None, **kwargs: Any) -> str:
    """The URL of a management page on ``world.partnership``, with its nested object."""
    if name == "create":
        return reverse("partnerships:create")
    nested = {
        "partner_edit": "partner_pk",
        "partner_remove": "partner_pk",
        "responsibility_edit": "responsibility_pk",
        "experiment_close": "experiment_pk",
        "need_update": "need_pk",
    }
    args: dict[str, int] = {"pk": kwargs.pop("pk", world.partnership.pk)}
    if name in nested:
        assert objs is not None
        default = {
            "partner_pk": objs.partner.pk,
            "responsibility_pk": objs.responsibility.pk,
            "experiment_pk": objs.experiment.pk,
            "need_pk": objs.need.pk,
        }[nested[name]]
        args[nested[name]] = kwargs.pop(nested[name], default)
    return reverse(f"partnerships:{name}", kwargs=args)


def activities(partnership: Partnership, verb: str) -> int:
    return Event.objects.filter(partnership_id=partnership.pk, action=verb).count()


# --- Who may open which page ---------------------------------------------------------------

PERSONAS = [
    "city_staff",
    "city_admin",
    "entrepreneur",
    "beneficiary",
    "other_city_staff",
    "outsider",
    "anonymous",
]

# GET status per persona, in the order of PERSONAS. 302 is the redirect to the login page.
MANAGE = [200, 200, 403, 403, 404, 404, 302]
CONTRIBUTE = [200, 200, 200, 403, 404, 404, 302]
MONEY = [200, 200, 200, 404, 404, 404, 302]
EXPECTED = {
    # Any city's staff may start a partnership for their own city.
    "create": [200, 200, 404, 404, 200, 404, 302],
    "edit": MANAGE,
    "stage_move": MANAGE,
    "partner_add": MANAGE,
    "partner_edit": MANAGE,
    "partner_remove": MANAGE,
    "reframe": CONTRIBUTE,
    "responsibility_add": CONTRIBUTE,
    "responsibility_edit": CONTRIBUTE,
    "plan_publish": CONTRIBUTE,
    "checkin_schedule": CONTRIBUTE,
    "indicator_create": CONTRIBUTE,
    "experiment_start": CONTRIBUTE,
    "experiment_close": CONTRIBUTE,
    "need_update": MONEY,
}
MATRIX = [
    (name, persona, statuses[i])
    for name, statuses in EXPECTED.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("name", "persona", "status"), MATRIX)
def test_get_answers_each_persona_as_expected(
    client_as: Any, world: World, objs: Objects, name: str, persona: str, status: int
) -> None:
    response = client_as(persona).get(url(name, world, objs))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
    if status == 403:
        assert b"Not allowed" in response.content


@pytest.mark.parametrize("name", [n for n in EXPECTED if n != "create"])
def test_post_by_a_person_who_cannot_see_the_partnership_is_not_found(
    client_as: Any, world: World, objs: Objects, name: str
) -> None:
    before = Event.objects.count()

    response = client_as("other_city_staff").post(url(name, world, objs), {"title": "Hijacked"})

    assert response.status_code == 404
    assert Event.objects.count() == before


def test_city_staff_who_is_not_the_point_of_contact_cannot_edit(
    world: World, objs: Objects
) -> None:
    colleague = f.UserFactory()
    f.MembershipFactory(user=colleague, organization=world.city)
    client = Client()
    client.force_login(colleague)

    assert client.get(url("edit", world)).status_code == 403
    assert client.get(url("stage_move", world)).status_code == 403
    # Contributing stays open to every member of the city.
    assert client.get(url("reframe", world)).status_code == 200


@pytest.mark.parametrize(
    ("name", "kwarg", "attr"),
    [
        ("partner_edit", "partner_pk", "other_partner"),
        ("partner_remove", "partner_pk", "other_partner"),
        ("responsibility_edit", "responsibility_pk", "other_responsibility"),
        ("experiment_close", "experiment_pk", "other_experiment"),
        ("need_update", "need_pk", "other_need"),
    ],
)
def test_nested_object_of_another_partnership_is_not_found(
    client_as: Any, world: World, objs: Objects, name: str, kwarg: str, attr: str
) -> None:
    foreign = getattr(objs, attr)
    target = url(name, world, objs, **{kwarg: foreign.pk})
    client = client_as("city_admin")

    assert client.get(target).status_code == 404
    assert client.post(target, {}).status_code == 404
    assert not Event.objects.filter(partnership_id=world.other_partnership.pk).exists()


# --- Create ----------------------------------------------------------------------------


def create_data(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "city": world.city.pk,
        "lead": world.outsider_org.pk,
        "title": "Warm homes for winter",
        "goal": "No household without heating by 2028",
        "problem_statement": "Older people cannot afford to heat their homes.",
        "lead_role": "Runs the home visits.",
        "pathway": "",
        "stage": "",
        "status": Partnership.Status.EXPLORING,
        "cadence": Partnership.Cadence.FORTNIGHTLY,
        "start_date": TODAY().isoformat(),
        "point_of_contact": world.city_admin.pk,
        "visibility": Partnership.Visibility.PRIVATE,
        "public_summary": "",
    }
    data.update(overrides)
    return data


def test_city_staff_creates_a_partnership_with_pathway_and_stage(
    client_as: Any, world: World, pathways: Pathways
) -> None:
    stage = pathways.first_stages[1]
    data = create_data(world, pathway=pathways.first.pk, stage=stage.pk)

    response = client_as("city_staff").post(url("create", world), data)

    created = Partnership.objects.get(title="Warm homes for winter")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:detail", args=[created.pk])
    assert created.city == world.city
    assert created.lead == world.outsider_org
    assert created.stage == stage
    assert created.point_of_contact == world.city_admin
    assert created.cadence == Partnership.Cadence.FORTNIGHTLY
    assert created.partners.get().role_description == "Runs the home visits."
    assert activities(created, Action.CREATED) == 1


def test_create_page_hides_the_city_choice_when_the_person_has_one_city(
    client_as: Any, world: World
) -> None:
    response = client_as("city_staff").get(url("create", world) + "?q=o")

    assert f'type="hidden" name="city" value="{world.city.pk}"'.encode() in response.content
    # A city cannot lead; the lead search offers the other organizations only.
    assert world.enterprise.name.encode() in response.content
    assert b"City of Lakeside" not in response.content


def test_create_page_lets_a_person_in_two_cities_choose(client_as: Any, world: World) -> None:
    f.MembershipFactory(user=world.city_staff, organization=world.other_city)

    response = client_as("city_staff").get(url("create", world))

    assert b'<select name="city"' in response.content
    assert b"City of Lakeside" in response.content


def test_create_lead_search_narrows_the_list(client_as: Any, world: World) -> None:
    response = client_as("city_staff").get(url("create", world), {"q": "harvest"})

    assert world.enterprise.name.encode() in response.content
    assert world.outsider_org.name.encode() not in response.content


def test_create_rejects_a_stage_of_another_pathway(
    client_as: Any, world: World, pathways: Pathways
) -> None:
    before = Partnership.objects.count()
    data = create_data(world, pathway=pathways.first.pk, stage=pathways.second_stages[0].pk)

    response = client_as("city_staff").post(url("create", world), data)

    assert response.status_code == 400
    assert "This stage belongs to another pathway." in response.content.decode()
    assert b'aria-invalid="true"' in response.content
    assert Partnership.objects.count() == before


def test_create_rejects_a_city_as_lead_and_missing_fields(client_as: Any, world: World) -> None:
    before = Partnership.objects.count()
    data = create_data(world, lead=world.other_city.pk, title="")

    response = client_as("city_staff").post(url("create", world), data)

    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose a social enterprise or group from the list." in content
    assert "This field is required." in content
    assert Partnership.objects.count() == before


def test_create_rejects_a_point_of_contact_from_another_city(client_as: Any, world: World) -> None:
    f.MembershipFactory(user=world.city_staff, organization=world.other_city)
    data = create_data(world, point_of_contact=world.other_city_staff.pk)

    response = client_as("city_staff").post(url("create", world), data)

    assert response.status_code == 400
    assert "The point of contact must work for the city." in response.content.decode()
    assert not Partnership.objects.filter(title="Warm homes for winter").exists()


def test_create_public_partnership_needs_a_summary(client_as: Any, world: World) -> None:
    data = create_data(world, visibility=Partnership.Visibility.PUBLIC_SUMMARY)

    response = client_as("city_staff").post(url("create", world), data)

    assert response.status_code == 400
    assert "Write the summary the public will read" in response.content.decode()


def test_entrepreneur_cannot_create_by_post(client_as: Any, world: World) -> None:
    response = client_as("entrepreneur").post(url("create", world), create_data(world))

    assert response.status_code == 404
    assert not Partnership.objects.filter(title="Warm homes for winter").exists()


# --- Edit ------------------------------------------------------------------------------


def edit_data(world: World, **overrides: Any) -> dict[str, Any]:
    p = world.partnership
    data = {
        "title": p.title,
        "goal": p.goal,
        "status": p.status,
        "cadence": p.cadence,
        "start_date": p.start_date.isoformat(),
        "point_of_contact": world.city_staff.pk,
        "visibility": p.visibility,
        "public_summary": p.public_summary,
        "expected_version": p.version,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["city_staff", "city_admin"])
def test_managers_edit_the_partnership(client_as: Any, world: World, persona: str) -> None:
    data = edit_data(world, title="Meals and company", status=Partnership.Status.PAUSED)

    response = client_as(persona).post(url("edit", world), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:detail", args=[world.partnership.pk])
    world.partnership.refresh_from_db()
    assert world.partnership.title == "Meals and company"
    assert world.partnership.status == Partnership.Status.PAUSED
    activity = Event.objects.get(partnership_id=world.partnership.pk, action=Action.UPDATED)
    assert activity.data["changes"] == {
        "status": [Partnership.Status.ACTIVE, Partnership.Status.PAUSED],
        "title": ["Community meals for older neighbours", "Meals and company"],
    }


def test_edit_form_is_prefilled(client_as: Any, world: World) -> None:
    response = client_as("city_staff").get(url("edit", world))

    assert world.partnership.title.encode() in response.content
    assert f'value="{world.partnership.start_date.isoformat()}"'.encode() in response.content
    assert b'type="date"' in response.content


def test_edit_rejects_a_contact_outside_the_city(client_as: Any, world: World) -> None:
    data = edit_data(world, title="Changed", point_of_contact=world.entrepreneur.pk)

    response = client_as("city_admin").post(url("edit", world), data)

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    world.partnership.refresh_from_db()
    assert world.partnership.title == "Community meals for older neighbours"
    assert activities(world.partnership, Action.UPDATED) == 0


def test_edit_rejects_an_empty_title(client_as: Any, world: World) -> None:
    response = client_as("city_staff").post(url("edit", world), edit_data(world, title=""))

    assert response.status_code == 400
    assert b"This field is required." in response.content
    world.partnership.refresh_from_db()
    assert world.partnership.title == "Community meals for older neighbours"


def test_entrepreneur_cannot_edit_by_post(client_as: Any, world: World) -> None:
    response = client_as("entrepreneur").post(url("edit", world), edit_data(world, title="Ours"))

    assert response.status_code == 403
    world.partnership.refresh_from_db()
    assert world.partnership.title == "Community meals for older neighbours"


def test_edit_without_changes_writes_nothing(client_as: Any, world: World) -> None:
    response = client_as("city_staff").post(url("edit", world), edit_data(world))

    assert response.status_code == 302
    assert activities(world.partnership, Action.UPDATED) == 0


# --- Reframe ---------------------------------------------------------------------------


def test_entrepreneur_reframes_the_problem(client_as: Any, world: World) -> None:
    old = world.partnership.problem_statement
    data = {
        "statement": "Older neighbours are lonely; the meal is the reason to meet.",
        "learned": "Residents told us company mattered more than food.",
        "reframed_on": TODAY().isoformat(),
    }

    response = client_as("entrepreneur").post(url("reframe", world), data)

    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.problem_statement == data["statement"]
    reframing = Reframing.objects.get(partnership=world.partnership)
    assert reframing.previous_statement == old
    assert activities(world.partnership, Action.REFRAMED) == 1


def test_reframe_rejects_the_same_statement(client_as: Any, world: World) -> None:
    data = {
        "statement": world.partnership.problem_statement,
        "learned": "Nothing new.",
        "reframed_on": TODAY().isoformat(),
    }

    response = client_as("city_staff").post(url("reframe", world), data)

    assert response.status_code == 400
    assert b"This is the same as the current problem statement." in response.content
    assert not Reframing.objects.exists()


def test_reframe_rejects_a_future_date(client_as: Any, world: World) -> None:
    data = {
        "statement": "Something else",
        "learned": "A lot.",
        "reframed_on": (TODAY() + timedelta(days=3)).isoformat(),
    }

    response = client_as("city_staff").post(url("reframe", world), data)

    assert response.status_code == 400
    assert b"This date is in the future." in response.content
    world.partnership.refresh_from_db()
    assert world.partnership.problem_statement != "Something else"


def test_beneficiary_cannot_reframe(client_as: Any, world: World) -> None:
    data = {"statement": "Mine", "learned": "Mine", "reframed_on": TODAY().isoformat()}

    response = client_as("beneficiary").post(url("reframe", world), data)

    assert response.status_code == 403
    assert not Reframing.objects.exists()


# --- Stage ------------------------------------------------------------------------------


def test_point_of_contact_moves_the_stage_within_the_pathway(
    client_as: Any, world: World, pathways: Pathways
) -> None:
    first, second = pathways.first_stages[:2]
    Partnership.objects.filter(pk=world.partnership.pk).update(pathway=pathways.first, stage=first)

    page = client_as("city_staff").get(url("stage_move", world))
    response = client_as("city_staff").post(
        url("stage_move", world), {"stage": second.pk, "reason": "The pilot worked."}
    )

    # Only the partnership's own pathway is offered.
    assert str(pathways.second_stages[0].pk) not in [
        opt.split('"')[0] for opt in page.content.decode().split('option value="')[1:]
    ]
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.stage == second
    assert StageChange.objects.get(partnership=world.partnership).reason == "The pilot worked."
    assert activities(world.partnership, Action.STAGE_MOVED) == 1


def test_stage_page_groups_every_pathway_when_none_is_chosen(
    client_as: Any, world: World, pathways: Pathways
) -> None:
    response = client_as("city_admin").get(url("stage_move", world))

    content = response.content.decode()
    assert f'<optgroup label="{pathways.first}">' in content
    assert f'<optgroup label="{pathways.second}">' in content


def test_stage_move_rejects_the_current_stage_and_a_missing_reason(
    client_as: Any, world: World, pathways: Pathways
) -> None:
    current = pathways.first_stages[0]
    Partnership.objects.filter(pk=world.partnership.pk).update(
        pathway=pathways.first, stage=current
    )
    client = client_as("city_staff")

    same = client.post(url("stage_move", world), {"stage": current.pk, "reason": "Again"})
    no_reason = client.post(
        url("stage_move", world), {"stage": pathways.first_stages[1].pk, "reason": ""}
    )

    assert same.status_code == 400
    assert b"The partnership is already at this stage." in same.content
    assert no_reason.status_code == 400
    assert b"This field is required." in no_reason.content
    assert not StageChange.objects.filter(partnership=world.partnership).exists()


def test_entrepreneur_cannot_move_the_stage(
    client_as: Any, world: World, pathways: Pathways
) -> None:
    stage = pathways.first_stages[0]

    response = client_as("entrepreneur").post(
        url("stage_move", world), {"stage": stage.pk, "reason": "We feel ready."}
    )

    assert response.status_code == 403
    world.partnership.refresh_from_db()
    assert world.partnership.stage is None


# --- Partners ---------------------------------------------------------------------------


def test_manager_adds_a_partner(client_as: Any, world: World) -> None:
    data = {"organization": world.outsider_org.pk, "role_description": "Lends the kitchen."}

    response = client_as("city_admin").post(url("partner_add", world), data)

    assert response.status_code == 302
    partner = world.partnership.partners.get(organization=world.outsider_org)
    assert partner.role_description == "Lends the kitchen."
    assert partner.status == Partner.Status.INVITED
    assert activities(world.partnership, Action.PARTNER_INVITED) == 1


def test_partner_add_offers_neither_the_city_nor_existing_partners(
    client_as: Any, world: World
) -> None:
    response = client_as("city_staff").post(
        url("partner_add", world),
        {"organization": world.enterprise.pk, "role_description": "Again"},
    )

    assert response.status_code == 400
    assert b"Choose an organization that is not yet a partner." in response.content
    assert world.partnership.partners.count() == 1
    assert activities(world.partnership, Action.PARTNER_ADDED) == 0


def test_manager_edits_a_partner_role(client_as: Any, world: World, objs: Objects) -> None:
    response = client_as("city_staff").post(
        url("partner_edit", world, objs), {"role_description": "Delivers the meals."}
    )

    assert response.status_code == 302
    objs.partner.refresh_from_db()
    assert objs.partner.role_description == "Delivers the meals."
    assert activities(world.partnership, Action.PARTNER_UPDATED) == 1


def test_partner_edit_rejects_an_empty_role(client_as: Any, world: World, objs: Objects) -> None:
    response = client_as("city_staff").post(
        url("partner_edit", world, objs), {"role_description": "   "}
    )

    assert response.status_code == 400
    objs.partner.refresh_from_db()
    assert objs.partner.role_description == "Brings neighbourhood knowledge."


def test_partner_remove_asks_first_then_removes_on_post(
    client_as: Any, world: World, objs: Objects
) -> None:
    client = client_as("city_staff")

    confirm = client.get(url("partner_remove", world, objs))
    assert Partner.objects.filter(pk=objs.partner.pk).exists()
    response = client.post(url("partner_remove", world, objs))

    assert b"Remove the partner" in confirm.content
    assert response.status_code == 302
    assert not Partner.objects.filter(pk=objs.partner.pk).exists()
    assert activities(world.partnership, Action.PARTNER_REMOVED) == 1


def test_lead_partner_cannot_be_removed(client_as: Any, world: World, objs: Objects) -> None:
    target = url("partner_remove", world, objs, partner_pk=objs.lead_partner.pk)
    client = client_as("city_admin")

    page = client.get(target)
    response = client.post(target)

    assert page.status_code == 200
    assert b"the lead partner cannot be removed" in page.content
    assert b"Remove the partner</button>" not in page.content
    assert response.status_code == 400
    assert b"The lead partner cannot be removed." in response.content
    assert Partner.objects.filter(pk=objs.lead_partner.pk).exists()
    assert activities(world.partnership, Action.PARTNER_REMOVED) == 0


def test_entrepreneur_cannot_remove_a_partner(client_as: Any, world: World, objs: Objects) -> None:
    response = client_as("entrepreneur").post(url("partner_remove", world, objs))

    assert response.status_code == 403
    assert Partner.objects.filter(pk=objs.partner.pk).exists()


# --- Responsibilities -------------------------------------------------------------------


def test_entrepreneur_adds_a_responsibility_for_the_city(client_as: Any, world: World) -> None:
    due = TODAY() + timedelta(days=14)
    data = {
        "organization": world.city.pk,
        "description": "Find a hall",
        "due_date": due.isoformat(),
    }

    response = client_as("entrepreneur").post(url("responsibility_add", world), data)

    assert response.status_code == 302
    responsibility = world.partnership.responsibilities.get(description="Find a hall")
    assert responsibility.organization == world.city
    assert responsibility.due_date == due
    assert activities(world.partnership, Action.RESPONSIBILITY_ADDED) == 1


def test_responsibility_must_go_to_a_partner(client_as: Any, world: World) -> None:
    data = {"organization": world.outsider_org.pk, "description": "Pay for it", "due_date": ""}

    response = client_as("city_staff").post(url("responsibility_add", world), data)

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not world.partnership.responsibilities.exists()


def test_responsibility_status_is_updated(client_as: Any, world: World, objs: Objects) -> None:
    data = {"status": Responsibility.Status.DONE, "due_date": "", "expected_version": 1}

    response = client_as("entrepreneur").post(url("responsibility_edit", world, objs), data)

    assert response.status_code == 302
    objs.responsibility.refresh_from_db()
    assert objs.responsibility.status == Responsibility.Status.DONE
    assert activities(world.partnership, Action.RESPONSIBILITY_UPDATED) == 1


def test_responsibility_edit_rejects_an_unknown_status(
    client_as: Any, world: World, objs: Objects
) -> None:
    response = client_as("city_staff").post(
        url("responsibility_edit", world, objs),
        {"status": "forgotten", "due_date": "", "expected_version": 1},
    )

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    objs.responsibility.refresh_from_db()
    assert objs.responsibility.status == Responsibility.Status.OPEN


# --- Plan -------------------------------------------------------------------------------


def plan_data(
    sections: list[tuple[str, str]], note: str = "", initial: int = 0, based_on: int = 0
) -> dict:
    data: dict[str, Any] = {
        "expected_version": str(based_on),
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(initial),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "50",
        "note": note,
    }
    for i, (heading, body) in enumerate(sections):
        data[f"sections-{i}-heading"] = heading
        data[f"sections-{i}-body"] = body
    return data


def test_first_plan_version_is_published(client_as: Any, world: World) -> None:
    data = plan_data([("Why", "Because neighbours are lonely."), ("", "")], note="First draft")

    response = client_as("entrepreneur").post(url("plan_publish", world), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:plan", args=[world.partnership.pk])
    version = world.partnership.plan_versions.get()
    assert version.number == 1
    assert version.note == "First draft"
    assert [(s.heading, s.body) for s in version.sections.all()] == [
        ("Why", "Because neighbours are lonely.")
    ]
    assert activities(world.partnership, Action.PLAN_PUBLISHED) == 1


def test_publishing_again_keeps_the_old_version(client_as: Any, world: World) -> None:
    services.plan_publish(
        actor=world.city_staff,
        partnership=world.partnership,
        sections=[("Why", "Old reason"), ("How", "Old way")],
    )
    client = client_as("city_staff")

    page = client.get(url("plan_publish", world))
    response = client.post(
        url("plan_publish", world),
        plan_data([("Why", "New reason"), ("", ""), ("Who", "Everyone")], initial=2, based_on=1),
    )

    # The form starts from the latest version, with room for new sections.
    assert b"Old reason" in page.content
    assert b'name="sections-3-heading"' in page.content
    assert response.status_code == 302
    old, new = PlanVersion.objects.filter(partnership=world.partnership).order_by("number")
    assert [(s.heading, s.body) for s in old.sections.all()] == [
        ("Why", "Old reason"),
        ("How", "Old way"),
    ]
    assert new.number == 2
    assert [(s.heading, s.body) for s in new.sections.all()] == [
        ("Why", "New reason"),
        ("Who", "Everyone"),
    ]


def test_plan_without_sections_is_rejected(client_as: Any, world: World) -> None:
    response = client_as("city_staff").post(url("plan_publish", world), plan_data([("", "")]))

    assert response.status_code == 400
    assert b"A plan needs at least one section" in response.content
    assert not PlanVersion.objects.exists()


def test_plan_section_without_text_is_rejected(client_as: Any, world: World) -> None:
    response = client_as("city_staff").post(
        url("plan_publish", world), plan_data([("Why", "Reason"), ("How", "")])
    )

    assert response.status_code == 400
    assert b"Every section needs a heading and a text." in response.content
    assert not PlanVersion.objects.exists()


def test_beneficiary_cannot_publish_the_plan(client_as: Any, world: World) -> None:
    response = client_as("beneficiary").post(
        url("plan_publish", world), plan_data([("Mine", "Mine")])
    )

    assert response.status_code == 403
    assert not PlanVersion.objects.exists()


# --- Check-ins --------------------------------------------------------------------------


def test_check_in_is_scheduled(client_as: Any, world: World) -> None:
    due = TODAY() + timedelta(days=5)

    response = client_as("entrepreneur").post(
        url("checkin_schedule", world), {"due_date": due.isoformat()}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:checkins", args=[world.partnership.pk])
    assert world.partnership.checkins.filter(due_date=due).exists()
    assert activities(world.partnership, Action.CHECKIN_SCHEDULED) == 1


def test_check_in_in_the_past_is_rejected(client_as: Any, world: World) -> None:
    response = client_as("city_staff").post(
        url("checkin_schedule", world), {"due_date": (TODAY() - timedelta(days=1)).isoformat()}
    )

    assert response.status_code == 400
    assert b"Choose today or a later date." in response.content
    assert not CheckIn.objects.filter(partnership=world.partnership).exists()


def test_second_check_in_on_the_same_day_is_rejected(client_as: Any, world: World) -> None:
    due = TODAY() + timedelta(days=3)
    f.CheckInFactory(partnership=world.partnership, due_date=due)

    response = client_as("city_staff").post(
        url("checkin_schedule", world), {"due_date": due.isoformat()}
    )

    assert response.status_code == 400
    assert b"A check-in is already scheduled on this date." in response.content
    assert world.partnership.checkins.count() == 1


# --- Evidence ---------------------------------------------------------------------------


def indicator_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Meals served",
        "unit": "meals",
        "direction": Indicator.Direction.UP,
        "baseline": "100",
        "target": "400",
        "target_date": (TODAY() + timedelta(days=180)).isoformat(),
    }
    data.update(overrides)
    return data


def test_indicator_is_created(client_as: Any, world: World) -> None:
    response = client_as("entrepreneur").post(url("indicator_create", world), indicator_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:evidence", args=[world.partnership.pk])
    indicator = world.partnership.indicators.get()
    assert indicator.target == Decimal("400")
    assert activities(world.partnership, Action.INDICATOR_ADDED) == 1


def test_indicator_with_a_target_against_its_direction_is_rejected(
    client_as: Any, world: World
) -> None:
    data = indicator_data(direction=Indicator.Direction.DOWN)

    response = client_as("city_staff").post(url("indicator_create", world), data)

    assert response.status_code == 400
    assert b"The target does not match the direction you chose." in response.content
    assert not world.partnership.indicators.exists()


def test_indicator_with_text_for_a_number_is_rejected(client_as: Any, world: World) -> None:
    response = client_as("city_staff").post(
        url("indicator_create", world), indicator_data(baseline="lots")
    )

    assert response.status_code == 400
    assert b"Enter a number." in response.content
    assert not world.partnership.indicators.exists()


# --- Experiments ------------------------------------------------------------------------


def test_experiment_is_started(client_as: Any, world: World) -> None:
    data = {
        "title": "Lunch instead of dinner",
        "hypothesis": "More people come at noon.",
        "what_is_tried": "Serve lunch on Fridays for a month.",
        "started_on": TODAY().isoformat(),
        "ends_on": (TODAY() + timedelta(days=30)).isoformat(),
    }

    response = client_as("entrepreneur").post(url("experiment_start", world), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:experiments", args=[world.partnership.pk])
    assert world.partnership.experiments.filter(title="Lunch instead of dinner").exists()
    assert activities(world.partnership, Action.EXPERIMENT_STARTED) == 1


def test_experiment_ending_before_it_starts_is_rejected(client_as: Any, world: World) -> None:
    data = {
        "title": "Backwards",
        "hypothesis": "-",
        "what_is_tried": "-",
        "started_on": TODAY().isoformat(),
        "ends_on": (TODAY() - timedelta(days=1)).isoformat(),
    }

    response = client_as("city_staff").post(url("experiment_start", world), data)

    assert response.status_code == 400
    assert b"The end comes before the start." in response.content
    assert not world.partnership.experiments.filter(title="Backwards").exists()


def test_experiment_is_closed_with_a_decision(client_as: Any, world: World, objs: Objects) -> None:
    data = {
        "result": "Twice as many parents came.",
        "decision": Experiment.Decision.ADOPT,
        "ended_on": TODAY().isoformat(),
    }

    response = client_as("entrepreneur").post(url("experiment_close", world, objs), data)

    assert response.status_code == 302
    objs.experiment.refresh_from_db()
    assert objs.experiment.decision == Experiment.Decision.ADOPT
    assert objs.experiment.result == "Twice as many parents came."
    assert activities(world.partnership, Action.EXPERIMENT_CLOSED) == 1


def test_experiment_close_needs_a_decision(client_as: Any, world: World, objs: Objects) -> None:
    data = {"result": "Unclear.", "decision": "", "ended_on": TODAY().isoformat()}

    response = client_as("city_staff").post(url("experiment_close", world, objs), data)

    assert response.status_code == 400
    assert b"This field is required." in response.content
    objs.experiment.refresh_from_db()
    assert objs.experiment.decision == ""


def test_closed_experiment_cannot_be_closed_again(
    client_as: Any, world: World, objs: Objects
) -> None:
    services.experiment_close(
        actor=world.city_staff, experiment=objs.experiment, result="Done.", decision="abandon"
    )
    data = {"result": "Again", "decision": Experiment.Decision.ADOPT, "ended_on": ""}
    client = client_as("city_staff")

    page = client.get(url("experiment_close", world, objs))
    data["ended_on"] = TODAY().isoformat()
    response = client.post(url("experiment_close", world, objs), data)

    assert b"This experiment was closed on" in page.content
    assert b"Close with this decision" not in page.content
    assert response.status_code == 400
    assert b"This experiment is already closed." in response.content
    objs.experiment.refresh_from_db()
    assert objs.experiment.decision == Experiment.Decision.ABANDON


# --- Money ------------------------------------------------------------------------------


def test_partner_updates_a_financial_need(client_as: Any, world: World, objs: Objects) -> None:
    data = {
        "status": FinancialNeed.Status.PARTLY_MET,
        "discussion_notes": "City covers half.",
        "expected_version": 1,
    }

    response = client_as("city_staff").post(url("need_update", world, objs), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:money", args=[world.partnership.pk])
    objs.need.refresh_from_db()
    assert objs.need.status == FinancialNeed.Status.PARTLY_MET
    assert objs.need.discussion_notes == "City covers half."
    activity = Event.objects.get(partnership_id=world.partnership.pk, action=Action.NEED_UPDATED)
    assert activity.private is True


def test_financial_need_update_rejects_an_unknown_status(
    client_as: Any, world: World, objs: Objects
) -> None:
    response = client_as("entrepreneur").post(
        url("need_update", world, objs),
        {"status": "spent", "discussion_notes": "x", "expected_version": 1},
    )

    assert response.status_code == 400
    objs.need.refresh_from_db()
    assert objs.need.status == FinancialNeed.Status.OPEN
    assert objs.need.discussion_notes == ""


def test_beneficiary_gets_not_found_for_money(client_as: Any, world: World, objs: Objects) -> None:
    data = {"status": FinancialNeed.Status.MET, "discussion_notes": "Mine"}

    response = client_as("beneficiary").post(url("need_update", world, objs), data)

    assert response.status_code == 404
    assert objs.need.purpose.encode() not in response.content
    objs.need.refresh_from_db()
    assert objs.need.status == FinancialNeed.Status.OPEN


# --- Accessibility of the forms -----------------------------------------------------------


def test_errors_are_tied_to_their_fields(client_as: Any, world: World) -> None:
    response = client_as("city_staff").post(url("checkin_schedule", world), {"due_date": ""})

    content = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="id_due_date_helptext id_due_date_error"' in content
    assert 'role="alert"' in content


def test_pages_have_no_inline_script_or_style(client_as: Any, world: World, objs: Objects) -> None:
    client = client_as("city_admin")
    for name in EXPECTED:
        content = client.get(url(name, world, objs)).content.decode()
        assert "style=" not in content, name
        assert "<script>" not in content, name


@pytest.mark.parametrize("name", ["edit", "reframe", "checkin_schedule", "plan_publish"])
def test_empty_post_is_a_rejected_form(client_as: Any, world: World, name: str) -> None:
    response = client_as("city_staff").post(url(name, world), {})

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Event.objects.filter(partnership_id=world.partnership.pk).exists()


# --- Admin ------------------------------------------------------------------------------


def test_site_staff_browse_partnership_records_and_their_history(
    world: World, objs: Objects
) -> None:
    services.plan_publish(
        actor=world.city_staff, partnership=world.partnership, sections=[("Why", "Because")]
    )
    f.IndicatorFactory(partnership=world.partnership)
    staff = f.UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    version = world.partnership.plan_versions.get()

    pages = [
        reverse(f"admin:partnerships_{model}_changelist")
        for model in (
            "partnership",
            "reframing",
            "stagechange",
            "checkin",
            "progressupdate",
            "indicator",
            "experiment",
            "financialneed",
            "planversion",
        )
    ] + [
        reverse("admin:core_event_changelist"),
        reverse("admin:partnerships_partnership_change", args=[world.partnership.pk]),
        reverse("admin:partnerships_partnership_history", args=[world.partnership.pk]),
        reverse("admin:partnerships_planversion_change", args=[version.pk]),
    ]

    for page in pages:
        assert client.get(page).status_code == 200, page
    # The timeline and published plans are records, not something to edit by hand.
    assert client.get(reverse("admin:core_event_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:partnerships_planversion_change", args=[version.pk]), {"note": "x"}
        ).status_code
        == 403
    )
