"""Every page of the URL walk on a 360 px phone, for demo people in Spanish and in English.

Nothing may be wider than the screen or cut off inside its box, the site's header and a
partnership's section tabs leave more than half of the first screen to the page, and the
browser console stays clean: no error, no Content Security Policy violation. One browser
context per person, signed in once, walks all of their pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from io import StringIO
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from accounts.models import Invitation, Membership
from beneficiaries.models import Comment, ParticipantInvitation, Training
from demo.people import PASSWORD
from partnerships import models as pm
from playbook.models import ModelPathway
from tests import factories as f
from tests.conftest import World
from tests.e2e.conftest import Console
from tests.e2e.test_workspace_flows import assert_console_clean, log_in
from tests.test_url_walk import Bundle, Scene, _expected, _url, all_routes

seed_practices = import_module("playbook.migrations.0002_seed_playbook_content").load_content
seed_survey = import_module("playbook.migrations.0004_seed_survey_statements").load
seed_steps_and_stories = import_module(
    "playbook.migrations.0006_seed_steps_and_stories"
).load_content


def seed_playbook(apps: object, schema_editor: None) -> None:
    seed_practices(apps, schema_editor)
    seed_survey(apps, schema_editor)
    seed_steps_and_stories(apps, schema_editor)


WIDTH, HEIGHT = 360, 740
# The site header and the section tabs end above this line of the first screen.
HALF_THE_SCREEN = HEIGHT / 2
WAIT_MS = 5_000

# What does not fit, measured in the page. Off-screen on purpose: the skip link until it is
# focused and the visually hidden texts for screen readers.
MEASURE = """
() => {
  const width = document.documentElement.clientWidth;
  const hidden = (el) => el.closest('.visually-hidden, .skip-link, [hidden], details:not([open]) > :not(summary)');
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '')
    + ' "' + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
  const problems = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (hidden(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.left < -0.5 || box.right > width + 0.5) {
      problems.push('sticks out (' + Math.round(box.left) + '..' + Math.round(box.right) + ' px): ' + name(el));
    }
    const style = getComputedStyle(el);
    // A text field scrolls its own long value; that is how fields work, not a cut-off.
    const field = el.matches('input, textarea, select');
    if (!field && style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) {
      problems.push('cut off or scrolls (' + el.scrollWidth + ' > ' + el.clientWidth + ' px): ' + name(el));
    }
  }
  const bottom = (selector) => {
    const el = document.querySelector(selector);
    return el ? el.getBoundingClientRect().bottom + window.scrollY : null;
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    problems: problems,
    header: bottom('body > header'),
    tabs: bottom('.partnership-header ~ nav.section-nav'),
  };
}
"""


@dataclass(frozen=True)
class Walker:
    email: str
    persona: str  # whose column of the walk's table says which pages they may open
    language: str
    partnership_title: str


WALKERS = [
    Walker(
        "contacto@vallealto.example",
        "city_admin",
        "es",
        "Reciclaje con las recicladoras de Valle Alto",
    ),
    Walker(
        "contact@riverton.example",
        "city_staff",
        "en",
        "Every neighbour housed: a by-name list to functional zero",
    ),
    # A resident on a phone, in Spanish, and an entrepreneur in English.
    Walker(
        "vecina@vallealto.example",
        "beneficiary",
        "es",
        "Reciclaje con las recicladoras de Valle Alto",
    ),
    Walker(
        "founder@harvest.example",
        "entrepreneur",
        "en",
        "Community meals for older neighbours",
    ),
]


def _demo_scene(walker: Walker) -> Scene:
    """The walk's objects, taken from the demo: one partnership and its city's people."""
    partnership = pm.Partnership.objects.select_related("city").get(title=walker.partnership_title)
    city = partnership.city
    membership = Membership.objects.filter(organization=city).order_by("pk").first()
    assert membership is not None
    section = pm.PlanSection.objects.filter(version__partnership=partnership).latest(
        "version__number", "-order"
    )
    participant = partnership.participants.order_by("pk").first()
    bundle = Bundle(
        partnership=partnership,
        checkin=pm.CheckIn.objects.filter(partnership=partnership).latest("due_date"),
        indicator=pm.Indicator.objects.filter(partnership=partnership).first(),
        experiment=pm.Experiment.objects.filter(partnership=partnership).first(),
        need=pm.FinancialNeed.objects.filter(partnership=partnership).first(),
        partner=pm.Partner.objects.filter(partnership=partnership)
        .exclude(organization=partnership.lead)
        .first(),
        responsibility=pm.Responsibility.objects.filter(partnership=partnership).first(),
        plan_version=pm.PlanVersion.objects.filter(partnership=partnership).latest("number"),
        participant_invitation=ParticipantInvitation.objects.create(
            partnership=partnership, email="invitee@example.net", invited_by=membership.user
        ),
        measurement=pm.Measurement.objects.filter(indicator__partnership=partnership).first(),
        progress_update=pm.ProgressUpdate.objects.filter(partnership=partnership).first(),
        section=section,
        # Just written, so its author (the partnership's first participant) may correct it.
        comment=Comment.objects.create(
            partnership=partnership,
            section=section,
            author=participant.user if participant else None,
            body="A comment written a moment ago.",
        ),
        training=Training.objects.filter(partnership=partnership).first()
        or Training.objects.create(
            partnership=partnership,
            topic=Training.Topic.PLANNING,
            starts_at=timezone.now() + timedelta(days=4),
            place="Community hall",
            capacity=10,
        ),
        printed_invitation=ParticipantInvitation.objects.get_or_create(
            code=f"WALK{partnership.pk:04d}"[-8:],
            defaults={
                "partnership": partnership,
                "kind": ParticipantInvitation.Kind.PRINTED,
                "invited_by": membership.user,
            },
        )[0],
        # Only its id is used, in a URL that answers POST alone.
        participant=partnership.participants.first() or pm.Participant(pk=987654321),
    )
    # An open invitation into another partnership of the city, for the lead to answer.
    proposed = f.PartnershipFactory(title="Proposed", city=city, lead=partnership.lead)
    invited = proposed.partners.get()
    invited.status = pm.Partner.Status.INVITED
    invited.save(update_fields=["status"])
    invitation = Invitation.objects.create(
        organization=city,
        email=f"newcomer-{walker.persona}@example.org",
        invited_by=membership.user,
    )
    pathway = ModelPathway.objects.order_by("order").first()
    assert pathway is not None and None not in vars(bundle).values(), vars(bundle)
    scene = SimpleNamespace(
        world=SimpleNamespace(
            city=city,
            enterprise=partnership.lead,
            city_staff=partnership.point_of_contact,
            city_admin=Membership.objects.filter(organization=city, role=Membership.Role.ADMIN)
            .select_related("user")
            .first()
            .user,
        ),
        mine=bundle,
        membership=membership,
        invitation=invitation,
        pathway_slug=pathway.slug,
        invited=invited,
    )
    return cast(Scene, scene)


# Downloads rather than pages: calendars, the OpenAPI schema.
FILES = {
    "notifications:calendar_feed",
    "notifications:partnership_next_checkin",
    "api:schema",
}


def _pages(walker: Walker, scene: Scene) -> list[str]:
    pages = []
    for route in all_routes():
        if route.is_admin or _expected(route, walker.persona) != 200:
            continue
        if route.key.endswith("_export") or route.key in FILES:  # files, not pages
            continue
        url = _url(route, scene, walker.language)
        if walker.language != "en" and not url.startswith(f"/{walker.language}/"):
            continue
        pages.append(url)
    return pages


def _log_in(page: Page, walker: Walker) -> None:
    with translation.override(walker.language):
        page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(walker.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", walker.language, timeout=WAIT_MS)
    expect(page.locator("input[name=login]")).to_have_count(0)


def _console_problems(messages: list[ConsoleMessage], errors: list[str]) -> list[str]:
    bad = []
    for message in messages:
        url = message.location.get("url", "")
        # Chromium may ask for /favicon.ico on its own before it reads the page's icon link.
        if urlsplit(url).path == "/favicon.ico":
            continue
        if message.type == "error" or "Content Security Policy" in message.text:
            bad.append(f"console {message.type}: {message.text} ({url})")
    return bad + [f"script error: {error}" for error in errors]


def _walk(browser: Browser, live_url: str, walker: Walker) -> list[str]:
    scene = _demo_scene(walker)
    pages = _pages(walker, scene)
    assert len(pages) >= 25, pages
    context = browser.new_context(
        base_url=live_url, viewport={"width": WIDTH, "height": HEIGHT}, locale=walker.language
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    messages: list[ConsoleMessage] = []
    errors: list[str] = []
    page.on("console", lambda message: messages.append(message))
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems: list[str] = []
    try:
        _log_in(page, walker)
        for url in pages:
            response = page.goto(url)
            assert response is not None
            if response.status != 200:
                problems.append(f"{url}: answered {response.status}")
                continue
            measured: dict[str, Any] = page.evaluate(MEASURE)
            where = f"{walker.email} {url}"
            if measured["scrollWidth"] > WIDTH:
                problems.append(f"{where}: the page is {measured['scrollWidth']} px wide")
            problems += [f"{where}: {problem}" for problem in measured["problems"]]
            top = measured["tabs"] or measured["header"]
            if top is not None and top >= HALF_THE_SCREEN:
                problems.append(f"{where}: header and tabs end at {top:.0f} px")
            problems += [f"{where}: {line}" for line in _console_problems(messages, errors)]
            messages.clear()
            errors.clear()
    finally:
        context.close()
    return problems


@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_for_the_demo_people_in_spanish_and_english(
    browser: Browser, live_server: Any
) -> None:
    # The demo needs the playbook that migrations seed, which an earlier browser test's
    # flush may have emptied (under pytest-xdist, whichever ran before on this worker).
    seed_playbook(django_apps, None)
    call_command("load_demo", stdout=StringIO())

    problems = []
    for walker in WALKERS:
        problems += _walk(browser, live_server.url, walker)

    assert problems == [], "\n".join(problems)


def test_the_walk_sees_a_page_that_does_not_fit(browser: Browser, live_server: Any) -> None:
    """The measurements above can fail: a wide box, a clipped value and a tall header."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    page.route(
        "**/too-wide",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body=(
                "<!doctype html><meta name=viewport content='width=device-width'>"
                "<body><header><div style='height:400px'>Tandem</div></header>"
                "<div style='width:402px'>wide</div>"
                "<dd style='overflow:hidden;width:100px;white-space:nowrap'>"
                "Ritmo de las reuniones de seguimiento</dd></body>"
            ),
        ),
    )
    page.goto("/too-wide")
    measured = page.evaluate(MEASURE)
    context.close()

    assert measured["scrollWidth"] > WIDTH
    assert any(p.startswith("sticks out") and '"wide"' in p for p in measured["problems"])
    assert any(p.startswith("cut off") and "dd" in p for p in measured["problems"])
    assert measured["header"] >= HALF_THE_SCREEN


