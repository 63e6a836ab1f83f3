"""People at work on a partnership, in a real browser: the portfolio, the section tabs,
the in-place forms, the evidence chart, a phone-sized screen and the Spanish interface.

Every test ends by checking the browser console: no Content Security Policy violation
and no JavaScript error on any page the person visited.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from partnerships.models import FinancialNeed, Measurement, Partnership, ProgressUpdate
from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import Console

PASSWORD = "correct-horse-battery"  # tests/factories.py gives every user this password
WAIT_MS = 5_000
# Set on the window before an in-place action; a full page load would wipe it.
SAME_DOCUMENT_MARK = "window.__tandemSameDocument = true"
STILL_SAME_DOCUMENT = "window.__tandemSameDocument === true"
# Chromium reports an answer such as a 400 for a rejected form or a 404 page as a console
# error. The flows below expect some of those, so each test names the ones it expects.
HTTP_STATUS_ERROR = re.compile(
    r"^Failed to load resource: the server responded with a status of (\d+)"
)


def assert_console_clean(console: Console, *, expected: tuple[tuple[int, str], ...] = ()) -> None:
    """No CSP violation, no script error, and no failed request but the ``expected``
    (status, path) answers."""
    assert console.csp_violations() == []
    assert console.page_errors == []
    unexpected = []
    for message in console.messages:
        if message.type != "error":
            continue
        failed = HTTP_STATUS_ERROR.match(message.text)
        if failed:
            path = urlsplit(message.location.get("url", "")).path
            if (int(failed[1]), path) in expected:
                continue
        unexpected.append(f"{message.text} ({message.location.get('url')})")
    assert unexpected == []


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(main_nav(page).get_by_role("button", name="Log out")).to_be_visible(timeout=WAIT_MS)


def log_out(page: Page) -> None:
    main_nav(page).get_by_role("button", name="Log out").click()
    expect(main_nav(page).get_by_role("link", name="Log in")).to_be_visible(timeout=WAIT_MS)


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def section_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Partnership sections")


def url_of(partnership: Partnership, section: str = "") -> str:
    return f"/partnerships/{partnership.pk}/{section + '/' if section else ''}"


def test_city_staff_filters_the_portfolio_opens_a_partnership_and_logs_progress(
    page: Page, world: World, console: Console
) -> None:
    f.PartnershipFactory(
        title="Winter shelter beds",
        city=world.city,
        status=Partnership.Status.PAUSED,
    )

    log_in(page, world.city_staff.email)

    expect(page).to_have_url(re.compile(r"/partnerships/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)

    page.evaluate(SAME_DOCUMENT_MARK)
    page.get_by_role("search").get_by_label("Status").select_option("active")

    # htmx swapped the results and pushed the filtered address into the history.
    expect(page).to_have_url(re.compile(r"[?&]status=active(&|$)"), timeout=WAIT_MS)
    expect(rows).to_have_count(1, timeout=WAIT_MS)
    expect(rows.first).to_contain_text(world.partnership.title)
    expect(page.locator("#results")).not_to_contain_text("Winter shelter beds")
    assert page.evaluate(STILL_SAME_DOCUMENT)

    rows.first.get_by_role("link", name=world.partnership.title).click()
    expect(page).to_have_url(re.compile(re.escape(url_of(world.partnership)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(world.partnership.title)

    # From the top of the page, the keyboard alone reaches the Progress tab.
    progress_tab = section_nav(page).get_by_role("link", name="Progress")
    for _press in range(40):
        page.keyboard.press("Tab")
        if progress_tab.evaluate("link => link === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the Progress tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(url_of(world.partnership, "progress")) + "$"))
    expect(progress_tab).to_have_attribute("aria-current", "page")

    panel = page.locator("#progress-panel")
    expect(panel).to_contain_text("No progress has been logged yet.")
    page.evaluate(SAME_DOCUMENT_MARK)
    panel.get_by_text("Log progress", exact=True).first.click()  # opens the <details>
    panel.get_by_role("button", name="Log progress").click()  # with "What happened" empty

    expect(panel.locator(".errorlist")).to_contain_text("This field is required.", timeout=WAIT_MS)
    expect(panel.get_by_label("What happened")).to_have_attribute("aria-invalid", "true")
    assert ProgressUpdate.objects.filter(partnership=world.partnership).count() == 0

    panel.get_by_label("What happened").fill(
        "Cooked lunch for forty neighbours at the Elm Street hall."
    )
    panel.get_by_role("button", name="Log progress").click()

    expect(panel.get_by_role("status")).to_have_text(
        "Your progress update was logged.", timeout=WAIT_MS
    )
    expect(panel.locator("article.progress-update")).to_have_count(1)
    expect(panel.locator("article.progress-update")).to_contain_text(
        "Cooked lunch for forty neighbours"
    )
    assert page.evaluate(STILL_SAME_DOCUMENT)
    update = ProgressUpdate.objects.get(partnership=world.partnership)
    assert update.author == world.city_staff
    assert update.text == "Cooked lunch for forty neighbours at the Elm Street hall."

    assert_console_clean(console, expected=((400, url_of(world.partnership, "progress/new")),))


def test_entrepreneur_states_a_need_that_a_beneficiary_can_neither_see_nor_reach(
    page: Page, world: World, console: Console
) -> None:
    log_in(page, world.entrepreneur.email)
    page.goto(url_of(world.partnership))
    section_nav(page).get_by_role("link", name="Money").click()
    expect(page).to_have_url(re.compile(re.escape(url_of(world.partnership, "money")) + "$"))

    panel = page.locator("#money-panel")
    page.evaluate(SAME_DOCUMENT_MARK)
    panel.get_by_text("State a need", exact=True).click()
    expect(panel.get_by_label("Organization that needs it")).to_have_value(str(world.enterprise.pk))
    panel.get_by_label("Amount").fill("12500")
    panel.get_by_label("Period").fill("2027")
    panel.get_by_label("What the money is for").fill("A second van for deliveries")
    panel.get_by_role("button", name="State the need").click()

    need_card = panel.locator("article.need")
    expect(need_card).to_have_count(1, timeout=WAIT_MS)
    expect(need_card).to_contain_text("A second van for deliveries")
    expect(need_card).to_contain_text("$12,500.00")
    assert page.evaluate(STILL_SAME_DOCUMENT)
    need = FinancialNeed.objects.get(partnership=world.partnership)
    assert (need.amount, need.organization, need.stated_by) == (
        Decimal("12500"),
        world.enterprise,
        world.entrepreneur,
    )

    log_out(page)
    log_in(page, world.beneficiary.email)
    page.goto(url_of(world.partnership))
    expect(section_nav(page).get_by_role("link", name="Progress")).to_be_visible()
    expect(section_nav(page).get_by_role("link", name="Money")).to_have_count(0)

    response = page.goto(url_of(world.partnership, "money"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page).to_have_title(re.compile(r"^Not found"))
    # The styled error page: the site layout and stylesheet, not a bare server message.
    expect(main_nav(page).get_by_role("button", name="Log out")).to_be_visible()
    assert "sans-serif" in page.evaluate("getComputedStyle(document.body).fontFamily")
    expect(page.locator("body")).not_to_contain_text("second van")

    assert_console_clean(console, expected=((404, url_of(world.partnership, "money")),))


def test_evidence_chart_is_named_for_screen_readers_and_grows_with_a_new_measurement(
    page: Page, world: World, console: Console
) -> None:
    indicator = f.IndicatorFactory(
        partnership=world.partnership, name="Meals served", unit="meals", target=Decimal("500")
    )
    f.MeasurementFactory(
        indicator=indicator,
        date=timezone.localdate() - timedelta(days=30),
        value=Decimal("120"),
    )

    log_in(page, world.entrepreneur.email)
    page.goto(url_of(world.partnership, "evidence"))

    card = page.locator(f"#indicator-{indicator.pk}")
    # The chart is named by its title and its description together (aria-labelledby).
    chart = card.get_by_role("img", name=re.compile(r"^Meals served: measurements against the"))
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(re.compile(r"target One measurement: 120 meals on "))
    expect(chart.locator("circle")).to_have_count(1)

    page.evaluate(SAME_DOCUMENT_MARK)
    card.locator("summary", has_text="Add a measurement").click()
    add = card.get_by_role("button", name=re.compile(r"^Add the measurement"))
    add.click()  # nothing filled in: the server's field messages appear in the card

    expect(card.locator(".errorlist").first).to_contain_text(
        "This field is required.", timeout=WAIT_MS
    )
    expect(card.get_by_label("Value")).to_have_attribute("aria-invalid", "true")
    assert Measurement.objects.filter(indicator=indicator).count() == 1

    card.get_by_label("Value").fill("185")
    card.get_by_label("Source").fill("Kitchen tally sheets")
    add.click()

    expect(card.get_by_role("status")).to_have_text("The measurement was added.", timeout=WAIT_MS)
    expect(chart.locator("circle")).to_have_count(2)
    expect(chart).to_have_accessible_name(re.compile(r"target 2 measurements; the latest is 185 "))
    table = card.get_by_role("table", name="Measurements of Meals served")
    card.locator("summary", has_text="Measurements as a table").click()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").last).to_contain_text("Kitchen tally sheets")
    assert page.evaluate(STILL_SAME_DOCUMENT)
    assert list(
        Measurement.objects.filter(indicator=indicator)
        .order_by("date")
        .values_list("value", flat=True)
    ) == [Decimal("120"), Decimal("185")]

    assert_console_clean(
        console,
        expected=((400, url_of(world.partnership, f"evidence/{indicator.pk}/measurements/new")),),
    )


def test_phone_sized_screen_has_no_sideways_scroll_and_the_navigation_is_reachable(
    page: Page, world: World, console: Console
) -> None:
    f.PartnershipFactory(
        title="A partnership with a rather long name to test wrapping on narrow screens",
        city=world.city,
        lead=f.OrganizationFactory(name="Neighbourhood Cooperative for Affordable Housing"),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, world.city_staff.email)

    for address in (
        "/partnerships/",
        url_of(world.partnership),
        url_of(world.partnership, "progress"),
    ):
        page.goto(address)
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth,"
            " client: document.documentElement.clientWidth})"
        )
        assert widths["scroll"] <= widths["client"], (address, widths)

    page.goto("/partnerships/")
    links = main_nav(page).get_by_role("link")
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    main_nav(page).get_by_role("link", name="Playbook").click()
    expect(page).to_have_url(re.compile(r"/playbook/"))
    main_nav(page).get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")

    assert_console_clean(console)


def test_language_switcher_turns_the_interface_spanish(
    page: Page, world: World, console: Console
) -> None:
    log_in(page, world.city_staff.email)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    main_nav(page).get_by_label("Language").select_option("es")

    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=WAIT_MS)
    expect(page).to_have_url(re.compile(r"/es/partnerships/$"))
    with translation.override("es"):
        portfolio, log_out_label = translation.gettext("Portfolio"), translation.gettext("Log out")
    assert portfolio != "Portfolio"  # the Spanish catalogue is really there
    expect(page.get_by_role("heading", level=1)).to_have_text(portfolio)
    expect(page.get_by_role("button", name=log_out_label)).to_be_visible()

    assert_console_clean(console)
