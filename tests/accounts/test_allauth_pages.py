"""Every allauth page a person can reach is rendered in Tandem's layout and obeys our CSP."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

# A script that runs without a src; a JSON data block (type="application/json", what
# allauth's passkey scripts read their settings from) is never run, so CSP allows it.
INLINE_SCRIPT = re.compile(
    rb"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE
)
INLINE_STYLE = re.compile(rb"\sstyle=", re.IGNORECASE)


def assert_in_our_layout(content: bytes) -> None:
    assert b'class="skip-link"' in content
    assert b'<main id="main"' in content
    assert content.count(b"<h1") == 1
    assert not INLINE_SCRIPT.search(content)
    assert not INLINE_STYLE.search(content)


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_email_verification_sent",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_inactive",
    ],
)
def test_entrance_pages_use_our_layout(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_in_our_layout(response.content)


@pytest.mark.parametrize(
    "name",
    ["account_email", "account_change_password", "account_logout", "accounts:profile"],
)
def test_account_management_pages_use_our_layout(world, client_as, name: str) -> None:
    response = client_as("entrepreneur").get(reverse(name))
    assert response.status_code == 200
    assert_in_our_layout(response.content)


def test_login_form_fields_have_visible_labels(client: Client) -> None:
    content = client.get(reverse("account_login")).content.decode()
    assert '<label for="id_login"' in content
    assert '<label for="id_password"' in content
    assert reverse("account_reset_password") in content


def test_login_errors_are_announced_and_tied_to_the_form(world, client: Client) -> None:
    response = client.post(
        reverse("account_login"), {"login": "founder@harvest.org", "password": "wrong"}
    )
    content = response.content.decode()
    assert 'role="alert"' in content
    assert_in_our_layout(response.content)


def test_signup_field_errors_mark_the_field_invalid(client: Client) -> None:
    response = client.post(
        reverse("account_signup"), {"email": "not-an-address", "password1": "a", "password2": "b"}
    )
    content = response.content.decode()
    assert 'aria-invalid="true"' in content
    assert 'class="errorlist' in content


def test_email_confirmation_page_uses_our_layout(client: Client) -> None:
    user = f.UserFactory(email="pending@example.org", verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    key = EmailConfirmationHMAC(address).key
    response = client.get(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 200
    assert_in_our_layout(response.content)
    assert response.context["confirmation"]


def test_broken_confirmation_link_explains_itself(client: Client) -> None:
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code == 200
    assert_in_our_layout(response.content)
    assert response.context["confirmation"] is None


def test_password_reset_from_broken_key_uses_our_layout(client: Client) -> None:
    response = client.get("/accounts/password/reset/key/1-set-password/")
    assert_in_our_layout(response.content)


def test_changing_email_sends_verification_to_the_new_address(world, client_as) -> None:
    from django.core import mail

    client = client_as("entrepreneur")
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "eli@newplace.org"}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["eli@newplace.org"]
    page = client.get(reverse("account_email"))
    assert_in_our_layout(page.content)
    assert b"eli@newplace.org" in page.content
    # Until verified, the old address stays the login.
    world.entrepreneur.refresh_from_db()
    assert world.entrepreneur.email == "founder@harvest.org"


def test_pages_are_translated(client: Client) -> None:
    response = client.get("/es" + reverse("account_login"))
    assert response.status_code == 200
    assert b'lang="es"' in response.content