def test_in_place_updates_leave_the_console_clean_and_our_css_styles_the_indicator(
    page: Page, world: World, console: Console
) -> None:
    """htmx's own indicator styles would be an inline <style>, which the policy refuses."""
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, world.city_staff.email)
    page.goto("/partnerships/")
    indicator = page.locator("#results-loading")
    assert indicator.evaluate("el => getComputedStyle(el).opacity") == "0"
    page.get_by_role("search").get_by_label("Status").select_option("active")
    expect(page).to_have_url(re.compile(r"[?&]status=active(&|$)"), timeout=WAIT_MS)

    progress = f"/partnerships/{world.partnership.pk}/progress/"
    page.goto(progress)
    panel = page.locator("#progress-panel")
    panel.get_by_text("Log progress", exact=True).first.click()
    panel.get_by_role("button", name="Log progress").click()  # empty: refused in place
    expect(panel.locator(".errorlist")).to_contain_text("This field is required.", timeout=WAIT_MS)
    panel.get_by_label("What happened").fill("Lunch for forty neighbours.")
    panel.get_by_role("button", name="Log progress").click()
    expect(panel.locator("article.progress-update")).to_have_count(1, timeout=WAIT_MS)

    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert_console_clean(console, expected=((400, f"{progress}new/"),))
