"""An organization's administrator makes an API token and reads the API reference, in
Chromium: no accessibility violation (axe-core), nothing wider than a phone, and the
Swagger UI and ReDoc pages start from our own files without breaking the Content
Security Policy."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.conftest import World
from tests.e2e.conftest import Console
from tests.e2e.test_workspace_flows import assert_console_clean, log_in

WAIT_MS = 10_000


def _no_violations(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def test_an_administrator_makes_a_token_on_a_phone(
    page: Page, world: World, console: Console
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, world.entrepreneur.email)

    page.goto(f"/organizations/{world.enterprise.pk}/")
    page.get_by_role("link", name="API tokens").click()
    _no_violations(page)
    _fits(page)
    page.get_by_label("Name").fill("Weekly counts")
    page.get_by_label("Scope").select_option("write")
    page.get_by_role("button", name="Make the token").click()

    expect(page.locator("#new-token")).to_contain_text("tdm_", timeout=WAIT_MS)
    _no_violations(page)
    _fits(page)
    page.goto(f"/developers/{world.enterprise.pk}/webhooks/")
    _no_violations(page)
    _fits(page)
    assert_console_clean(console)


def test_the_api_reference_starts_without_breaking_the_csp(page: Page, console: Console) -> None:
    page.goto("/api/docs/")
    expect(page.get_by_text("Tandem API").first).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("/api/v1/partnerships/").first).to_be_visible(timeout=WAIT_MS)
    page.goto("/api/redoc/")
    expect(page.get_by_text("Tandem API").first).to_be_visible(timeout=WAIT_MS)

    assert console.page_errors == []
    # ReDoc's footer asks for its badge from its CDN: the policy refuses it, as it should.
    assert [v for v in console.csp_violations() if "cdn.redoc.ly" not in v] == []
