"""The cities room's pages: what the public sees, what stays with the city, and the weight
of the public pages."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from accounts.models import Organization
from cities import services
from cities.models import Experience, Introduction
from partnerships.models import Partnership
from tests import factories as f
from tests.conftest import World


def _published(world: World) -> None:
    services.contact_name(
        actor=world.city_admin,
        city=world.city,
        person=world.city_staff,
        public_email="partners@riverton.example",
        how_to_reach="Tuesday mornings at the library",
    )
    for key, body in (
        ("definition", "An organization set up to solve a social problem."),
        ("why", "Relationships outlast projects."),
        ("practices", "Answer within a week."),
    ):
        services.statement_section_edit(actor=world.city_staff, city=world.city, key=key, body=body)
    services.statement_invite(
        actor=world.city_staff, city=world.city, organization=world.enterprise
    )
    services.statement_endorse(
        actor=world.entrepreneur, statement=world.city.statement, organization=world.enterprise
    )
    services.statement_publish(actor=world.city_admin, city=world.city)
    services.statement_section_edit(
        actor=world.city_staff,
        city=world.city,
        key="practices",
        body="Answer within three days. DRAFT-ONLY-WORDS",
    )


def test_the_public_city_page_shows_statement_endorsers_and_contact(
    world: World, client: Client
) -> None:
    _published(world)

    page = client.get(reverse("cities:city", args=[world.city.slug])).content.decode()

    assert "Relationships outlast projects." in page
    assert "Second Harvest Kitchens" in page
    assert "Tuesday mornings at the library" in page
    assert "partners@riverton.example" in page
    # The draft on top of the published version stays private.
    assert "DRAFT-ONLY-WORDS" not in page


def test_a_second_version_shows_what_changed(world: World, client: Client) -> None:
    _published(world)
    services.statement_publish(
        actor=world.city_admin, city=world.city, change_note="Faster answers."
    )

    page = client.get(reverse("cities:statement_version", args=[world.city.slug, 2])).content
    text = page.decode()

    assert "Faster answers." in text
    assert "<del>a week.</del>" in text and "<ins>three days. DRAFT-ONLY-WORDS</ins>" in text
    assert reverse("cities:statement_version", args=[world.city.slug, 1]) in text
    assert "Second Harvest Kitchens" in text


def test_a_city_waiting_for_review_has_no_public_page(
    world: World, client_as: Callable[[str], Client]
) -> None:
    pending = f.CityFactory(name="City of Pending", status=Organization.Status.PENDING)
    url = reverse("cities:city", args=[pending.slug])
    assert client_as("anonymous").get(url).status_code == 404
    assert client_as("entrepreneur").get(url).status_code == 404
    assert pending.name not in client_as("anonymous").get(reverse("cities:list")).content.decode()


def test_only_public_summaries_are_listed_in_public(world: World, client: Client) -> None:
    Partnership.objects.filter(pk=world.partnership.pk).update(
        visibility=Partnership.Visibility.PUBLIC_SUMMARY, public_summary="We cook together."
    )
    page = client.get(reverse("cities:public_partnerships")).content.decode()
    assert "We cook together." in page
    assert world.other_partnership.title not in page


def test_the_register_is_searched_and_private(
    world: World, client_as: Callable[[str], Client]
) -> None:
    for department in ("Parks", "Housing"):
        services.experience_record(
            actor=world.city_staff,
            city=world.city,
            department=department,
            organization_name="Green Hands",
            what_happened=f"{department} work",
            what_was_learned="Ask early",
        )
    url = reverse("cities:experiences", args=[world.city.slug])

    page = client_as("city_staff").get(url, {"q": "hous"}).content.decode()

    assert "Housing work" in page and "Parks work" not in page
    assert client_as("other_city_staff").get(url).status_code == 404
    assert Experience.objects.visible_to(world.other_city_staff).count() == 0


def test_an_introduction_sent_from_the_page_reaches_the_inbox(
    world: World, client_as: Callable[[str], Client]
) -> None:
    services.contact_name(actor=world.city_admin, city=world.city, person=world.city_staff)
    entrepreneur = client_as("entrepreneur")
    offer = {
        "who_we_are": "Cooks",
        "value": "Meals",
        "needs": "A kitchen",
        "expected_version": "0",
    }
    assert (
        entrepreneur.post(reverse("cities:offer", args=[world.enterprise.slug]), offer).status_code
        == 302
    )

    response = entrepreneur.post(
        reverse("cities:introduce", args=[world.city.slug]),
        {"organization": world.enterprise.pk, "message": "Shall we meet?"},
    )

    assert response.status_code == 302
    introduction = Introduction.objects.get()
    inbox = client_as("city_staff").get(reverse("cities:inbox", args=[world.city.slug]))
    assert "Second Harvest Kitchens" in inbox.content.decode()
    sent = entrepreneur.get(reverse("cities:introductions_sent")).content.decode()
    assert "New" in sent
    detail = reverse("cities:introduction", args=[world.city.slug, introduction.pk])
    assert entrepreneur.get(detail).status_code == 404
    assert client_as("other_city_staff").get(detail).status_code == 404


def test_a_refused_form_names_the_problem(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("entrepreneur").post(
        reverse("cities:introduce", args=[world.city.slug]),
        {"organization": world.enterprise.pk, "message": "Hi"},
    )
    assert response.status_code == 400
    assert "Write your organization" in response.content.decode()


def test_the_story_pages_speak_spanish(world: World, client: Client) -> None:
    page = client.get("/es/playbook/stories/waste-pickers-peru/").content.decode()
    assert "Recicladores y una ley nacional de reciclaje" in page
    practices = client.get(reverse("playbook:practices")).content.decode()
    assert reverse("playbook:story_detail", args=["waste-pickers-peru"]) in practices


# --- Page weight ---------------------------------------------------------------------------

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="/static/([^"]+)"')
LIMIT = 30 * 1024


def _weight(client: Client, url: str) -> int:
    """Bytes on the wire, compressed: the HTML and every stylesheet and script it links."""
    html = client.get(url).content
    total = len(gzip.compress(html))
    for asset in ASSET.findall(html.decode()):
        path = finders.find(asset)
        assert path, asset
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    return total


@pytest.mark.parametrize(
    "name",
    ["playbook:practices", "playbook:stories", "cities:list", "cities:city", "statement"],
)
def test_public_pages_stay_under_30_kb_compressed(world: World, client: Client, name: str) -> None:
    _published(world)
    url = {
        "cities:city": reverse("cities:city", args=[world.city.slug]),
        "statement": reverse("cities:statement_version", args=[world.city.slug, 1]),
    }.get(name) or reverse(name)

    assert _weight(client, url) < LIMIT


def test_the_organization_page_shows_its_getting_started_progress(
    world: World, client_as: Callable[[str], Client]
) -> None:
    staff = client_as("city_staff")
    url = reverse("cities:checklist_item", args=[world.city.slug, "city-yes-culture"])
    response = staff.post(
        url, {"done": "on", "note": "The mayor said yes", "expected_version": "1"}
    )
    assert response.status_code == 302

    page = staff.get(reverse("accounts:organization_detail", args=[world.city.pk])).content
    assert "1 of 8 steps done." in page.decode()
    checklist = staff.get(reverse("cities:checklist", args=[world.city.slug])).content.decode()
    assert "The mayor said yes" in checklist
    entrepreneur_page = client_as("entrepreneur").get(
        reverse("accounts:organization_detail", args=[world.enterprise.pk])
    )
    assert "0 of 7 steps done." in entrepreneur_page.content.decode()
