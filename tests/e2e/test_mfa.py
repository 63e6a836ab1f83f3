"""Two-factor sign-in in a real browser: an authenticator app enrolled through the pages, and a
passkey made by Chromium's virtual authenticator, each used to sign in again."""

from __future__ import annotations

import re

from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tests.accounts.test_mfa import totp_code
from tests.conftest import World
from tests.e2e.conftest import Console

PASSWORD = "correct-horse-battery"  # tests/factories.py gives every user this password


def _log_in_with_password(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def _confirm_password(page: Page) -> None:
    """Adding a second factor asks for the password again."""
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def _log_out(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
    ).to_be_visible()


def test_enrol_an_authenticator_app_then_sign_in_with_password_and_code(
    page: Page, world: World, console: Console
) -> None:
    person = world.entrepreneur
    _log_in_with_password(page, person.email)
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/organizations/profile/")
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    page.get_by_role("button", name="Activate").click()
    _confirm_password(page)

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.locator("main img[src^='data:image/svg+xml']")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page).not_to_have_url(re.compile(r"/totp/activate/"))
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    _log_out(page)

    _log_in_with_password(page, person.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]").first.click()

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    assert console.csp_violations() == []
    assert console.page_errors == []


def test_add_a_passkey_then_sign_in_with_it_alone(
    page: Page, world: World, console: Console
) -> None:
    person = world.entrepreneur
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    _log_in_with_password(page, person.email)
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/accounts/2fa/webauthn/add/")
    _confirm_password(page)

    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page.get_by_label("Name").fill("Laptop")
    page.get_by_label("Use it to sign in without a password").check()
    page.locator("#mfa_webauthn_add").click()

    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    key = Authenticator.objects.get(user=person, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Laptop"
    assert key.wrap().is_passwordless
    _log_out(page)

    page.goto("/accounts/login/")
    page.locator("#passkey_login").click()

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    assert console.csp_violations() == []
    assert console.page_errors == []
