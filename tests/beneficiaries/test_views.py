"""The people page, its invitation form and the page where an invited person accepts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from beneficiaries import services
from beneficiaries.models import ParticipantInvitation
from partnerships.models import Participant
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db

NEWCOMER = "newcomer@example.net"


def _people(world: World) -> str:
    return reverse("beneficiaries:people", args=[world.partnership.pk])


def _invite(world: World) -> ParticipantInvitation:
    return services.participant_invitation_send(
        actor=world.city_staff, partnership=world.partnership, email=NEWCOMER
    )


def _accept_url(invitation: ParticipantInvitation) -> str:
    return reverse("beneficiaries:invitation_accept", kwargs={"token": invitation.token})


def test_the_partnership_page_links_contributors_to_its_people(world: World, client_as) -> None:
    detail = reverse("partnerships:detail", args=[world.partnership.pk])
    for persona in ("city_staff", "entrepreneur"):
        page = client_as(persona).get(detail).content.decode()
        assert _people(world) in page
        assert "1 participant takes part" in page
    assert _people(world) not in client_as("beneficiary").get(detail).content.decode()


def test_the_people_page_lists_participants_and_pending_invitations(
    world: World, client_as
) -> None:
    invitation = _invite(world)
    withdrawn = services.participant_invitation_send(
        actor=world.city_staff, partnership=world.partnership, email="gone@example.net"
    )
    services.participant_invitation_revoke(actor=world.city_staff, invitation=withdrawn)

    response = client_as("entrepreneur").get(_people(world))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Bea Resident" in page and "Advisor" in page
    # Participants are named, their addresses are not shown.
    assert world.beneficiary.email not in page
    assert NEWCOMER in page
    assert (
        reverse("beneficiaries:invitation_revoke", args=[world.partnership.pk, invitation.pk])
        in page
    )
    assert "gone@example.net" not in page


def test_inviting_from_the_page_sends_the_email_and_goes_back(
    world: World, client_as, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("entrepreneur").post(
            _people(world), {"email": NEWCOMER, "role": Participant.Role.CO_PLANNER}
        )

    assert response.status_code == 302 and response["Location"] == _people(world)
    invitation = ParticipantInvitation.objects.get()
    assert (invitation.email, invitation.role) == (NEWCOMER, Participant.Role.CO_PLANNER)
    assert [m.to for m in mail.outbox] == [[NEWCOMER]]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "not an address", "role": Participant.Role.ADVISOR},
        {"email": NEWCOMER, "role": "boss"},
        {"email": "resident@example.net", "role": Participant.Role.ADVISOR},
    ],
)
def test_a_bad_invitation_is_a_400_with_the_page(world: World, client_as, data) -> None:
    response = client_as("city_staff").post(_people(world), data)

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ParticipantInvitation.objects.exists()
    assert mail.outbox == []


def test_a_duplicate_invitation_is_a_400(world: World, client_as) -> None:
    _invite(world)
    response = client_as("city_staff").post(
        _people(world), {"email": NEWCOMER, "role": Participant.Role.ADVISOR}
    )
    assert response.status_code == 400
    assert "already waiting" in response.content.decode()
    assert ParticipantInvitation.objects.count() == 1


def test_withdrawing_from_the_page(world: World, client_as) -> None:
    invitation = _invite(world)
    url = reverse("beneficiaries:invitation_revoke", args=[world.partnership.pk, invitation.pk])

    response = client_as("entrepreneur").post(url)

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_withdrawing_an_accepted_invitation_says_why(world: World, client_as) -> None:
    invitation = _invite(world)
    services.participant_invitation_accept(
        user=f.UserFactory(email=NEWCOMER), token=invitation.token
    )
    url = reverse("beneficiaries:invitation_revoke", args=[world.partnership.pk, invitation.pk])

    response = client_as("city_staff").post(url)

    assert response.status_code == 400
    assert "already been accepted" in response.content.decode()


@pytest.mark.parametrize("persona", ["other_city_staff", "outsider"])
def test_another_citys_people_get_not_found(world: World, client_as, persona: str) -> None:
    invitation = _invite(world)
    client = client_as(persona)
    revoke = reverse("beneficiaries:invitation_revoke", args=[world.partnership.pk, invitation.pk])

    assert client.get(_people(world)).status_code == 404
    assert (
        client.post(_people(world), {"email": "x@example.net", "role": "advisor"}).status_code
        == 404
    )
    assert client.post(revoke).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert ParticipantInvitation.objects.count() == 1


def test_an_invitation_of_another_partnership_is_not_found_under_ours(
    world: World, client_as
) -> None:
    theirs = services.participant_invitation_send(
        actor=world.other_city_staff, partnership=world.other_partnership, email=NEWCOMER
    )
    url = reverse("beneficiaries:invitation_revoke", args=[world.partnership.pk, theirs.pk])
    assert client_as("city_admin").post(url).status_code == 404


def test_participants_may_not_open_the_people_page(world: World, client_as) -> None:
    assert client_as("beneficiary").get(_people(world)).status_code == 403


# --- Accepting ---------------------------------------------------------------------------


def test_a_visitor_sees_who_invited_them_to_what_and_signs_up_to_accept(
    world: World, django_capture_on_commit_callbacks
) -> None:
    invitation = _invite(world)
    visitor = Client()

    page = visitor.get(_accept_url(invitation))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Community meals for older neighbours" in text and "City of Riverton" in text
    assert "Sent by Rosa Contact" in text
    signup = page.context["signup_url"]
    assert signup.startswith(reverse("account_signup"))
    assert f"email={NEWCOMER.replace('@', '%40')}" in signup
    # The sign-up form comes with the address filled in.
    form_page = visitor.get(signup)
    assert f'value="{NEWCOMER}"' in form_page.content.decode()

    # Signing up with the invited address needs no second confirmation: the link proved it.
    with django_capture_on_commit_callbacks(execute=True):
        signed_up = visitor.post(
            signup,
            {
                "email": NEWCOMER,
                "password1": "a-long-pass-phrase",
                "password2": "a-long-pass-phrase",
            },
        )
    assert signed_up.status_code == 302
    assert signed_up["Location"] == _accept_url(invitation)
    newcomer = User.objects.get(email=NEWCOMER)
    assert not Participant.objects.filter(user=newcomer).exists()  # not before they accept

    back = visitor.get(signed_up["Location"])
    assert "Accept and take part" in back.content.decode()
    accepted = visitor.post(_accept_url(invitation))

    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("partnerships:detail", args=[world.partnership.pk])
    assert Participant.objects.filter(partnership=world.partnership, user=newcomer).count() == 1
    # Before anything else, the consent page; once agreed, the partnership.
    first = visitor.get(reverse("partnerships:my"))
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("beneficiaries:consent"))
    visitor.post(reverse("beneficiaries:consent"), {"agree": "on"})
    mine = visitor.get(reverse("partnerships:my")).content.decode()
    assert "Community meals for older neighbours" in mine


def test_a_visitor_without_an_account_accepts_with_no_password(world: World) -> None:
    """The link reached the address: it signs its person in once, into a new account."""
    invitation = _invite(world)
    visitor = Client()

    response = visitor.post(_accept_url(invitation), {"name": "Nia"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("beneficiaries:consent"))
    person = User.objects.get(email=NEWCOMER)
    assert person.name == "Nia"
    assert not person.has_usable_password()
    assert person.emailaddress_set.get().verified
    assert Participant.objects.filter(partnership=world.partnership, user=person).exists()
    # Signed in: the consent page opens.
    assert visitor.get(reverse("beneficiaries:consent")).status_code == 200
    # The invitation is used: the link cannot sign anyone in again.
    again = Client().post(_accept_url(invitation), {"name": "Someone"})
    assert again.status_code == 302
    assert again["Location"].startswith(reverse("account_login"))


def test_a_visitor_whose_address_has_an_account_is_sent_to_log_in(world: World) -> None:
    invitation = _invite(world)
    f.UserFactory(email=NEWCOMER)
    response = Client().post(_accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Participant.objects.filter(user__email=NEWCOMER).exists()


def test_an_existing_account_with_the_address_accepts_in_one_step(world: World) -> None:
    invitation = _invite(world)
    newcomer = f.UserFactory(email=NEWCOMER)
    client = Client()
    client.force_login(newcomer)

    response = client.post(_accept_url(invitation))

    assert response.status_code == 302
    assert Participant.objects.filter(partnership=world.partnership, user=newcomer).exists()


def test_an_account_with_another_address_is_told_and_changes_nothing(
    world: World, client_as
) -> None:
    invitation = _invite(world)
    client = client_as("outsider")

    page = client.get(_accept_url(invitation))
    refused = client.post(_accept_url(invitation))

    assert page.status_code == 200 and "different e-mail address" in page.content.decode()
    assert refused.status_code == 400
    assert not Participant.objects.filter(user=world.outsider).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "has expired"),
        ({"revoked_at": timezone.now()}, "was withdrawn"),
        ({"accepted_at": timezone.now()}, "already been used"),
    ],
)
def test_expired_withdrawn_or_used_invitations_say_so(
    world: World, change: dict[str, object], message: str
) -> None:
    invitation = _invite(world)
    ParticipantInvitation.objects.filter(pk=invitation.pk).update(**change)
    signed_in = Client()
    signed_in.force_login(f.UserFactory(email=NEWCOMER))

    for client in (Client(), signed_in):
        page = client.get(_accept_url(invitation))
        text = page.content.decode()
        assert page.status_code == 200
        assert message in text
        assert "Create an account" not in text and "Accept and take part" not in text
    assert signed_in.post(_accept_url(invitation)).status_code == 400
    assert not Participant.objects.filter(user__email=NEWCOMER).exists()


@pytest.mark.parametrize("token", ["no-such-token", "bad%00token", "x" * 65])
def test_an_unknown_or_malformed_token_is_not_found(world: World, token: str) -> None:
    url = reverse("beneficiaries:invitation_accept", kwargs={"token": "placeholder"})
    url = url.replace("placeholder", token)
    assert Client().get(url).status_code == 404


def test_the_email_link_opens_the_acceptance_page(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(world)
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body)
    assert link is not None
    assert link[1] == _accept_url(invitation)
    assert Client().get(link[1]).status_code == 200


def test_after_the_first_visit_a_code_by_email_signs_them_in(world: World) -> None:
    """allauth's login by code: no password needed, ever."""
    invitation = _invite(world)
    Client().post(_accept_url(invitation), {"name": "Nia"})
    mail.outbox.clear()
    visitor = Client()

    asked = visitor.post(reverse("account_request_login_code"), {"email": NEWCOMER})
    assert asked.status_code == 302
    (message,) = mail.outbox
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert code, message.body
    confirmed = visitor.post(reverse("account_confirm_login_code"), {"code": code[1]})

    assert confirmed.status_code == 302
    assert int(visitor.session["_auth_user_id"]) == User.objects.get(email=NEWCOMER).pk
