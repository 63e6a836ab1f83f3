"""Two-factor sign-in: enrolling an authenticator app, signing in with its codes or a recovery
code, organizations that require it of their members, and ending one's other sessions."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.events import Action
from accounts.models import User
from core.models import Event
from tests.conftest import World

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories.py gives every user this password
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # allauth keeps used codes and sign-in counts in the cache.
    cache.clear()


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now, computed as allauth checks it; close to the
    end of its 30 seconds, the next one, so it is still valid when it arrives."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def enrol_totp(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def password_login(client: Client, user: User) -> str:
    """Sign in with e-mail and password; the URL the person is sent to next."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


# --- Enrolling and signing in with an authenticator app ---------------------------------------


def test_a_person_enrols_an_authenticator_app_and_gets_recovery_codes(world: World) -> None:
    client = Client()
    person = world.entrepreneur
    password_login(client, person)
    # Adding a second factor asks for the password again, whoever holds the session.
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = re.search(
        r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"|value="([A-Z2-7]+)"[^>]*id="authenticator_secret"',
        page.content.decode(),
    )
    assert secret is not None
    secret_text = secret.group(1) or secret.group(2)
    assert b"data:image/svg+xml" in page.content  # the QR code to scan

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=person).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret_text)})

    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=person).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    overview = client.get(reverse("mfa_index")).content.decode()
    assert "Authentication using an authenticator app is active." in overview


def test_signing_in_asks_for_the_code_after_the_password(world: World) -> None:
    person = world.entrepreneur
    secret = enrol_totp(person)
    client = Client()

    next_step = password_login(client, person)

    assert next_step == reverse("mfa_authenticate")
    assert not signed_in(client)
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert not signed_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert signed_in(client)


def test_a_code_that_was_used_once_is_refused_the_second_time(world: World) -> None:
    person = world.entrepreneur
    secret = enrol_totp(person)
    code = totp_code(secret)
    first = Client()
    password_login(first, person)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302

    second = Client()
    password_login(second, person)
    response = second.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not signed_in(second)


def test_a_recovery_code_signs_in_once(world: World) -> None:
    person = world.entrepreneur
    enrol_totp(person)
    recovery = RecoveryCodes.activate(person)
    code = recovery.get_unused_codes()[0]
    first = Client()
    password_login(first, person)

    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert signed_in(first)

    second = Client()
    password_login(second, person)
    response = second.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert not signed_in(second)
    assert (
        code
        not in RecoveryCodes(Authenticator.objects.get(pk=recovery.instance.pk)).get_unused_codes()
    )


def test_the_profile_links_to_two_factor_authentication_and_sessions(world: World) -> None:
    client = Client()
    client.force_login(world.beneficiary)

    content = client.get(reverse("accounts:profile")).content.decode()

    assert f'href="{reverse("mfa_index")}"' in content
    assert f'href="{reverse("usersessions_list")}"' in content
    assert "Two-factor authentication" in content


@pytest.mark.parametrize("name", ["mfa_index", "mfa_activate_totp", "usersessions_list"])
def test_the_two_factor_and_session_pages_are_in_our_layout_and_spanish(
    world: World, name: str
) -> None:
    from tests.accounts.test_allauth_pages import assert_in_our_layout

    client = Client()
    password_login(client, world.beneficiary)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_in_our_layout(response.content)
    assert b'aria-label="Your account"' in response.content

    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish = client.get("/es" + reverse(name)).content.decode()
    assert 'lang="es"' in spanish
    assert "Autenticación de dos factores" in spanish or "Sesiones" in spanish


# --- Organizations that require it -----------------------------------------------------------


def test_an_admin_requires_two_factor_authentication_for_the_organization(world: World) -> None:
    client = Client()
    client.force_login(world.city_admin)
    url = reverse("accounts:organization_mfa", args=[world.city.pk])

    page = client.get(reverse("accounts:organization_detail", args=[world.city.pk]))
    assert url in page.content.decode()
    response = client.post(url, {"requires_mfa": "yes"})

    assert response.status_code == 302
    world.city.refresh_from_db()
    assert world.city.requires_mfa
    event = Event.objects.get(action=Action.ORGANIZATION_MFA_CHANGED)
    assert event.organization_id == world.city.pk
    assert event.data == {"requires_mfa": True}


