"""The invitation link: a page that reads as an invitation, and one step in."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, Organization
from core.mail import ReadableConsoleBackend
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(world) -> Invitation:
    return Invitation.objects.create(
        organization=world.city,
        email="newcomer@example.org",
        role=Membership.Role.ADMIN,
        invited_by=world.city_admin,
    )


def _url(invitation: Invitation) -> str:
    return reverse("accounts:invitation_accept", args=[invitation.token])


def test_a_visitor_reads_who_invites_them_to_what(invitation) -> None:
    page = Client().get(_url(invitation))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Ada Admin invites you to join City of Riverton on Tandem, as Administrator." in text
    # The address is filled in on the sign-up form; the log-in form is on the same page.
    assert 'value="newcomer@example.org"' in text
    assert 'action="/accounts/signup/"' in text
    assert 'action="/accounts/login/"' in text
    # Nothing beyond what the invitation says: not the inviter's address, not the members.
    assert "admin@riverton.gov" not in text
    assert "contact@riverton.gov" not in text


def test_signing_up_from_the_invitation_needs_no_confirmation_and_joins(invitation) -> None:
    client = Client()
    client.get(_url(invitation))
    mail.outbox.clear()

    response = client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "password1": "a-long-new-passphrase",
            "password2": "a-long-new-passphrase",
            "next": _url(invitation),
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse(
        "accounts:organization_detail", args=[invitation.organization_id]
    )
    assert "Welcome to City of Riverton." in response.content.decode()
    address = EmailAddress.objects.get(email="newcomer@example.org")
    assert address.verified
    assert Membership.objects.get(user=address.user, organization=invitation.organization).role == (
        Membership.Role.ADMIN
    )
    assert mail.outbox == []  # no confirmation e-mail: the link proved the address


def test_an_existing_account_logs_in_and_joins_in_one_step(world, invitation) -> None:
    person = f.UserFactory(email="newcomer@example.org")
    client = Client()
    client.get(_url(invitation))

    response = client.post(
        reverse("account_login"),
        {
            "login": "newcomer@example.org",
            "password": "correct-horse-battery",
            "next": _url(invitation),
        },
        follow=True,
    )

    assert Membership.objects.filter(user=person, organization=world.city).exists()
    assert response.redirect_chain[-1][0] == reverse(
        "accounts:organization_detail", args=[world.city.pk]
    )


def test_logging_in_with_another_address_joins_nothing_and_says_why(world, invitation) -> None:
    client = Client()
    client.get(_url(invitation))
    response = client.post(
        reverse("account_login"),
        {
            "login": "someone@unrelated.org",
            "password": "correct-horse-battery",
            "next": _url(invitation),
        },
        follow=True,
    )
    assert not Membership.objects.filter(user=world.outsider, organization=world.city).exists()
    assert "sent to a different e-mail address" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"accepted_at": timezone.now}, "already been used"),
        ({"revoked_at": timezone.now}, "was withdrawn"),
        ({"expires_at": lambda: timezone.now() - timedelta(days=1)}, "has expired"),
    ],
)
def test_a_link_that_no_longer_works_says_so(invitation, change, says) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(**{k: v() for k, v in change.items()})
    page = Client().get(_url(invitation))
    text = page.content.decode()
    assert says in text
    assert "City of Riverton" not in text
    assert "account/signup" not in text


def test_invitation_e_mail_links_to_the_site_url(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SITE_URL = "https://tandem.example.org"
    Site.objects.filter(pk=1).update(domain="127.0.0.1:8000")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=world.city_admin, organization=world.city, email="x@y.org")
    body = mail.outbox[-1].body
    assert "https://tandem.example.org/organizations/invitations/" in body
    assert "127.0.0.1" not in body


def test_allauth_e_mails_use_the_request_host_not_a_stale_site_row(settings) -> None:
    Site.objects.filter(pk=1).update(domain="127.0.0.1:8000")
    client = Client(HTTP_HOST="tandem.example.net")
    settings.ALLOWED_HOSTS = ["tandem.example.net"]
    client.post(
        reverse("account_signup"),
        {
            "email": "fresh@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    body = mail.outbox[-1].body
    assert "http://tandem.example.net/accounts/confirm-email/" in body
    assert "127.0.0.1" not in body

    settings.SITE_URL = "https://tandem.example.org"
    client.post(reverse("account_reset_password"), {"email": "fresh@example.org"})
    body = mail.outbox[-1].body
    assert "https://tandem.example.org/accounts/password/reset/key/" in body
    assert "127.0.0.1" not in body and "tandem.example.net" not in body


def test_the_console_copy_of_an_e_mail_keeps_links_whole(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SITE_URL = "https://tandem.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=world.city_admin, organization=world.city, email="x@y.org")
    message = mail.outbox[-1]
    url = services.invitation_accept_url(Invitation.objects.get(email="x@y.org"))
    assert len(url) > 76  # long enough that quoted-printable would have cut it

    stream = io.StringIO()
    ReadableConsoleBackend(stream=stream).send_messages([message])

    printed = stream.getvalue()
    assert url in printed
    assert "Subject: [Tandem] You are invited to join Tandem" in printed
    assert "To: x@y.org" in printed
    assert "=\n" not in printed


def test_a_signed_in_person_sees_pending_invitations_on_the_front_door(world, invitation) -> None:
    person = f.UserFactory(email="newcomer@example.org")
    EmailAddress.objects.create(user=person, email="second@example.org", verified=False)
    Invitation.objects.create(organization=world.enterprise, email="second@example.org")
    client = Client()
    client.force_login(person)

    page = client.get(reverse("home"))

    assert page.status_code == 200
    text = page.content.decode()
    assert _url(invitation) in text
    assert "City of Riverton" in text
    assert "Second Harvest Kitchens" not in text  # that address is not verified
    assert reverse("accounts:organization_create") + "?kind=city" in text
    assert "by invitation" in text


def test_the_front_door_sends_each_person_on(world) -> None:
    def home_for(user) -> str:
        client = Client()
        client.force_login(user)
        return client.get(reverse("home"))["Location"]

    assert home_for(world.city_staff) == reverse("partnerships:dashboard")
    assert home_for(world.entrepreneur) == reverse("partnerships:my")
    # A participant is in no organization, yet has a partnership.
    assert home_for(world.beneficiary) == reverse("partnerships:my")


def test_a_pending_city_registrant_reaches_the_portfolio(world) -> None:
    official = f.UserFactory()
    services.organization_create(actor=official, name="City of New", kind="city", country="US")
    client = Client()
    client.force_login(official)
    assert client.get(reverse("home"))["Location"] == reverse("partnerships:dashboard")
    assert Organization.objects.get(name="City of New").is_pending


def test_partnership_and_participant_invitations_link_to_the_site_url(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    from beneficiaries import services as beneficiary_services
    from partnerships import services as partnership_services
    from tests import factories as f

    settings.SITE_URL = "https://tandem.example.org"
    Site.objects.filter(pk=1).update(domain="127.0.0.1:8000")
    newcomer = f.OrganizationFactory(name="Newcomer Kitchens")
    f.MembershipFactory(
        user=f.UserFactory(email="admin@newcomer.org"), organization=newcomer, role="admin"
    )
    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.partner_add(
            actor=world.city_staff,
            partnership=world.partnership,
            organization=newcomer,
            role_description="Cooks on Fridays.",
        )
        beneficiary_services.participant_invitation_send(
            actor=world.city_staff,
            partnership=world.partnership,
            email="resident@example.org",
            role="advisor",
        )
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "https://tandem.example.org/partnerships/invitations/" in bodies["admin@newcomer.org"]
    assert "https://tandem.example.org/partnerships/join/" in bodies["resident@example.org"]
    assert not any("127.0.0.1" in body for body in bodies.values())
