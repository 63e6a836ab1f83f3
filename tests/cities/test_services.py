"""The cities room's services: the inbox and its statuses, the statement from draft to
published versions, checklists that tick themselves once, networks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from accounts.models import Membership, Organization
from beneficiaries import services as beneficiary_services
from cities import services
from cities.events import Action
from cities.models import ChecklistItem, Introduction, NetworkMember, StatementVersion
from core.models import Event
from partnerships import services as partnership_services
from partnerships.models import Partner
from playbook.models import GettingStartedStep
from tests import factories as f
from tests.conftest import World


def _offer(world: World, organization: Organization | None = None) -> None:
    services.offer_save(
        actor=world.entrepreneur,
        organization=organization or world.enterprise,
        who_we_are="Cooks who feed older neighbours",
        value="Two hundred meals a week, and company",
        needs="A kitchen three mornings a week",
        beneficiaries="Older neighbours who eat alone",
    )


def _contact(world: World) -> None:
    services.contact_name(actor=world.city_admin, city=world.city, person=world.city_staff)


def _introduction(world: World) -> Introduction:
    _offer(world)
    _contact(world)
    return services.introduction_send(
        actor=world.entrepreneur,
        organization=world.enterprise,
        city=world.city,
        message="We would like to meet.",
    )


# --- Introductions ----------------------------------------------------------------------------


def test_an_introduction_carries_the_offer_as_it_was_sent(world: World) -> None:
    introduction = _introduction(world)
    _offer(world)  # edited afterwards: the city still reads what was sent
    services.offer_save(
        actor=world.entrepreneur,
        organization=world.enterprise,
        who_we_are="Changed",
        value="Changed",
        needs="Changed",
        expected_version=2,
    )

    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.NEW
    assert introduction.value == "Two hundred meals a week, and company"
    assert list(Introduction.objects.inbox_of(world.city_staff)) == [introduction]
    assert list(Introduction.objects.inbox_of(world.other_city_staff)) == []
    assert list(Introduction.objects.sent_by_organizations_of(world.entrepreneur)) == [introduction]


def test_an_introduction_needs_an_offer_and_a_point_of_contact(world: World) -> None:
    with pytest.raises(ValidationError, match="offer"):
        services.introduction_send(
            actor=world.entrepreneur, organization=world.enterprise, city=world.city, message="Hi"
        )
    _offer(world)
    with pytest.raises(ValidationError, match="point of contact"):
        services.introduction_send(
            actor=world.entrepreneur, organization=world.enterprise, city=world.city, message="Hi"
        )


def test_one_open_introduction_per_organization_and_city(world: World) -> None:
    _introduction(world)
    with pytest.raises(ValidationError, match="already"):
        services.introduction_send(
            actor=world.entrepreneur,
            organization=world.enterprise,
            city=world.city,
            message="Again",
        )


def test_a_city_cannot_introduce_itself_and_a_stranger_cannot_speak_for_an_enterprise(
    world: World,
) -> None:
    _introduction(world)
    with pytest.raises(PermissionDenied):
        services.introduction_send(
            actor=world.outsider, organization=world.enterprise, city=world.city, message="Hi"
        )
    with pytest.raises(PermissionDenied):
        services.introduction_send(
            actor=world.other_city_staff,
            organization=world.other_city,
            city=world.city,
            message="Hi",
        )


def test_the_point_of_contact_moves_an_introduction_through_its_statuses(world: World) -> None:
    introduction = _introduction(world)

    services.introduction_set_status(
        actor=world.city_staff, introduction=introduction, status=Introduction.Status.TALKING
    )
    services.introduction_note(
        actor=world.city_staff, introduction=introduction, text="Met on Tuesday"
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.introduction_set_status(
            actor=world.city_staff, introduction=introduction, status=Introduction.Status.DECLINED
        )
    services.introduction_set_status(
        actor=world.city_staff,
        introduction=introduction,
        status=Introduction.Status.DECLINED,
        reason="We have no kitchen to lend this year.",
    )

    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.DECLINED
    assert introduction.decline_reason == "We have no kitchen to lend this year."
    assert introduction.handled_by == world.city_staff
    assert [n.text for n in introduction.notes.all()] == ["Met on Tuesday"]
    moves = Event.objects.filter(action=Action.INTRODUCTION_STATUS).order_by("pk")
    assert [(e.data["from"], e.data["to"]) for e in moves] == [
        ("new", "talking"),
        ("talking", "declined"),
    ]


def test_another_city_cannot_touch_an_introduction(world: World) -> None:
    introduction = _introduction(world)
    with pytest.raises(PermissionDenied):
        services.introduction_set_status(
            actor=world.other_city_staff,
            introduction=introduction,
            status=Introduction.Status.TALKING,
        )
    with pytest.raises(PermissionDenied):
        services.introduction_note(
            actor=world.other_city_staff, introduction=introduction, text="Mine now"
        )


def test_a_stale_status_change_is_refused(world: World) -> None:
    introduction = _introduction(world)
    services.introduction_set_status(
        actor=world.city_staff,
        introduction=introduction,
        status=Introduction.Status.TALKING,
        expected_version=1,
    )
    stale = Introduction.objects.get(pk=introduction.pk)
    with pytest.raises(ValidationError):
        services.introduction_set_status(
            actor=world.city_admin,
            introduction=stale,
            status=Introduction.Status.DECLINED,
            reason="No",
            expected_version=1,
        )
    assert Introduction.objects.get(pk=introduction.pk).status == Introduction.Status.TALKING


def test_opening_a_partnership_invites_the_enterprise_to_lead_it(world: World) -> None:
    introduction = _introduction(world)

    partnership = services.introduction_open_partnership(
        actor=world.city_staff,
        introduction=introduction,
        title="Meals at the library",
        goal="No older neighbour eats alone by 2028",
        problem_statement="Many older neighbours eat alone.",
    )

    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.PARTNERSHIP_OPENED
    assert introduction.partnership == partnership
    assert partnership.city == world.city and partnership.lead == world.enterprise
    lead = partnership.partners.get()
    assert lead.organization == world.enterprise and lead.status == Partner.Status.INVITED
    with pytest.raises(ValidationError, match="closed"):
        services.introduction_open_partnership(
            actor=world.city_staff,
            introduction=introduction,
            title="Again",
            goal="Again",
            problem_statement="Again",
        )


# --- The engagement statement -------------------------------------------------------------


def _write_sections(world: World, suffix: str = "") -> None:
    for key in ("definition", "why", "practices"):
        section = services.statement_section_edit(
            actor=world.city_staff, city=world.city, key=key, body=f"Our {key}{suffix}."
        )
        assert section.body == f"Our {key}{suffix}."


def test_draft_comment_endorse_publish(world: World) -> None:
    _write_sections(world)
    services.statement_invite(
        actor=world.city_staff, city=world.city, organization=world.enterprise
    )
    statement = world.city.statement
    why = statement.sections.get(key="why")

    services.statement_comment(
        actor=world.entrepreneur,
        section=why,
        organization=world.enterprise,
        text="Say that relationships outlast projects.",
    )
    services.statement_endorse(
        actor=world.entrepreneur, statement=statement, organization=world.enterprise
    )
    with pytest.raises(PermissionDenied):
        services.statement_publish(actor=world.city_staff, city=world.city)
    first = services.statement_publish(actor=world.city_admin, city=world.city)

    assert first.number == 1
    assert first.sections == {
        "definition": "Our definition.",
        "why": "Our why.",
        "practices": "Our practices.",
    }
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.statement_publish(actor=world.city_admin, city=world.city, change_note="x")
    _write_sections(world, " now")
    with pytest.raises(ValidationError):
        services.statement_publish(actor=world.city_admin, city=world.city)
    second = services.statement_publish(
        actor=world.city_admin, city=world.city, change_note="Every section says now."
    )
    assert second.number == 2
    assert list(
        StatementVersion.objects.filter(statement=statement).values_list("number", flat=True)
    ) == [2, 1]
    assert [e.organization for e in statement.endorsements.all()] == [world.enterprise]
    assert [c.text for c in why.comments.all()] == ["Say that relationships outlast projects."]


def test_only_invited_organizations_comment_and_endorse_and_only_once(world: World) -> None:
    _write_sections(world)
    statement = world.city.statement
    section = statement.sections.get(key="why")
    with pytest.raises(PermissionDenied):
        services.statement_comment(
            actor=world.entrepreneur, section=section, organization=world.enterprise, text="Hi"
        )
    services.statement_invite(
        actor=world.city_staff, city=world.city, organization=world.enterprise
    )
    with pytest.raises(ValidationError):
        services.statement_endorse(
            actor=world.entrepreneur, statement=statement, organization=world.outsider_org
        )
    services.statement_endorse(
        actor=world.entrepreneur, statement=statement, organization=world.enterprise
    )
    with pytest.raises(ValidationError, match="already"):
        services.statement_endorse(
            actor=world.entrepreneur, statement=statement, organization=world.enterprise
        )
    with pytest.raises(ValidationError):
        services.statement_invite(
            actor=world.city_staff, city=world.city, organization=world.other_city
        )


def test_a_stale_section_edit_is_refused(world: World) -> None:
    services.statement_section_edit(
        actor=world.city_staff, city=world.city, key="why", body="First", expected_version=1
    )
    with pytest.raises(ValidationError, match="Someone else saved"):
        services.statement_section_edit(
            actor=world.city_admin, city=world.city, key="why", body="Second", expected_version=1
        )
    assert world.city.statement.sections.get(key="why").body == "First"


# --- Getting started ---------------------------------------------------------------------


def _done(organization: Organization, signal: str) -> list[ChecklistItem]:
    return list(
        ChecklistItem.objects.filter(
            organization=organization, step__signal=signal, done_at__isnull=False
        )
    )


def test_the_city_steps_tandem_can_see_tick_themselves_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _contact(world)
    with django_capture_on_commit_callbacks(execute=True):
        # Named again: the step was ticked the first time and stays as it was.
        services.contact_name(
            actor=world.city_admin, city=world.city, person=world.city_admin, expected_version=1
        )
    with django_capture_on_commit_callbacks(execute=True):
        _write_sections(world)
        services.statement_publish(actor=world.city_admin, city=world.city)

    [contact] = _done(world.city, "point_of_contact")
    [published] = _done(world.city, "statement_published")
    first_contact_event = Event.objects.filter(action=Action.CONTACT_NAMED).order_by("pk").first()
    assert first_contact_event is not None and contact.ticked_by_event == first_contact_event.pk
    assert published.ticked_by_event is not None
    assert (
        Event.objects.filter(action=Action.STEP_TICKED, organization_id=world.city.pk).count() == 2
    )
    assert _done(world.other_city, "point_of_contact") == []


def test_stating_a_need_and_inviting_a_beneficiary_tick_the_enterprise_steps(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            partnership_services.need_state(
                actor=world.entrepreneur,
                partnership=world.partnership,
                organization=world.enterprise,
                amount=Decimal("1000"),
                currency="USD",
                period="2027",
                purpose="A cook",
            )
    with django_capture_on_commit_callbacks(execute=True):
        beneficiary_services.participant_invitation_send(
            actor=world.entrepreneur,
            partnership=world.partnership,
            email="neighbour@example.net",
            role="advisor",
        )

    assert len(_done(world.enterprise, "need_stated")) == 1
    assert len(_done(world.enterprise, "beneficiary_invited")) == 1
    # The city's staff invited nobody: the city's checklist has no such step anyway.
    assert ChecklistItem.objects.filter(organization=world.city).count() == 0


def test_a_step_is_one_row_per_organization(world: World) -> None:
    step = GettingStartedStep.objects.filter(audience="city").first()
    assert step is not None
    ChecklistItem.objects.create(organization=world.city, step=step)
    with pytest.raises(IntegrityError):
        ChecklistItem.objects.create(organization=world.city, step=step)


def test_ticking_by_hand_with_notes_and_evidence(world: World) -> None:
    step = GettingStartedStep.objects.get(slug="city-find-out-whats-going-on")
    item = services.checklist_update(
        actor=world.city_staff,
        organization=world.city,
        step=step,
        done=True,
        note="Asked every department",
        evidence_url="https://riverton.example/register",
    )
    assert item.done and item.done_by == world.city_staff
    entrepreneur_step = GettingStartedStep.objects.filter(audience="entrepreneur").first()
    assert entrepreneur_step is not None
    with pytest.raises(ValidationError):
        services.checklist_update(
            actor=world.city_staff, organization=world.city, step=entrepreneur_step, done=True
        )
    with pytest.raises(PermissionDenied):
        services.checklist_update(
            actor=world.other_city_staff, organization=world.city, step=step, done=True
        )
    assert GettingStartedStep.objects.filter(audience="city").count() == 8
    assert GettingStartedStep.objects.filter(audience="entrepreneur").count() == 7


# --- Networks ------------------------------------------------------------------------------


def _network(world: World) -> Organization:
    network = f.OrganizationFactory(name="Riverton Network", kind=Organization.Kind.NETWORK)
    f.MembershipFactory(user=world.outsider, organization=network, role=Membership.Role.ADMIN)
    world.outsider.forget_memberships()
    return network


def test_a_network_introduces_itself_in_its_members_name(world: World) -> None:
    network = _network(world)
    services.network_member_add(
        actor=world.outsider, network=network, organization=world.enterprise
    )
    with pytest.raises(ValidationError, match="already"):
        services.network_member_add(
            actor=world.outsider, network=network, organization=world.enterprise
        )
    with pytest.raises(PermissionDenied):
        services.network_member_add(
            actor=world.entrepreneur, network=network, organization=world.outsider_org
        )
    _offer_for = services.offer_save(
        actor=world.outsider,
        organization=network,
        who_we_are="Twelve enterprises of Riverton",
        value="One voice",
        needs="A seat at the table",
    )
    assert _offer_for.organization == network
    _contact(world)

    introduction = services.introduction_send(
        actor=world.outsider, organization=network, city=world.city, message="We speak together."
    )

    assert list(introduction.on_behalf_of.all()) == [world.enterprise]
    assert NetworkMember.objects.filter(network=network).count() == 1


def test_a_network_endorses_a_statement(world: World) -> None:
    network = _network(world)
    _write_sections(world)
    services.statement_invite(actor=world.city_staff, city=world.city, organization=network)
    services.statement_endorse(
        actor=world.outsider, statement=world.city.statement, organization=network
    )
    assert [e.organization for e in world.city.statement.endorsements.all()] == [network]
