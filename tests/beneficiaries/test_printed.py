"""Printed invitations: a code and a QR code on paper, for people without e-mail.

Typing the code opens the invitation; accepting creates an account without e-mail and
without password and signs its person in. The same code signs them in again until it
expires; partners can print a fresh sign-in code; codes can be withdrawn. Guessing is slowed
down by a rate limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from beneficiaries import services
from beneficiaries.events import Action
from beneficiaries.models import CODE_ALPHABET, CODE_LENGTH, ParticipantInvitation
from core.models import Event
from partnerships.models import Participant
from tests.conftest import World

pytestmark = pytest.mark.django_db

JOIN = "/partnerships/join/"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _print(world: World, role: str = "co_planner") -> ParticipantInvitation:
    return services.participant_invitation_print(
        actor=world.entrepreneur, partnership=world.partnership, role=role
    )


def _join(client: Client, code: str, name: str = "Amira") -> Participant:
    typed = client.post(reverse("beneficiaries:join"), {"code": code})
    assert typed.status_code == 302, typed.content.decode()[:500]
    assert typed["Location"] == reverse("beneficiaries:join_welcome")
    accepted = client.post(reverse("beneficiaries:join_welcome"), {"name": name})
    assert accepted.status_code == 302
    assert accepted["Location"].startswith(reverse("beneficiaries:consent"))
    return Participant.objects.get(user__name=name)


def test_a_printed_invitation_has_a_short_typable_code(world: World) -> None:
    invitation = _print(world)

    assert invitation.kind == "printed"
    assert invitation.email == ""
    assert len(invitation.code or "") == CODE_LENGTH
    assert set(invitation.code or "") <= set(CODE_ALPHABET)
    assert invitation.code_display[4] == "-"
    event = Event.objects.get(action=Action.INVITATION_PRINTED)
    assert event.data == {"invitation_id": invitation.pk, "role": "co_planner"}


def test_the_printable_page_shows_the_code_and_an_inline_qr_code(world: World, client_as) -> None:
    invitation = _print(world)
    page = client_as("entrepreneur").get(
        reverse("beneficiaries:invitation_printable", args=[world.partnership.pk, invitation.pk])
    )
    text = page.content.decode()

    assert page.status_code == 200
    assert invitation.code_display in text
    assert "<svg" in text and "<path" in text
    assert "css/light.css" in text and "pico" not in text
    assert "@media print" in Path("static/css/light.css").read_text()


def test_making_a_printable_invitation_from_the_people_page(world: World, client_as) -> None:
    response = client_as("city_staff").post(
        reverse("beneficiaries:invitation_print", args=[world.partnership.pk]),
        {"role": "reviewer"},
    )
    invitation = ParticipantInvitation.objects.get(kind="printed")
    assert response["Location"] == reverse(
        "beneficiaries:invitation_printable", args=[world.partnership.pk, invitation.pk]
    )
    assert invitation.role == "reviewer"


@pytest.mark.parametrize("persona", ["beneficiary", "outsider", "other_city_staff"])
def test_only_partners_print(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.participant_invitation_print(
            actor=getattr(world, persona), partnership=world.partnership
        )


def test_typing_the_code_makes_an_account_with_no_email_and_no_password(world: World) -> None:
    invitation = _print(world)
    visitor = Client()

    participant = _join(visitor, invitation.code_display.lower())  # lower case is fine

    person = participant.user
    assert participant.partnership == world.partnership
    assert participant.role == "co_planner"
    assert not person.has_usable_password()
    assert not services.has_real_email(person)
    assert not person.emailaddress_set.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    # Signed in, and sent to consent before the partnership opens.
    detail = visitor.get(reverse("partnerships:detail", args=[world.partnership.pk]))
    assert detail.status_code == 302
    assert detail["Location"].startswith(reverse("beneficiaries:consent"))


def test_the_same_code_signs_its_person_in_again_until_it_expires(world: World) -> None:
    invitation = _print(world)
    person = _join(Client(), invitation.code or "").user
    later = Client()

    back = later.post(reverse("beneficiaries:join"), {"code": f" {invitation.code_display} "})

    assert back.status_code == 302
    assert back["Location"] == reverse("partnerships:my")
    assert int(later.session["_auth_user_id"]) == person.pk
    assert User.objects.filter(name="Amira").count() == 1
    ParticipantInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired = Client().post(reverse("beneficiaries:join"), {"code": invitation.code})
    assert expired.status_code == 400
    assert "expired" in expired.content.decode()


def test_a_withdrawn_code_no_longer_signs_in(world: World) -> None:
    invitation = _print(world)
    _join(Client(), invitation.code or "")
    services.participant_invitation_revoke(actor=world.city_staff, invitation=invitation)

    response = Client().post(reverse("beneficiaries:join"), {"code": invitation.code})

    assert response.status_code == 400
    assert "withdrawn" in response.content.decode()


def test_a_partner_prints_a_fresh_sign_in_code_for_someone_without_email(world: World) -> None:
    invitation = _print(world)
    participant = _join(Client(), invitation.code or "")

    fresh = services.sign_in_code_print(actor=world.entrepreneur, participant=participant)
    client = Client()
    response = client.post(reverse("beneficiaries:join"), {"code": fresh.code})

    assert response["Location"] == reverse("partnerships:my")
    assert int(client.session["_auth_user_id"]) == participant.user_id
    assert Event.objects.filter(action=Action.SIGN_IN_CODE_PRINTED).count() == 1


def test_no_sign_in_code_for_someone_with_an_email_address(world: World) -> None:
    """A partner must never hold a key to an account that signs in by its own address."""
    participant = Participant.objects.get(user=world.beneficiary)
    with pytest.raises(ValidationError):
        services.sign_in_code_print(actor=world.entrepreneur, participant=participant)


def test_an_unknown_code_is_refused_without_saying_more(world: World) -> None:
    _print(world)
    response = Client().post(reverse("beneficiaries:join"), {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 400
    assert "This code is not valid" in response.content.decode()


def test_guessing_codes_is_stopped_by_a_rate_limit(world: World) -> None:
    invitation = _print(world)
    visitor = Client()
    answers = [
        visitor.post(reverse("beneficiaries:join"), {"code": f"ZZZZ-ZZ{i:02d}"}).status_code
        for i in range(12)
    ]
    assert answers[:10] == [400] * 10
    assert answers[10:] == [429, 429]
    # Even the right code waits now.
    assert visitor.post(reverse("beneficiaries:join"), {"code": invitation.code}).status_code == 429


def test_the_qr_link_fills_in_the_code(world: World) -> None:
    invitation = _print(world)
    page = Client().get(reverse("beneficiaries:join") + f"?code={invitation.code_display}")
    assert f'value="{invitation.code_display}"' in page.content.decode()


def test_a_signed_in_person_accepts_a_printed_invitation_into_their_own_account(
    world: World,
) -> None:
    other = services.participant_invitation_print(
        actor=world.other_city_staff, partnership=world.other_partnership
    )
    client = Client()
    client.force_login(world.beneficiary)
    client.post(reverse("beneficiaries:join"), {"code": other.code})
    response = client.post(reverse("beneficiaries:join_welcome"))

    assert response.status_code == 302
    assert Participant.objects.filter(
        user=world.beneficiary, partnership=world.other_partnership
    ).exists()


def test_the_welcome_page_without_a_typed_code_goes_back_to_the_code_form() -> None:
    response = Client().get(reverse("beneficiaries:join_welcome"))
    assert response["Location"] == reverse("beneficiaries:join")
