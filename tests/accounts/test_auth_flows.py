"""Signing up, verifying, logging in and out, resetting a password, and the rate limits."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests import factories as f

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-fresh-long-passphrase-42"

pytestmark = pytest.mark.django_db


def _link_in(message: mail.EmailMessage, pattern: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + pattern + r")", message.body)
    assert match, message.body
    return match.group(1)


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_sign_up_sends_verification_and_following_the_link_signs_in(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "New.Person@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert _signed_in_user_id(client) is None
    user = User.objects.get(email="new.person@example.org")
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    confirm_path = _link_in(mail.outbox[0], r"/accounts/confirm-email/[-:\w]+/")

    page = client.get(confirm_path)
    assert page.status_code == 200
    assert b'class="skip-link"' in page.content  # our layout, not allauth's bare page

    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert _signed_in_user_id(client) == str(user.pk)


def test_cannot_log_in_before_verifying_the_address(client: Client) -> None:
    f.UserFactory(email="waiting@example.org", verified=False)
    response = client.post(
        reverse("account_login"), {"login": "waiting@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert _signed_in_user_id(client) is None
    # A fresh verification link goes out so the person can finish.
    assert mail.outbox[-1].to == ["waiting@example.org"]


def test_verified_person_logs_in_and_out(world, client: Client) -> None:
    response = client.post(
        reverse("account_login"), {"login": "founder@harvest.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(world.entrepreneur.pk)

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert _signed_in_user_id(client) is None


def test_wrong_password_is_refused_with_a_form_message(world, client: Client) -> None:
    response = client.post(
        reverse("account_login"), {"login": "founder@harvest.org", "password": "nope-nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _signed_in_user_id(client) is None


def test_password_reset_by_email(world, client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "founder@harvest.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    # Subjects carry no private data: no address, no name.
    assert "founder" not in mail.outbox[0].subject
    assert "Eli" not in mail.outbox[0].subject
    key_path = _link_in(mail.outbox[0], r"/accounts/password/reset/key/[-:\w]+/")

    # allauth moves the key out of the URL into the session before showing the form.
    response = client.get(key_path)
    assert response.status_code == 302
    form_path = response["Location"]
    assert client.get(form_path).status_code == 200

    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert client.get(response["Location"]).status_code == 200

    world.entrepreneur.refresh_from_db()
    assert world.entrepreneur.check_password(NEW_PASSWORD)
    fresh = Client()
    response = fresh.post(
        reverse("account_login"), {"login": "founder@harvest.org", "password": NEW_PASSWORD}
    )
    assert _signed_in_user_id(fresh) == str(world.entrepreneur.pk)


def test_password_reset_with_a_broken_key_says_so(client: Client) -> None:
    response = client.get("/accounts/password/reset/key/1-set-password/")
    assert response.status_code == 200
    assert response.context["token_fail"]


def _failed_logins_allowed_per_address() -> int:
    # ACCOUNT_RATE_LIMITS["login_failed"] is "<n>/<period>/ip,<n>/<period>/key".
    rates = dict(
        (rate.split("/")[2], int(rate.split("/")[0]))
        for rate in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")
    )
    return rates["key"]


def test_repeated_failed_logins_lock_the_address_even_with_the_right_password(
    world, client: Client
) -> None:
    allowed = _failed_logins_allowed_per_address()
    for _ in range(allowed):
        client.post(reverse("account_login"), {"login": "founder@harvest.org", "password": "x"})

    # allauth refuses inside the form (adapter.pre_authenticate); we answer 429 with the page
    # that says when to try again.
    response = client.post(
        reverse("account_login"), {"login": "founder@harvest.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert b"Try again in 5 minutes" in response.content
    assert response["Retry-After"] == "300"
    assert _signed_in_user_id(client) is None


def test_too_many_login_requests_get_429_in_our_layout(client: Client) -> None:
    per_minute = int(settings.ACCOUNT_RATE_LIMITS["login"].split("/")[0])
    for n in range(per_minute):
        client.post(reverse("account_login"), {"login": f"guess{n}@example.org", "password": "x"})
    response = client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert b'class="skip-link"' in response.content


def test_admin_login_sends_anonymous_people_to_the_rate_limited_login(client: Client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_admin_login_form_never_checks_an_anonymous_password(client: Client) -> None:
    f.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": "root@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert _signed_in_user_id(client) is None


def test_staff_reach_the_admin_after_logging_in_through_allauth(client: Client) -> None:
    f.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "root@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_failed_login_limit_also_guards_the_way_into_the_admin(client: Client) -> None:
    f.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    for _ in range(_failed_logins_allowed_per_address()):
        client.post(
            reverse("account_login") + "?next=/admin/",
            {"login": "root@example.org", "password": "wrong"},
        )
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "root@example.org", "password": PASSWORD},
    )
    assert response.status_code == 429
    assert _signed_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302
