"""A person's data: the one table that says what is exported and erased, the download, and
the deletion of the account after which no row identifies them.

The table (``beneficiaries.personal_data.PERSONAL_DATA``) is checked against the app
registry: a model that refers to the user through a field the table does not name fails
``test_every_model_that_refers_to_a_person_is_in_the_table``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from beneficiaries import personal_data, services
from beneficiaries.personal_data import (
    EMAIL_COLUMNS,
    EMAIL_COLUMNS_EXCLUDED,
    EXCLUDED,
    PERSONAL_DATA,
    Erase,
)
from core.events import log_event
from core.models import Event, OutboundEmail
from partnerships import services as partnership_services
from partnerships.models import CheckIn, Participant, ProgressUpdate, Reframing
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


# --- The table holds every model ------------------------------------------------------------


def test_every_model_that_refers_to_a_person_is_in_the_table() -> None:
    missing = []
    for model in personal_data.referring_models():
        label = model._meta.label
        if label in EXCLUDED:
            assert EXCLUDED[label].strip(), f"{label} is excluded without a reason"
            continue
        policy = PERSONAL_DATA.get(label)
        if policy is None:
            missing.append(f"{label}: not in PERSONAL_DATA nor EXCLUDED")
            continue
        for field in personal_data.user_fields(model):
            if field.name not in policy.erase:
                missing.append(f"{label}.{field.name}: no erase rule")
            if field.many_to_many and policy.erase.get(field.name) not in (None, Erase.REMOVE):
                missing.append(f"{label}.{field.name}: a list the person is on is REMOVE")
        if policy.export is None or policy.export != ():
            # Not every field exported: the table says why.
            assert policy.reason or policy.export is not None, label
    assert not missing, "\n".join(missing)


def test_the_table_names_only_models_and_fields_that_exist() -> None:
    for label, policy in PERSONAL_DATA.items():
        model = apps.get_model(label)
        names = {field.name for field in personal_data.user_fields(model)}
        assert set(policy.erase) == names, label
        if policy.export is None:
            assert policy.reason, f"{label} is not exported without a reason"
        for name in policy.export or ():
            model._meta.get_field(name)
        for related, fields in policy.children.items():
            child = model._meta.get_field(related).related_model
            for name in fields:
                child._meta.get_field(name)


def test_every_history_table_follows_the_model_it_records() -> None:
    histories = list(personal_data.history_models())
    assert any(m._meta.label == "partnerships.HistoricalParticipant" for m in histories)
    for model in histories:
        for field in personal_data.user_fields(model):
            if field.name != "history_user":
                # Raises when the recorded model's rule for this field is missing.
                personal_data._mirrored(model, field.name)


def test_every_email_column_is_erased_or_excluded() -> None:
    found = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if not personal_data.is_history(model)
        for field in model._meta.concrete_fields
        if isinstance(field, models.EmailField)
    }
    listed = {f"{label}.{column}" for label, column in EMAIL_COLUMNS.items()}
    assert found == listed | set(EMAIL_COLUMNS_EXCLUDED)


# --- A person with a bit of everything --------------------------------------------------------

EMAIL = "quiet.cook.9931@example.net"
NAME = "Qamar Quietcook"


def _rich_person(world: World) -> User:
    """A member (not an administrator) of the lead who also takes part as a participant."""
    person = f.UserFactory(email=EMAIL, name=NAME)
    EmailAddress.objects.create(user=person, email="second.9931@example.net", verified=True)
    f.MembershipFactory(user=person, organization=world.enterprise)
    Participant.objects.create(partnership=world.other_partnership, user=person)
    services.consent_give(actor=person)
    partnership_services.progress_log(
        actor=person,
        partnership=world.partnership,
        organization=world.enterprise,
        text="We cooked.",
    )
    partnership_services.partnership_reframe(
        actor=person, partnership=world.partnership, statement="Loneliness", learned="It is."
    )
    checkin = CheckIn.objects.create(partnership=world.partnership, due_date=timezone.localdate())
    partnership_services.checkin_record(
        actor=world.city_staff,
        checkin=checkin,
        held=True,
        held_on=timezone.localdate(),
        attendees=[person, world.city_staff],
        attending_organizations=[world.enterprise],
        notes="Fine.",
    )
    training = services.training_schedule(
        actor=world.other_city_staff,
        partnership=world.other_partnership,
        topic="planning",
        starts_at=timezone.now() + timezone.timedelta(days=2),
        place="Hall",
        capacity=3,
    )
    services.training_signup(actor=person, training=training)
    Authenticator.objects.create(user=person, type=Authenticator.Type.RECOVERY_CODES, data={})
    # Someone's event names them in its data, as membership events do.
    from django.db import transaction

    with transaction.atomic():
        log_event(
            actor=world.city_admin,
            action="accounts.membership.role_changed",
            organization_id=world.enterprise.pk,
            data={"user_id": person.pk, "note": f"about {EMAIL}"},
        )
    OutboundEmail.objects.create(
        message_id="<m-9931@tandem>", from_email="tandem@example.org", to=[EMAIL], subject="Hi"
    )
    services.participant_invitation_send(
        actor=world.city_staff, partnership=world.partnership, email="second.9931@example.net"
    )
    return person


def _signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_download_holds_what_is_stored_about_them_and_nothing_secret(world: World) -> None:
    person = _rich_person(world)
    client = _signed_in(person)

    response = client.get(reverse("beneficiaries:data_export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["email"] == EMAIL
    records = data["records"]
    for label in (
        "accounts.Membership",
        "partnerships.Participant",
        "partnerships.ProgressUpdate",
        "partnerships.Reframing",
        "partnerships.CheckIn",
        "beneficiaries.Consent",
        "beneficiaries.TrainingSignup",
        "account.EmailAddress",
        "mfa.Authenticator",
    ):
        assert label in records, label
    assert records["partnerships.ProgressUpdate"][0]["text"] == "We cooked."
    assert "data" not in records["mfa.Authenticator"][0]  # the secret stays out
    actions = {event["action"] for event in data["events"]}
    assert {"beneficiaries.consent.given", "accounts.membership.role_changed"} <= actions
    text = response.content.decode()
    assert "password" not in text
    # Other people's addresses are not theirs to download.
    assert world.city_staff.email not in text


def _rows_naming(person_id: int, strings: list[str]) -> list[str]:
    """Every row of every table that still refers to the person or holds their words."""
    user = apps.get_model("accounts", "User")
    found = []
    for model in apps.get_models(include_auto_created=True):
        manager = model._default_manager
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user:
                if manager.filter(**{field.attname: person_id}).exists():
                    found.append(f"{model._meta.label}.{field.name}")
            elif isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                for text in strings:
                    if manager.filter(**{f"{field.name}__icontains": text}).exists():
                        found.append(f"{model._meta.label}.{field.name} holds {text!r}")
    if user.objects.filter(pk=person_id).exists():
        found.append("the user row")
    return found


def test_after_deletion_no_row_identifies_them(world: World) -> None:
    person = _rich_person(world)
    person_id = person.pk
    client = _signed_in(person)
    assert UserSession.objects.filter(user=person).exists() or Session.objects.exists()
    assert _rows_naming(person_id, [EMAIL, NAME])  # the walk below would find them

    page = client.get(reverse("beneficiaries:account_delete"))
    assert "cannot be undone" in page.content.decode()
    response = client.post(reverse("beneficiaries:account_delete"), {"confirm": "on"})

    assert response.status_code == 302
    assert _rows_naming(person_id, [EMAIL, NAME, "second.9931@example.net"]) == []
    # Their words stay, by "a former participant"; the partnership's records stay too.
    assert ProgressUpdate.objects.get(text="We cooked.").author is None
    assert Reframing.objects.filter(learned="It is.", author=None).exists()
    assert CheckIn.objects.get(notes="Fine.").attendees.get() == world.city_staff
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    # The partners learn that someone left, not who.
    left = Event.objects.get(action="beneficiaries.account.deleted")
    assert left.partnership_id == world.other_partnership.pk
    assert left.actor is None and left.data == {}
    # Signed out.
    assert client.get(reverse("beneficiaries:my_data")).status_code == 302


def test_what_they_wrote_goes_too_when_they_ask(world: World) -> None:
    person = _rich_person(world)
    person_id = person.pk

    services.account_delete(actor=person, delete_authored=True)

    assert not ProgressUpdate.objects.filter(text="We cooked.").exists()
    assert not Reframing.objects.filter(learned="It is.").exists()
    assert _rows_naming(person_id, [EMAIL, NAME, "We cooked."]) == []


def test_an_organizations_administrator_hands_over_first(world: World, client_as) -> None:
    with pytest.raises(ValidationError):
        services.account_delete(actor=world.entrepreneur)
    response = client_as("entrepreneur").post(
        reverse("beneficiaries:account_delete"), {"confirm": "on"}
    )
    assert response.status_code == 400
    assert User.objects.filter(pk=world.entrepreneur.pk).exists()
    assert Membership.objects.filter(user=world.entrepreneur).exists()


def test_deleting_needs_the_box_ticked(world: World, client_as) -> None:
    response = client_as("beneficiary").post(reverse("beneficiaries:account_delete"), {})
    assert response.status_code == 400
    assert User.objects.filter(pk=world.beneficiary.pk).exists()


def _json(response: Any) -> dict[str, Any]:
    return json.loads(response.content)


def test_a_beneficiary_without_email_downloads_and_leaves(world: World) -> None:
    invitation = services.participant_invitation_print(
        actor=world.entrepreneur, partnership=world.partnership
    )
    participant = services.printed_invitation_accept(
        invitation_id=invitation.pk, user=None, name="Paper Person"
    )
    client = _signed_in(participant.user)
    services.consent_give(actor=participant.user)

    data = _json(client.get(reverse("beneficiaries:data_export")))
    assert data["person"]["name"] == "Paper Person"
    assert "beneficiaries.ParticipantInvitation" in data["records"]
    assert "code" not in data["records"]["beneficiaries.ParticipantInvitation"][0]

    client.post(reverse("beneficiaries:account_delete"), {"confirm": "on"})
    assert _rows_naming(participant.user_id, ["Paper Person", invitation.code or "-"]) == []


def test_the_download_holds_each_survey_answer_with_its_ratings(world: World) -> None:
    from health import services as health_services
    from health.models import Group

    survey_round = health_services.round_open(
        actor=world.city_staff,
        partnership=world.partnership,
        closes_on=timezone.localdate() + timezone.timedelta(days=14),
    )
    statements = list(health_services.statements_for(Group.BENEFICIARIES))
    ratings = {s.pk: (n % 5) + 1 for n, s in enumerate(statements)}
    ratings[statements[0].pk] = None  # "don't know"
    health_services.survey_answer(
        actor=world.beneficiary, survey_round=survey_round, ratings=ratings, remark="Go on."
    )

    data = _json(_signed_in(world.beneficiary).get(reverse("beneficiaries:data_export")))

    [response] = data["records"]["health.SurveyResponse"]
    assert response["remark"] == "Go on."
    assert {r["statement"]: r["rating"] for r in response["ratings"]} == ratings
    # Somebody else's answers are not theirs to download.
    other = _json(_signed_in(world.entrepreneur).get(reverse("beneficiaries:data_export")))
    assert "health.SurveyResponse" not in other["records"]
