"""The event log: written inside the change's transaction, reacted to after commit, read in
the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from accounts.events import Action as AccountsAction
from accounts.models import Membership
from beneficiaries.events import Action as BeneficiariesAction
from cities.events import Action as CitiesAction
from core.events import Actor, describe, event_committed, log_event, registered_actions
from core.models import Event
from partnerships import services
from partnerships.events import Action
from playbook.models import Stage
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db

CANNOT = "cannot describe"


def _samples(world: World) -> dict[str, dict[str, Any]]:
    """Representative data for every action a room has registered."""
    stage = Stage.objects.order_by("pk").first()
    assert stage is not None
    return {
        Action.CREATED: {"title": "Meals"},
        Action.UPDATED: {
            "changes": {
                "status": ["exploring", "active"],
                "start_date": ["2026-01-01", "2026-02-01"],
            }
        },
        Action.REFRAMED: {"learned": "Loneliness, not hunger."},
        Action.ARCHIVED: {"title": "Meals"},
        Action.UNARCHIVED: {"title": "Meals"},
        Action.DELETED: {"partnership_id": 1, "title": "Meals"},
        Action.STAGE_MOVED: {
            "from_stage_id": None,
            "to_stage_id": stage.pk,
            "to_stage": stage.name,
        },
        Action.PARTNER_ADDED: {"organization_id": 1, "organization": "Acme"},
        Action.PARTNER_INVITED: {"organization_id": 1, "organization": "Acme", "lead": False},
        Action.PARTNER_ACCEPTED: {"organization_id": 1, "organization": "Acme"},
        Action.PARTNER_DECLINED: {"organization_id": 1, "organization": "Acme"},
        Action.PARTNER_UPDATED: {"organization_id": 1, "organization": "Acme"},
        Action.PARTNER_REMOVED: {"organization_id": 1, "organization": "Acme"},
        Action.PARTICIPANT_ADDED: {"role": "co_planner", "joined": True},
        Action.RESPONSIBILITY_ADDED: {"description": "Cook", "organization_id": 1},
        Action.RESPONSIBILITY_UPDATED: {"description": "Cook", "status": ["open", "done"]},
        Action.PLAN_PUBLISHED: {"number": 2, "sections": 3},
        Action.CHECKIN_MOVED: {"from": "2026-11-25", "due_date": "2026-11-27"},
        Action.CHECKIN_SCHEDULED: {"due_date": "2026-11-25"},
        Action.CHECKIN_RECORDED: {"held": True, "held_on": "2026-11-25", "due_date": "2026-11-25"},
        Action.PROGRESS_LOGGED: {"excerpt": "Forty lunches"},
        Action.PROGRESS_CORRECTED: {"excerpt": "Forty-two lunches", "date": ["2026-11-25"] * 2},
        Action.PROGRESS_WITHDRAWN: {"excerpt": "Forty lunches", "date": "2026-11-25"},
        Action.INDICATOR_ADDED: {"name": "Lunches", "unit": "meals"},
        Action.INDICATOR_UPDATED: {"name": "Lunches", "changes": {"unit": ["meals", "lunches"]}},
        Action.MEASUREMENT_CORRECTED: {
            "indicator": "Lunches",
            "unit": "meals",
            "value": ["40.00", "44.00"],
            "date": ["2026-11-25", "2026-11-25"],
        },
        Action.MEASUREMENT_WITHDRAWN: {
            "indicator": "Lunches",
            "value": "40.00",
            "unit": "meals",
            "date": "2026-11-25",
        },
        Action.MEASUREMENT_ADDED: {
            "indicator": "Lunches",
            "value": "40.00",
            "unit": "meals",
            "date": "2026-11-25",
        },
        Action.EXPERIMENT_STARTED: {"title": "Evening meals"},
        Action.EXPERIMENT_CLOSED: {"title": "Evening meals", "decision": "adopt"},
        Action.NEED_STATED: {"organization": "Acme", "amount": "100.00", "currency": "USD"},
        Action.NEED_UPDATED: {"organization": "Acme", "status": ["open", "met"]},
        AccountsAction.ORGANIZATION_CREATED: {"kind": "city", "status": "pending"},
        AccountsAction.ORGANIZATION_APPROVED: {},
        AccountsAction.ORGANIZATION_DECLINED: {},
        AccountsAction.ORGANIZATION_MFA_CHANGED: {"requires_mfa": True},
        AccountsAction.MEMBER_JOINED: {"role": "member", "invitation_id": 1},
        AccountsAction.MEMBER_ROLE_CHANGED: {
            "user_id": world.entrepreneur.pk,
            "role": ["member", "admin"],
        },
        AccountsAction.MEMBER_REMOVED: {"user_id": world.entrepreneur.pk, "role": "member"},
        AccountsAction.MEMBER_LEFT: {"user_id": world.entrepreneur.pk, "role": "member"},
        AccountsAction.INVITATION_CREATED: {"invitation_id": 1, "role": "admin"},
        AccountsAction.INVITATION_REVOKED: {"invitation_id": 1},
        BeneficiariesAction.INVITATION_SENT: {"invitation_id": 1, "role": "advisor"},
        BeneficiariesAction.INVITATION_REVOKED: {"invitation_id": 1},
        BeneficiariesAction.COMMENT_POSTED: {
            "comment": 1,
            "section": 1,
            "plan_version": 1,
            "plan_version_number": 1,
            "author": world.beneficiary.pk,
            "parent": None,
        },
        BeneficiariesAction.COMMENT_EDITED: {"comment": 1},
        BeneficiariesAction.COMMENT_REPORTED: {"comment": 1, "reason": "spam"},
        BeneficiariesAction.COMMENT_HIDDEN: {"comment": 1, "reason": "", "by_reports": True},
        BeneficiariesAction.COMMENT_RESTORED: {"comment": 1, "reason": "Fair", "by_reports": False},
        BeneficiariesAction.COMMENT_ANSWERED: {
            "comment": 1,
            "answer": 1,
            "section": 1,
            "commenter": world.beneficiary.pk,
            "changed_version": 2,
            "changed_version_number": 2,
        },
        BeneficiariesAction.VOICE_RECORDED: {
            "comment": 1,
            "section": 1,
            "plan_version": 1,
            "organization": 1,
        },
        BeneficiariesAction.CHECKIN_ATTENDANCE_RECORDED: {"checkin": 1, "participants": 2},
        "api.token.created": {"name": "Warehouse sync"},
        "api.token.revoked": {"name": "Warehouse sync"},
        "api.webhook.created": {},
        "api.webhook.secret_rotated": {},
        "api.webhook.removed": {},
        "api.webhook.replayed": {},
        "health.round.opened": {"round": 1, "number": 2, "closes_on": "2026-12-20"},
        "health.round.closed": {"round": 1, "number": 2},
        "health.survey.answered": {"round": 1, "first": True},
        "health.values.written": {"version": 1, "number": 3},
        "health.values.agreed": {
            "version": 1,
            "number": 3,
            "organization": 1,
            "organization_name": "Second Harvest Kitchens",
        },
        "health.score.changed": {"changes": {"the-long-view": [40, 62]}},
        "notifications.preferences.updated": {"changed": 2},
        "notifications.unsubscribed": {"kind": "checkin_due"},
        "notifications.calendar.reset": {},
        "notifications.dispatch.resolved": {"resend": True},
        CitiesAction.CONTACT_NAMED: {"person": world.city_staff.pk},
        CitiesAction.OFFER_SAVED: {},
        CitiesAction.INTRODUCTION_SENT: {"introduction": 1, "organization": "Acme"},
        CitiesAction.INTRODUCTION_STATUS: {"introduction": 1, "from": "new", "to": "talking"},
        CitiesAction.INTRODUCTION_NOTED: {"introduction": 1},
        CitiesAction.INTRODUCTION_OPENED: {"introduction": 1, "partnership": 1},
        CitiesAction.EXPERIENCE_RECORDED: {"department": "Parks"},
        CitiesAction.EXPERIENCE_UPDATED: {"department": "Parks"},
        CitiesAction.SECTION_EDITED: {"section": "why"},
        CitiesAction.STATEMENT_INVITED: {"organization_id": 1, "organization": "Acme"},
        CitiesAction.STATEMENT_COMMENTED: {"section": "why", "comment": 1},
        CitiesAction.STATEMENT_ENDORSED: {"organization_id": 1, "organization": "Acme"},
        CitiesAction.STATEMENT_PUBLISHED: {"number": 2},
        CitiesAction.STEP_TICKED: {"step": "city-point-of-contact", "done": True},
        CitiesAction.STEP_UPDATED: {"step": "city-point-of-contact", "done": False},
        CitiesAction.NETWORK_MEMBER_ADDED: {"organization_id": 1, "organization": "Acme"},
        CitiesAction.NETWORK_MEMBER_REMOVED: {"organization_id": 1, "organization": "Acme"},
        CitiesAction.STORY_ADDED: {"story": 1},
        BeneficiariesAction.INVITATION_PRINTED: {"invitation_id": 1, "role": "reviewer"},
        BeneficiariesAction.SIGN_IN_CODE_PRINTED: {"invitation_id": 1},
        BeneficiariesAction.CONSENT_GIVEN: {"consent": 1, "version": "2026-12"},
        BeneficiariesAction.CONSENT_WITHDRAWN: {"consent": 1, "version": "2026-12"},
        BeneficiariesAction.TRAINING_SCHEDULED: {
            "training": 1,
            "topic": "negotiation",
            "own_topic": "",
            "starts_at": "2026-12-12T17:30:00Z",
        },
        BeneficiariesAction.TRAINING_SIGNED_UP: {
            "training": 1,
            "topic": "other",
            "own_topic": "Speaking at the council",
            "starts_at": "2026-12-12T17:30:00Z",
        },
        BeneficiariesAction.TRAINING_CANCELLED_SIGNUP: {
            "training": 1,
            "topic": "planning",
            "own_topic": "",
            "starts_at": "2026-12-12T17:30:00Z",
        },
        BeneficiariesAction.TRAINING_ATTENDANCE: {
            "training": 1,
            "topic": "evidence",
            "own_topic": "",
            "starts_at": "2026-12-12T17:30:00Z",
            "attended": 4,
        },
        BeneficiariesAction.ACCOUNT_DELETED: {},
    }


def _event(world: World, action: str, data: dict[str, Any]) -> Event:
    with transaction.atomic():
        return log_event(
            actor=world.city_staff,
            action=action,
            partnership_id=world.partnership.pk,
            data=data,
        )


def test_every_registered_action_has_a_sample(world: World) -> None:
    assert set(_samples(world)) == set(registered_actions())


def test_every_action_reads_in_spanish_and_in_english(world: World) -> None:
    for action, data in _samples(world).items():
        event = _event(world, action, data)
        with translation.override("en"):
            english = describe(event)
        with translation.override("es"):
            spanish = describe(event)
        assert CANNOT not in english, action
        assert english and spanish, action
        assert spanish != english, f"{action} is not translated: {spanish}"


def test_migrated_lines_show_the_text_they_stored(world: World) -> None:
    event = _event(world, Action.CHECKIN_RECORDED, {"summary": "held on 2026-11-25"})
    with translation.override("es"):
        assert describe(event) == "registró una reunión de seguimiento: held on 2026-11-25"


def test_dates_and_choices_are_rendered_for_the_reader(world: World) -> None:
    event = _event(world, Action.UPDATED, {"changes": {"status": ["exploring", "active"]}})
    with translation.override("es"):
        text = describe(event)
    assert "En exploración" in text and "Activa" in text
    event = _event(world, Action.CHECKIN_SCHEDULED, {"due_date": "2026-11-25"})
    with translation.override("es"):
        assert "25 de noviembre de 2026" in describe(event)


def test_an_unknown_action_or_missing_data_is_said_plainly(world: World) -> None:
    assert CANNOT in describe(_event(world, "elsewhere.thing.done", {}))
    assert CANNOT in describe(_event(world, AccountsAction.MEMBER_JOINED, {}))


@pytest.mark.django_db(transaction=True)
def test_log_event_refuses_to_write_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        log_event(actor=None, action=Action.CREATED)
    assert not Event.objects.exists()


def test_actors_a_person_a_token_and_the_system(world: World) -> None:
    with transaction.atomic():
        person = log_event(actor=world.city_staff, action=Action.CREATED)
        token = log_event(
            actor=Actor.token(token_id=7, name="Warehouse", user=world.city_admin),
            action=Action.CREATED,
        )
        system = log_event(actor=None, action=Action.CREATED)
    assert (person.actor_kind, person.actor) == (Event.ActorKind.PERSON, world.city_staff)
    assert (token.actor_kind, token.actor, token.token_id) == (
        Event.ActorKind.TOKEN,
        world.city_admin,
        7,
    )
    assert (system.actor_kind, system.actor) == (Event.ActorKind.SYSTEM, None)
    assert person.actor_display() == "Rosa Contact"
    assert token.actor_display() == "Ada Admin through the API token “Warehouse”"
    assert system.actor_display() == "Tandem"


def test_reactions_run_after_commit_and_never_after_a_rollback(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[str] = []

    def react(sender: Any, event: Event, **kwargs: Any) -> None:
        seen.append(event.action)

    event_committed.connect(react)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            log_event(actor=world.city_staff, action=Action.CREATED)
            assert seen == []
        assert seen == [Action.CREATED]

        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(ZeroDivisionError),
            transaction.atomic(),
        ):
            log_event(actor=world.city_staff, action=Action.UPDATED)
            raise ZeroDivisionError
        assert seen == [Action.CREATED]
    finally:
        event_committed.disconnect(react)


def test_services_write_data_not_sentences(world: World) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership)
    services.checkin_record(
        actor=world.entrepreneur, checkin=checkin, held=True, held_on=date(2026, 11, 25)
    )
    event = Event.objects.filter(action=Action.CHECKIN_RECORDED).get()
    assert event.data["held"] is True
    assert event.data["held_on"] == "2026-11-25"
    assert event.partnership_id == world.partnership.pk
    assert event.organization_id == world.city.pk
    assert event.target_id == checkin.pk


def test_spanish_timeline_reads_in_spanish(world: World, client_as: Any) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership)
    services.checkin_record(
        actor=world.entrepreneur, checkin=checkin, held=True, held_on=date(2026, 11, 25)
    )
    services.plan_publish(
        actor=world.entrepreneur, partnership=world.partnership, sections=[("Meals", "Daily")]
    )
    with translation.override("es"):
        url = reverse("partnerships:timeline", args=[world.partnership.pk])
    page = client_as("city_staff").get(url).content.decode()
    assert "registró la reunión de seguimiento celebrada el 25 de noviembre de 2026" in page
    assert "publicó la versión 1 del plan" in page
    assert "held on" not in page


def test_accounts_services_write_the_log(world: World) -> None:
    membership = Membership.objects.get(user=world.city_staff, organization=world.city)
    from accounts import services as accounts_services

    accounts_services.membership_set_role(
        actor=world.city_admin, membership=membership, role=Membership.Role.ADMIN
    )
    event = Event.objects.get(action=AccountsAction.MEMBER_ROLE_CHANGED)
    assert event.organization_id == world.city.pk
    assert event.data == {"user_id": world.city_staff.pk, "role": ["member", "admin"]}
    with translation.override("es"):
        assert "Rosa Contact" in describe(event)


def test_organization_admins_read_its_recent_changes_in_their_language(
    world: World, client_as: Any
) -> None:
    from accounts import services as accounts_services

    membership = Membership.objects.get(user=world.city_staff, organization=world.city)
    accounts_services.membership_set_role(
        actor=world.city_admin, membership=membership, role=Membership.Role.ADMIN
    )
    accounts_services.membership_set_role(
        actor=world.city_admin, membership=membership, role=Membership.Role.MEMBER
    )
    url = reverse("accounts:organization_detail", args=[world.city.pk])
    page = client_as("city_admin").get(url).content.decode()
    assert "changed the role of Rosa Contact from member to administrator" in page
    with translation.override("es"):
        url_es = reverse("accounts:organization_detail", args=[world.city.pk])
    page_es = client_as("city_admin").get(url_es).content.decode()
    assert "cambió el rol de Rosa Contact de" in page_es
    # A member who is not an administrator sees the people, not the log.
    member_page = client_as("city_staff").get(url).content.decode()
    assert "changed the role" not in member_page
