"""Practice health in Chromium: a beneficiary answers the survey on a phone with the keyboard
alone, and every health page passes axe-core with no violation."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts.models import Membership
from demo.people import PASSWORD
from health import services
from health.models import Group, SurveyResponse
from partnerships.models import Participant
from tests import factories as f
from tests.e2e.conftest import TIMEOUT_MS

seed_playbook = import_module("playbook.migrations.0002_seed_playbook_content").load_content
seed_survey = import_module("playbook.migrations.0004_seed_survey_statements").load

pytestmark = pytest.mark.django_db(transaction=True)


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
    ]


@pytest.fixture
def scene():
    seed_playbook(django_apps, None)
    seed_survey(django_apps, None)
    city = f.CityFactory(name="City of Riverton")
    lead = f.OrganizationFactory(name="Harvest Table Kitchens")
    staff = [f.UserFactory(email=f"staff{i}@riverton.gov", password=PASSWORD) for i in range(4)]
    for person in staff:
        f.MembershipFactory(user=person, organization=city, role=Membership.Role.ADMIN)
    founder = f.UserFactory(email="founder@harvest.org", password=PASSWORD)
    f.MembershipFactory(user=founder, organization=lead, role=Membership.Role.ADMIN)
    resident = f.UserFactory(email="resident@example.net", password=PASSWORD)
    partnership = f.PartnershipFactory(
        title="Community meals", city=city, lead=lead, point_of_contact=staff[0]
    )
    Participant.objects.create(partnership=partnership, user=resident)
    # A closed round: the city's four shown, the lone beneficiary and founder hidden.
    past = services.round_open(
        actor=staff[0],
        partnership=partnership,
        closes_on=timezone.localdate() + timedelta(days=10),
    )
    for person in staff:
        services.survey_answer(
            actor=person,
            survey_round=past,
            ratings={s.pk: 4 for s in services.statements_for(Group.CITY)},
        )
    services.survey_answer(
        actor=founder,
        survey_round=past,
        ratings={s.pk: 2 for s in services.statements_for(Group.ENTREPRENEURS)},
    )
    services.round_close(actor=staff[0], survey_round=past)
    services.values_write(
        actor=founder,
        partnership=partnership,
        text="People first, evidence before opinion, and we stay for the long haul.",
        based_on=0,
    )
    current = services.round_open(
        actor=staff[0],
        partnership=partnership,
        closes_on=timezone.localdate() + timedelta(days=10),
    )
    services.scores_recompute(ids=[partnership.pk])
    return partnership, current, resident


def _signed_in(browser: Browser, live_server, email: str, width: int = 1280):
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": width, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return context, page


def test_a_beneficiary_answers_the_survey_with_the_keyboard_on_a_phone(
    browser: Browser, live_server, scene
):
    partnership, current, resident = scene
    context, page = _signed_in(browser, live_server, resident.email, width=360)
    try:
        page.goto(f"/health/partnerships/{partnership.pk}/")
        assert _violations(page) == []
        page.get_by_role("button", name="Answer the survey").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Practice survey", level=1)).to_be_visible()
        assert _violations(page) == []
        # Every statement is a group of radio buttons: focus the first, pick with arrows.
        groups = page.locator("fieldset.survey-statement")
        count = groups.count()
        assert count == len(services.statements_for(Group.BENEFICIARIES))
        for index in range(count):
            groups.nth(index).locator("input[type=radio]").first.focus()
            for _ in range(3):
                page.keyboard.press("ArrowDown")  # from "strongly disagree" to "agree"
        page.get_by_role("button", name="Send my answers").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Your answers count only together")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
    finally:
        context.close()
    response = SurveyResponse.objects.get(round=current, respondent=resident)
    assert {r.rating for r in response.ratings.all()} == {4}


def test_the_health_pages_have_no_accessibility_violations(browser: Browser, live_server, scene):
    partnership, _current, _resident = scene
    context, page = _signed_in(browser, live_server, "staff0@riverton.gov")
    try:
        for url in (
            f"/health/partnerships/{partnership.pk}/",
            f"/health/partnerships/{partnership.pk}/values/",
            "/health/portfolio/",
            f"/es/health/partnerships/{partnership.pk}/",
        ):
            page.goto(url)
            assert _violations(page) == [], url
        page.goto(f"/health/partnerships/{partnership.pk}/")
        expect(page.get_by_text("too few to show").first).to_be_visible()
    finally:
        context.close()
