"""A beneficiary on a 360 px phone reads the plan in plain words, comments, reports someone
else's comment, and reads the partner's answer, which links the plan version it changed;
axe-core finds nothing on any of these pages. Then the same journey with the keyboard only.
"""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps as django_apps
from django.urls import reverse
from playwright.sync_api import Browser, Locator, Page, expect

from beneficiaries import services as voice
from beneficiaries.events import Action
from beneficiaries.models import Comment, CommentReport
from core.models import Event
from partnerships import services as partnership_services
from partnerships.models import Participant, PlanVersion
from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import TIMEOUT_MS, Console
from tests.e2e.test_workspace_flows import assert_console_clean

seed_playbook = import_module("playbook.migrations.0002_seed_playbook_content").load_content

PASSWORD = "correct-horse-battery"  # tests/factories.py gives every user this password
PHONE = {"width": 360, "height": 740}
RESIDENT_SAYS = "Could lunch be on Fridays too?"
PARTNER_SAYS = "We added a Friday lunch from next month."


def _person(browser: Browser, base_url: str) -> tuple[Page, Console]:
    context = browser.new_context(base_url=base_url, locale="en-US", viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    console = Console()
    page.on("console", console.record)
    page.on("pageerror", lambda error: console.page_errors.append(str(error)))
    return page, console


def _log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("input[name=login]")).to_have_count(0)


def _accessible_and_fits(page: Page) -> None:
    """axe-core finds no violation, and nothing is wider than the phone."""
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _scene(world: World) -> tuple[PlanVersion, Comment]:
    seed_playbook(django_apps, None)
    version = partnership_services.plan_publish(
        actor=world.city_staff,
        partnership=world.partnership,
        sections=[
            ("Lunch days", "The kitchen cooks a shared lunch every Tuesday.", "Lunch on Tuesdays."),
            ("Who cooks", "Volunteers and the kitchen's staff cook together.", "Neighbours cook."),
        ],
    )
    neighbour = f.UserFactory(email="nell@example.net", name="Nell Neighbour")
    Participant.objects.create(partnership=world.partnership, user=neighbour)
    theirs = voice.comment_post(
        actor=neighbour, section=version.sections.get(order=1), body="Cheap food, who cares."
    )
    return version, theirs


def _publish_fridays(world: World) -> PlanVersion:
    return partnership_services.plan_publish(
        actor=world.entrepreneur,
        partnership=world.partnership,
        sections=[
            ("Lunch days", "Shared lunch every Tuesday and Friday.", "Lunch twice a week."),
            ("Who cooks", "Volunteers and the kitchen's staff cook together.", "Neighbours cook."),
        ],
        note="Fridays added",
    )


def _assert_answered(world: World, theirs: Comment, changed: PlanVersion) -> None:
    mine = Comment.objects.get(body=RESIDENT_SAYS)
    assert CommentReport.objects.filter(comment=theirs, reporter=world.beneficiary).exists()
    event = Event.objects.get(action=Action.COMMENT_ANSWERED)
    assert event.data["comment"] == mine.pk
    assert event.data["commenter"] == world.beneficiary.pk
    assert event.data["changed_version"] == changed.pk


