"""A person signs in through the real login form in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import World
from tests.e2e.conftest import Console

PASSWORD = "correct-horse-battery"  # tests/factories.py gives every user this password


def test_verified_city_staff_logs_in_and_lands_on_their_workspace(
    page: Page, world: World, console: Console
) -> None:
    response = page.goto("/accounts/login/")
    assert response is not None and response.ok
    # The policy is really sent, so a clean console below means the page obeys it.
    assert "script-src 'self'" in response.headers["content-security-policy"]

    page.locator("input[name=login]").fill(world.city_staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Portfolio")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    expect(nav.get_by_role("link", name="Log in")).to_have_count(0)
    # Every stylesheet arrived as CSS: a missing file would leave a sheet with no rules.
    rule_counts = page.evaluate("[...document.styleSheets].map(sheet => sheet.cssRules.length)")
    assert len(rule_counts) >= 2
    assert all(count > 0 for count in rule_counts)
    assert console.csp_violations() == []
    assert console.page_errors == []


def test_wrong_password_keeps_the_person_on_the_login_form(
    page: Page, world: World, console: Console
) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(world.city_staff.email)
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
    ).to_be_visible()
    assert console.csp_violations() == []


def test_console_watch_catches_a_csp_violation(page: Page, live_server, console: Console) -> None:
    # Proves the CSP assertions above could fail: an inline script on a page that
    # forbids it must show up as a violation.
    def serve_violating_page(route) -> None:
        route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
            body="<!doctype html><title>probe</title><script>document.title='ran'</script>",
        )

    page.route("**/csp-probe", serve_violating_page)
    page.goto("/csp-probe")

    assert page.title() == "probe"
    expect(page).to_have_title("probe")
    assert console.csp_violations() != []
