"""The bell, the list and the preferences in a real browser, on a phone's width, with axe."""

from __future__ import annotations

from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications import services
from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import Console

PASSWORD = "correct-horse-battery"


def _sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_a_reminder_rings_the_bell_and_is_read_without_javascript_errors(
    page: Page, world: World, console: Console
) -> None:
    f.CheckInFactory(partnership=world.partnership, due_date=timezone.localdate())
    services.reminders_sweep()
    services.dispatches_send_all()
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in(page, world.entrepreneur.email)

    page.goto("/notifications/")
    bell = page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications")
    expect(bell).to_contain_text("1")
    assert Axe().run(page).violations_count == 0
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="Mark as read").first.click()
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(0)

    page.goto("/notifications/preferences/")
    assert Axe().run(page).violations_count == 0
    page.get_by_label("Check-in due: By e-mail").select_option("daily")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification preferences were saved.")).to_be_visible()
    assert services.subscriber_for(world.entrepreneur).next_daily_digest_at is not None
    assert console.csp_violations() == []
    assert console.page_errors == []


def test_the_checkin_page_offers_the_next_one_for_a_calendar(
    page: Page, world: World, console: Console
) -> None:
    f.CheckInFactory(partnership=world.partnership, due_date=timezone.localdate() + timedelta(3))
    _sign_in(page, world.entrepreneur.email)
    page.goto(f"/partnerships/{world.partnership.pk}/checkins/")
    link = page.get_by_role("link", name="Add to my calendar")
    expect(link).to_have_attribute(
        "href", f"/notifications/partnerships/{world.partnership.pk}/next-checkin.ics"
    )
    assert console.page_errors == []