@pytest.mark.django_db(transaction=True)
def test_a_beneficiary_comments_reports_and_reads_the_answer_on_a_phone(
    browser: Browser, live_server, world: World
) -> None:
    _version, theirs = _scene(world)
    resident, resident_console = _person(browser, live_server.url)
    _log_in(resident, world.beneficiary.email)

    resident.goto(reverse("beneficiaries:plan", args=[world.partnership.pk]))
    expect(resident.get_by_role("heading", level=1)).to_have_text("The plan in plain words")
    expect(resident.get_by_text("Lunch on Tuesdays.")).to_be_visible()
    _accessible_and_fits(resident)

    resident.get_by_role("link", name="Lunch days", exact=True).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Lunch days")
    _accessible_and_fits(resident)
    resident.get_by_label("Your comment").fill(RESIDENT_SAYS)
    resident.get_by_role("button", name="Post the comment").click()
    expect(resident.get_by_text("Thank you: your comment is posted.")).to_be_visible()
    expect(resident.locator("article", has_text=RESIDENT_SAYS)).to_be_visible()
    _accessible_and_fits(resident)

    resident.get_by_role("link", name="Report this comment").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Report a comment")
    _accessible_and_fits(resident)
    resident.get_by_label("It is spam").check()
    resident.get_by_role("button", name="Send the report").click()
    expect(resident.get_by_text("Thank you. A moderator will look at the comment.")).to_be_visible()

    # The partners take it up in a new version, and say so.
    fridays = _publish_fridays(world)
    partner, partner_console = _person(browser, live_server.url)
    _log_in(partner, world.entrepreneur.email)
    partner.goto(reverse("beneficiaries:plan", args=[world.partnership.pk]))
    partner.get_by_role("link", name="Lunch days", exact=True).click()
    written = partner.locator("article", has_text=RESIDENT_SAYS)
    expect(written.get_by_text("Written on earlier text (version 1)")).to_be_visible()
    written.get_by_role("link", name="Answer this comment").click()
    expect(partner.get_by_role("heading", level=1)).to_have_text("Answer a comment")
    _accessible_and_fits(partner)
    partner.get_by_label("Your answer").fill(PARTNER_SAYS)
    partner.get_by_label("The plan version it changed").select_option(
        label="Version 2 · Fridays added"
    )
    partner.get_by_role("button", name="Send the answer").click()
    expect(partner.get_by_text("The answer is sent.")).to_be_visible()
    _accessible_and_fits(partner)

    # The partner writes down what was said at a meeting, and looks at the reports.
    partner.goto(reverse("beneficiaries:plan", args=[world.partnership.pk]))
    partner.get_by_role("link", name="Record what residents said offline").click()
    _accessible_and_fits(partner)
    partner.get_by_label("Section of the plan").select_option(label="Who cooks")
    partner.get_by_label("What was said").fill("Older men would cook if asked.")
    partner.get_by_role("button", name="Record it").click()
    expect(partner.get_by_text(re.compile("Residents at the meeting of"))).to_be_visible()
    partner.goto(reverse("beneficiaries:plan", args=[world.partnership.pk]))
    partner.get_by_role("link", name="Reported comments").click()
    expect(partner.get_by_text("Cheap food, who cares.")).to_be_visible()
    _accessible_and_fits(partner)

    resident.goto(reverse("beneficiaries:plan", args=[world.partnership.pk]))
    resident.get_by_role("link", name="Print this plan for a meeting").click()
    expect(resident.get_by_role("heading", name="You said, we did")).to_be_visible()
    _accessible_and_fits(resident)
    resident.goto(reverse("beneficiaries:plan", args=[world.partnership.pk]))
    resident.get_by_role("link", name="My comments and their answers").click()
    expect(resident.get_by_text(PARTNER_SAYS)).to_be_visible()
    changed = resident.get_by_role("link", name="It changed the plan: version 2")
    expect(changed).to_be_visible()
    _accessible_and_fits(resident)
    changed.click()
    expect(resident.get_by_text("Lunch twice a week.")).to_be_visible()

    _assert_answered(world, theirs, fridays)
    assert_console_clean(resident_console)
    assert_console_clean(partner_console)


# --- The same journey with the keyboard only -------------------------------------------------


def _tab_to(page: Page, target: Locator, limit: int = 150) -> None:
    """Presses Tab until ``target`` has the focus, as a keyboard user moves through a page."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => el === document.activeElement", handle):
            return
    raise AssertionError(f"Tab never reached {target} on {page.url}")


def _activate(page: Page, target: Locator) -> None:
    _tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _keyboard_log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    _tab_to(page, page.locator("input[name=login]"))
    page.keyboard.type(email)
    _tab_to(page, page.locator("input[name=password]"))
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("input[name=login]")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_the_same_journey_with_the_keyboard_only(
    browser: Browser, live_server, world: World
) -> None:
    _version, theirs = _scene(world)
    resident, _console = _person(browser, live_server.url)
    _keyboard_log_in(resident, world.beneficiary.email)
    resident.goto(reverse("beneficiaries:plan", args=[world.partnership.pk]))

    _activate(resident, resident.get_by_role("link", name="Lunch days", exact=True))
    _tab_to(resident, resident.get_by_label("Your comment"))
    resident.keyboard.type(RESIDENT_SAYS)
    _activate(resident, resident.get_by_role("button", name="Post the comment"))
    expect(resident.get_by_text("Thank you: your comment is posted.")).to_be_visible()

    _activate(resident, resident.get_by_role("link", name="Report this comment"))
    _tab_to(resident, resident.get_by_label("It is offensive"))
    resident.keyboard.press("Space")
    expect(resident.get_by_label("It is offensive")).to_be_checked()
    _activate(resident, resident.get_by_role("button", name="Send the report"))
    expect(resident.get_by_text("Thank you. A moderator will look at the comment.")).to_be_visible()

    fridays = _publish_fridays(world)
    partner, _partner_console = _person(browser, live_server.url)
    _keyboard_log_in(partner, world.entrepreneur.email)
    partner.goto(reverse("beneficiaries:plan", args=[world.partnership.pk]))
    _activate(partner, partner.get_by_role("link", name="Lunch days", exact=True))
    written = partner.locator("article", has_text=RESIDENT_SAYS)
    _activate(partner, written.get_by_role("link", name="Answer this comment"))
    _tab_to(partner, partner.get_by_label("Your answer"))
    partner.keyboard.type(PARTNER_SAYS)
    version_choice = partner.get_by_label("The plan version it changed")
    _tab_to(partner, version_choice)
    partner.keyboard.press("ArrowDown")
    expect(version_choice).to_have_value(str(fridays.pk))
    _activate(partner, partner.get_by_role("button", name="Send the answer"))
    expect(partner.get_by_text("The answer is sent.")).to_be_visible()

    resident.goto(reverse("beneficiaries:plan", args=[world.partnership.pk]))
    _activate(resident, resident.get_by_role("link", name="My comments and their answers"))
    expect(resident.get_by_text(PARTNER_SAYS)).to_be_visible()
    _activate(resident, resident.get_by_role("link", name=re.compile("It changed the plan")))
    expect(resident.get_by_text("Lunch twice a week.")).to_be_visible()

    _assert_answered(world, theirs, fridays)
