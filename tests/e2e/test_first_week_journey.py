"""A city's first week, in a real browser, with nobody set up beforehand but the site staff.

A city official signs up and registers the city; site staff approve it; the city proposes
a partnership led by a social enterprise that is not on Tandem yet, inviting it by e-mail;
the enterprise's founder signs up from the invitation and accepts; the first check-in is
already scheduled; the city invites a resident, who signs up from that invitation, accepts
and finds the partnership from the home page. Every e-mail is the real one, read from the
outbox; every step is a form a person fills in, and they are counted.
"""

from __future__ import annotations

import re
import time
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from accounts.models import Organization
from partnerships.models import CheckIn, Participant, Partner, Partnership
from tests import factories as f
from tests.e2e.conftest import TIMEOUT_MS, Console
from tests.e2e.test_workspace_flows import assert_console_clean

seed_practices = import_module("playbook.migrations.0002_seed_playbook_content").load_content
seed_steps_and_stories = import_module(
    "playbook.migrations.0006_seed_steps_and_stories"
).load_content


def seed_playbook(apps: object, schema_editor: None) -> None:
    seed_practices(apps, schema_editor)
    seed_steps_and_stories(apps, schema_editor)


# The journey's budget (issue: a new city gets going on its own).
MAX_FORMS = 12
PASSWORD = "correct-horse-battery"  # tests/factories.py gives every user this password
NEW_PASSWORD = "Newtown-repairs-2027"
WAIT_MS = 10_000