def test_a_member_who_is_not_an_admin_cannot_require_it(world: World) -> None:
    client = Client()
    client.force_login(world.city_staff)

    response = client.post(
        reverse("accounts:organization_mfa", args=[world.city.pk]), {"requires_mfa": "yes"}
    )

    assert response.status_code == 404
    world.city.refresh_from_db()
    assert not world.city.requires_mfa
    with pytest.raises(PermissionDenied):
        services.organization_set_requires_mfa(
            actor=world.city_staff, organization=world.city, requires_mfa=True
        )


def test_a_refused_value_changes_nothing(world: World) -> None:
    client = Client()
    client.force_login(world.city_admin)

    response = client.post(
        reverse("accounts:organization_mfa", args=[world.city.pk]), {"requires_mfa": "maybe"}
    )

    assert response.status_code == 400
    world.city.refresh_from_db()
    assert not world.city.requires_mfa
    assert not Event.objects.filter(action=Action.ORGANIZATION_MFA_CHANGED).exists()


def _require(world: World) -> None:
    services.organization_set_requires_mfa(
        actor=world.city_admin, organization=world.city, requires_mfa=True
    )


def test_a_member_without_a_second_factor_is_sent_to_enrol_first(world: World) -> None:
    _require(world)
    client = Client()
    client.force_login(world.city_staff)

    response = client.get(reverse("partnerships:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Your organization requires two-factor authentication." in page.content.decode()
    # htmx follows HX-Redirect instead of swapping the enrolment page into a fragment.
    htmx = client.get(reverse("partnerships:dashboard"), **HTMX)
    assert htmx["HX-Redirect"] == reverse("mfa_index")
    # The enrolment pages, signing out, the language switch and the health check stay open.
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "es", "next": "/"}).status_code == 302
    assert client.get(reverse("account_logout")).status_code == 200


def test_a_member_with_an_authenticator_app_goes_on(world: World) -> None:
    _require(world)
    enrol_totp(world.city_staff)
    client = Client()
    client.force_login(world.city_staff)

    assert client.get(reverse("partnerships:dashboard")).status_code == 200


def test_the_administrator_who_requires_it_is_asked_too(world: World) -> None:
    client = Client()
    client.force_login(world.city_admin)
    client.post(reverse("accounts:organization_mfa", args=[world.city.pk]), {"requires_mfa": "yes"})

    assert client.get(reverse("partnerships:dashboard"))["Location"] == reverse("mfa_index")


def test_a_member_of_another_organization_is_not_asked(world: World) -> None:
    _require(world)
    client = Client()
    client.force_login(world.entrepreneur)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("partnerships:my"))

    assert response.status_code == 200
    # Nobody asks this person for a second factor: their authenticators are never read.
    assert not [q for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]


def test_when_the_organization_stops_requiring_it_members_go_on(world: World) -> None:
    _require(world)
    services.organization_set_requires_mfa(
        actor=world.city_admin, organization=world.city, requires_mfa=False
    )
    client = Client()
    client.force_login(world.city_staff)

    assert client.get(reverse("partnerships:dashboard")).status_code == 200
    assert Event.objects.filter(action=Action.ORGANIZATION_MFA_CHANGED).count() == 2


# --- Sessions ---------------------------------------------------------------------------------


def test_ending_the_other_sessions_signs_out_the_other_browser_and_keeps_this_one(
    world: World,
) -> None:
    person = world.beneficiary
    here, elsewhere = Client(), Client(HTTP_USER_AGENT="Another browser")
    password_login(here, person)
    password_login(elsewhere, person)
    page = here.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert "Another browser" in page.content.decode()

    response = here.post(reverse("usersessions_list"))

    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)
