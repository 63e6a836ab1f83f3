"""A person without e-mail comes in with a printed code, agrees, downloads their data and
deletes their account: in Chromium, with axe-core on every page of the way (zero
violations), then the same journey with the keyboard alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from beneficiaries import services
from beneficiaries.models import Consent
from partnerships.models import Participant
from tests.conftest import World
from tests.e2e.conftest import Console
from tests.e2e.test_workspace_flows import assert_console_clean, log_in

WAIT_MS = 5_000
AXE = Axe()


def assert_accessible(page: Page) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _print_code(world: World) -> str:
    invitation = services.participant_invitation_print(
        actor=world.entrepreneur, partnership=world.partnership, role="co_planner"
    )
    return invitation.code_display


def test_the_partner_prints_an_invitation_made_for_paper(
    page: Page, world: World, console: Console
) -> None:
    log_in(page, world.entrepreneur.email)
    page.goto(f"/partnerships/{world.partnership.pk}/people/")
    page.get_by_role("button", name="Make a printable invitation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You are invited to take part")
    expect(page.locator(".code")).to_have_text(re.compile(r"^[2-9B-Z]{4}-[2-9B-Z]{4}$"))
    expect(page.locator(".qr svg")).to_be_visible()
    assert_accessible(page)
    # axe does see a fault: pale grey text on white fails the contrast rule.
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = 'Pale words';"
        " p.style.color = '#cccccc'; document.querySelector('main').append(p); }"
    )
    assert AXE.run(page).violations_count == 1
    page.reload()
    # On paper, the site's header and the instructions for the partner are left out.
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator(".printable")).to_be_visible()
    assert_console_clean(console)


def test_a_person_without_email_comes_in_agrees_downloads_and_leaves(
    page: Page, world: World, console: Console, tmp_path: Path
) -> None:
    code = _print_code(world)

    page.goto("/join/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Come in with your code")
    assert_accessible(page)
    page.get_by_label("Your code").fill(code.lower())
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation to take part")
    expect(page.locator("main")).to_contain_text(world.partnership.title)
    assert_accessible(page)
    page.get_by_label("What should we call you?").fill("Amira")
    page.get_by_role("button", name="Accept and take part").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Before you start")
    expect(page.get_by_role("heading", name="Who sees it")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Agree and continue").click()  # without the box ticked
    expect(page.locator(".errorlist")).to_contain_text("This field is required.")
    assert_accessible(page)
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Agree and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(world.partnership.title)
    person = User.objects.get(name="Amira")
    assert Consent.objects.current().filter(user=person).exists()

    page.goto("/partnerships/me/data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    saved = tmp_path / "mine.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["person"]["name"] == "Amira"
    assert "partnerships.Participant" in data["records"]

    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    expect(page.locator("main")).to_contain_text("This cannot be undone.")
    assert_accessible(page)
    page.get_by_label(re.compile("^I understand")).check()
    page.get_by_role("button", name="Delete my account for good").click()

    expect(page.locator(".messages")).to_contain_text("Your account was deleted.")
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Participant.objects.filter(user_id=person.pk).exists()
    # The refused consent form answered 400, as a refused form does.
    assert_console_clean(console, expected=((400, "/partnerships/me/consent/"),))


def _tab_to(page: Page, target: Locator, presses: int = 60) -> None:
    for _press in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_the_same_journey_with_the_keyboard_alone(
    page: Page, world: World, console: Console, tmp_path: Path
) -> None:
    code = _print_code(world)

    page.goto("/partnerships/join/")
    _tab_to(page, page.get_by_label("Your code"))
    page.keyboard.type(code)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation to take part")
    _tab_to(page, page.get_by_label("What should we call you?"))
    page.keyboard.type("Keyla")
    _tab_to(page, page.get_by_role("button", name="Accept and take part"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Before you start")
    _tab_to(page, page.get_by_label("I agree"))
    page.keyboard.press("Space")
    _tab_to(page, page.get_by_role("button", name="Agree and continue"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(world.partnership.title)

    page.goto("/partnerships/me/data/")
    _tab_to(page, page.get_by_role("button", name="Download my data"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = tmp_path / "mine.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["person"]["name"] == "Keyla"

    _tab_to(page, page.get_by_role("link", name="Delete my account"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    _tab_to(page, page.get_by_label(re.compile("^I understand")))
    page.keyboard.press("Space")
    _tab_to(page, page.get_by_role("button", name="Delete my account for good"))
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Your account was deleted.")
    assert not User.objects.filter(name="Keyla").exists()
    assert_console_clean(console)