class Journey:
    """Counts the forms people send and keeps each person's browser console."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.forms = 0
        self.consoles: dict[str, Console] = {}

    def person(self, name: str) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url, locale="en-US", viewport={"width": 390, "height": 844}
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        console = Console()
        page.on("console", console.record)
        page.on("pageerror", lambda error: console.page_errors.append(str(error)))
        self.consoles[name] = console
        return page

    def send(self, page: Page, button_name: str | re.Pattern[str]) -> None:
        """One form sent by a person: the submit button they would press, by its name."""
        self.forms += 1
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name=button_name).click()


def _link_in_mail(to: str, pattern: str) -> str:
    """The path of the link in the newest e-mail to ``to`` that matches ``pattern``."""
    for message in reversed(mail.outbox):
        if to in message.to:
            found = re.search(pattern, message.body)
            if found:
                return urlsplit(found[0]).path
    raise AssertionError(f"no e-mail to {to} with a link like {pattern}")


@pytest.mark.django_db(transaction=True)
def test_a_new_city_its_first_partner_and_its_first_resident_get_going(
    browser: Browser, live_server, capsys
) -> None:
    seed_playbook(django_apps, None)
    staff = f.UserFactory(email="staff@tandem.example", is_staff=True, name="Site staff")
    assert EmailAddress.objects.filter(user=staff, verified=True).exists()
    journey = Journey(browser, live_server.url)
    started = time.monotonic()

    # --- 1. A city official signs up and confirms the address --------------------------
    official = journey.person("official")
    official.goto("/accounts/signup/")
    official.locator("input[name=email]").fill("clerk@newtown.example")
    official.locator("input[name=password1]").fill(NEW_PASSWORD)
    official.locator("input[name=password2]").fill(NEW_PASSWORD)
    journey.send(official, re.compile("sign up", re.I))
    official.goto(
        _link_in_mail("clerk@newtown.example", r"https?://\S+/accounts/confirm-email/\S+/")
    )
    journey.send(official, re.compile("confirm", re.I))

    # The home page of someone with no organization says what to do next.
    official.goto("/")
    official.locator("main").get_by_role("button", name="Register your city").click()
    official.locator("input[name=name]").fill("City of Newtown")
    official.locator("input[name=country]").fill("US")
    journey.send(official, re.compile("create|register", re.I))
    city = Organization.objects.get(name="City of Newtown")
    assert city.status == Organization.Status.PENDING
    expect(official.locator("main")).to_contain_text(re.compile("review", re.I))

    # --- 2. Site staff approve the city in one step -------------------------------------
    reviewer = journey.person("staff")
    reviewer.goto("/accounts/login/")
    reviewer.locator("input[name=login]").fill(staff.email)
    reviewer.locator("input[name=password]").fill(PASSWORD)
    journey.send(reviewer, re.compile("^(log|sign) in$", re.I))
    reviewer.goto("/organizations/review/")
    journey.send(reviewer, re.compile("^Approve City of Newtown$"))
    city.refresh_from_db()
    assert city.status == Organization.Status.APPROVED

    # --- 3. The city proposes a partnership led by an enterprise not on Tandem yet -------
    official.goto("/partnerships/new/")
    official.locator("input[name=title]").fill("Repair café in the library")
    official.locator("[name=goal]").fill("Fix 500 household items a year instead of binning them")
    official.locator("textarea[name=problem_statement]").fill(
        "Broken appliances end up in the landfill because repairs cost more than new ones."
    )
    official.get_by_text("Not on Tandem yet? Invite it by e-mail").click()
    official.locator("input[name=new_lead_name]").fill("Newtown Repair Café")
    official.locator("select[name=new_lead_kind]").select_option("social_enterprise")
    official.locator("input[name=new_lead_email]").fill("founder@repaircafe.example")
    journey.send(official, re.compile("create", re.I))
    partnership = Partnership.objects.get(title="Repair café in the library")
    expect(official.locator("main")).to_contain_text("Proposed")

    # --- 4. The founder signs up from the invitation and accepts -------------------------
    founder = journey.person("founder")
    founder.goto(
        _link_in_mail("founder@repaircafe.example", r"https?://\S+/organizations/invitations/\S+/")
    )
    expect(founder.locator("main")).to_contain_text("Newtown Repair Café")
    founder.locator("input[name=password1]").fill(NEW_PASSWORD)
    founder.locator("input[name=password2]").fill(NEW_PASSWORD)
    journey.send(founder, "Create account and join")
    founder.goto("/")
    founder.get_by_role("link", name="Repair café in the library").first.click()
    journey.send(founder, "Accept and join the partnership")
    lead = Partner.objects.get(partnership=partnership, organization=partnership.lead)
    assert lead.status == Partner.Status.ACCEPTED
    expect(founder.locator("main")).not_to_contain_text("Proposed")

    # The first check-in was scheduled when the partnership was created.
    assert CheckIn.objects.filter(partnership=partnership, status=CheckIn.Status.SCHEDULED).exists()
    founder.goto(f"/partnerships/{partnership.pk}/checkins/")
    expect(founder.locator("main")).to_contain_text("Coming up")

    # --- 5. The city invites a resident, who signs up, accepts and finds it -------------
    official.goto(f"/partnerships/{partnership.pk}/people/")
    official.locator("input[name=email]").fill("rosa@residents.example")
    journey.send(official, "Send invitation")

    resident = journey.person("resident")
    resident.goto(_link_in_mail("rosa@residents.example", r"https?://\S+/partnerships/join/\S+/"))
    # No password: the link signs her in once; she agrees to the consent text first.
    resident.get_by_label("What should we call you?").fill("Rosa")
    journey.send(resident, "Accept and take part")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Before you start")
    resident.get_by_label("I agree").check()
    journey.send(resident, "Agree and continue")
    assert Participant.objects.filter(
        partnership=partnership, user__email="rosa@residents.example"
    ).exists()
    resident.goto("/")
    expect(resident.locator("main")).to_contain_text("Repair café in the library")
    expect(resident.get_by_role("link", name="My partnerships").first).to_be_visible()

    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\nfirst-week journey: {journey.forms} forms sent, {elapsed:.1f} s in the browser")
    assert journey.forms <= MAX_FORMS
    for name, console in journey.consoles.items():
        try:
            assert_console_clean(console)
        except AssertionError as error:  # pragma: no cover - the message names the person
            raise AssertionError(f"{name}'s console: {error}") from error
