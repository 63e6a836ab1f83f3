"""The city's playbook in a real browser: an entrepreneur introduces itself and the city
opens a partnership from it; a city publishes a statement that two enterprises endorsed,
and its public pages pass axe-core with no violation."""

from __future__ import annotations

from importlib import import_module

from axe_playwright_python.sync_playwright import Axe
from django.apps import apps as django_apps
from django.urls import reverse
from playwright.sync_api import Page, expect

from cities import services
from cities.models import Introduction
from partnerships.models import Partner
from tests.conftest import World
from tests.e2e.conftest import Console
from tests.e2e.test_workspace_flows import assert_console_clean, log_in, log_out

WAIT_MS = 5_000
# An earlier browser test's flush may have emptied what the migrations seeded.
seed_steps_and_stories = import_module(
    "playbook.migrations.0006_seed_steps_and_stories"
).load_content
seed_practices = import_module("playbook.migrations.0002_seed_playbook_content").load_content


def _no_axe_violations(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_an_entrepreneur_introduces_itself_and_the_city_opens_a_partnership(
    page: Page, world: World, console: Console
) -> None:
    services.contact_name(
        actor=world.city_admin,
        city=world.city,
        person=world.city_staff,
        how_to_reach="Tuesday mornings at the library",
    )

    log_in(page, world.entrepreneur.email)
    page.goto(reverse("cities:offer", args=[world.enterprise.slug]))
    page.get_by_label("Who we are").fill("Cooks who feed older neighbours")
    page.get_by_label("The value we bring").fill("Shared meals, and what we learn from them")
    page.get_by_label("What we need to sustain our role").fill("A kitchen three mornings a week")
    page.get_by_role("button", name="Save the offer").click()
    expect(page.get_by_text("Your offer is saved")).to_be_visible(timeout=WAIT_MS)
    page.goto(reverse("cities:city", args=[world.city.slug]))
    page.get_by_role("button", name="Introduce your organization").click()
    page.get_by_label("Your message").fill("Could we cook at the new community centre?")
    page.get_by_role("button", name="Send the introduction").click()
    expect(page.get_by_text("Your introduction was sent")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("cell", name="New")).to_be_visible()
    log_out(page)

    log_in(page, world.city_staff.email)
    page.goto(reverse("cities:inbox", args=[world.city.slug]))
    page.get_by_role("link", name=world.enterprise.name).click()
    expect(page.get_by_text("Could we cook at the new community centre?")).to_be_visible()
    page.get_by_label("Title").fill("Meals at the community centre")
    page.get_by_label("Shared goal").fill("Three shared meals a week by spring")
    page.get_by_label("Problem statement").fill("Older neighbours eat alone.")
    page.get_by_role("button", name="Open the partnership").click()
    expect(page.get_by_text("is invited to lead")).to_be_visible(timeout=WAIT_MS)

    introduction = Introduction.objects.get()
    assert introduction.status == Introduction.Status.PARTNERSHIP_OPENED
    assert introduction.partnership is not None
    assert page.url.endswith(f"/partnerships/{introduction.partnership.pk}/")
    lead = introduction.partnership.partners.get()
    assert (lead.organization, lead.status) == (world.enterprise, Partner.Status.INVITED)
    assert_console_clean(console)


def test_a_city_publishes_a_statement_that_two_enterprises_endorsed(
    page: Page, world: World, console: Console
) -> None:
    seed_practices(django_apps, None)
    seed_steps_and_stories(django_apps, None)
    for key, body in (
        ("definition", "An organization set up to solve a social problem."),
        ("why", "Relationships outlast projects."),
        ("practices", "Answer every introduction within a week."),
    ):
        services.statement_section_edit(actor=world.city_staff, city=world.city, key=key, body=body)
    for organization in (world.enterprise, world.outsider_org):
        services.statement_invite(
            actor=world.city_staff, city=world.city, organization=organization
        )
    draft = reverse("cities:statement_draft", args=[world.city.slug])

    for person in (world.entrepreneur, world.outsider):
        log_in(page, person.email)
        page.goto(draft)
        page.get_by_role("button", name="Endorse the statement").click()
        expect(page.get_by_text("endorses the statement")).to_be_visible(timeout=WAIT_MS)
        log_out(page)

    log_in(page, world.city_admin.email)
    page.goto(draft)
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("Version 1 is public.")).to_be_visible(timeout=WAIT_MS)
    log_out(page)

    page.goto(reverse("cities:city", args=[world.city.slug]))
    endorsers = page.get_by_role("region", name="Engagement statement")
    expect(endorsers.get_by_text(world.enterprise.name)).to_be_visible()
    expect(endorsers.get_by_text(world.outsider_org.name)).to_be_visible()
    expect(page.get_by_text("Relationships outlast projects.")).to_be_visible()
    _no_axe_violations(page)
    for url in (
        reverse("cities:statement_version", args=[world.city.slug, 1]),
        reverse("cities:list"),
        reverse("cities:public_partnerships"),
        reverse("playbook:stories"),
        reverse("playbook:story_detail", args=["families-leading-change"]),
        reverse("playbook:practices"),
    ):
        page.goto(url)
        _no_axe_violations(page)
    assert_console_clean(console)
