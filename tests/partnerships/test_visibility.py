"""Which partnerships each person sees, and that money never reaches those who may not see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Organization, User
from partnerships import permissions as perms
from partnerships import services
from partnerships.models import Participant, Partnership
from tests import factories as f
from tests.conftest import PERSONAS, World

pytestmark = pytest.mark.django_db


@dataclass
class Map:
    world: World
    # Another partnership of our city, led by someone else: the entrepreneur is not in it.
    same_city: Partnership
    # A partnership of the other city where our enterprise is a (non-lead) partner.
    enterprise_abroad: Partnership


@pytest.fixture
def city_map(world: World) -> Map:
    same_city = f.PartnershipFactory(title="Bike repair for teens", city=world.city)
    enterprise_abroad = f.PartnershipFactory(title="Lakeside lunches", city=world.other_city)
    f.PartnerFactory(partnership=enterprise_abroad, organization=world.enterprise)
    return Map(world=world, same_city=same_city, enterprise_abroad=enterprise_abroad)


def person(world: World, persona: str) -> User | AnonymousUser:
    return AnonymousUser() if persona == "anonymous" else getattr(world, persona)


EXPECTED_TITLES = {
    "city_staff": {"Community meals for older neighbours", "Bike repair for teens"},
    "city_admin": {"Community meals for older neighbours", "Bike repair for teens"},
    "entrepreneur": {"Community meals for older neighbours", "Lakeside lunches"},
    "beneficiary": {"Community meals for older neighbours"},
    "other_beneficiary": {"Lakeside river clean-up"},
    "other_city_staff": {"Lakeside river clean-up", "Lakeside lunches"},
    "outsider": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_their_partnerships(city_map: Map, persona: str) -> None:
    visible = Partnership.objects.visible_to(person(city_map.world, persona))

    titles = list(visible.values_list("title", flat=True))

    assert sorted(titles) == sorted(EXPECTED_TITLES[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_queryset_and_the_predicate_agree(city_map: Map, persona: str) -> None:
    """A page (the predicate) and a list (the queryset) must never disagree."""
    user = person(city_map.world, persona)

    by_predicate = {p.pk for p in Partnership.objects.all() if perms.can_view(user, p)}

    assert set(Partnership.objects.visible_to(user).values_list("pk", flat=True)) == by_predicate


def test_a_person_in_several_partner_organizations_sees_each_partnership_once(
    world: World,
) -> None:
    group = f.OrganizationFactory(kind=Organization.Kind.COMMUNITY_GROUP)
    funder = f.OrganizationFactory(kind=Organization.Kind.FUNDER)
    for org in (group, funder):
        f.PartnerFactory(partnership=world.partnership, organization=org)
        f.MembershipFactory(user=world.entrepreneur, organization=org)
    # A participant too, and staff of the city: every path leads to the same row.
    Participant.objects.create(partnership=world.partnership, user=world.entrepreneur)
    f.MembershipFactory(user=world.entrepreneur, organization=world.city)
    world.entrepreneur.forget_memberships()

    visible = Partnership.objects.visible_to(world.entrepreneur)

    pks = list(visible.values_list("pk", flat=True))
    assert pks.count(world.partnership.pk) == 1
    assert visible.count() == len(set(pks))


def test_visibility_composes_with_the_portfolio_annotations(city_map: Map) -> None:
    world = city_map.world
    f.FinancialNeedFactory(partnership=world.partnership)
    f.FinancialNeedFactory(partnership=world.partnership)

    rows = {
        p.title: p.open_need_count
        for p in Partnership.objects.visible_to(world.city_staff).with_open_need_count()
    }

    assert rows == {"Community meals for older neighbours": 2, "Bike repair for teens": 0}


def test_a_new_partner_organizations_people_see_the_partnership_once_it_accepted(
    world: World,
) -> None:
    assert not Partnership.objects.visible_to(world.outsider).exists()
    admin = f.UserFactory()
    f.MembershipFactory(user=admin, organization=world.outsider_org, role=Membership.Role.ADMIN)

    partner = services.partner_add(
        actor=world.city_admin,
        partnership=world.partnership,
        organization=world.outsider_org,
        role_description="Lends its hall",
    )
    assert not Partnership.objects.visible_to(world.outsider).exists()
    assert not Partnership.objects.involving(world.outsider).exists()
    assert not Partnership.objects.visible_to(admin).exists()

    services.partner_accept(actor=admin, partner=partner)

    assert list(Partnership.objects.visible_to(world.outsider)) == [world.partnership]
    assert list(Partnership.objects.involving(world.outsider)) == [world.partnership]


def test_a_removed_partners_people_lose_sight_of_it(world: World) -> None:
    partner = f.PartnerFactory(partnership=world.partnership, organization=world.outsider_org)
    assert Partnership.objects.visible_to(world.outsider).exists()

    services.partner_remove(actor=world.city_admin, partner=partner)

    world.outsider.forget_memberships()
    assert not Partnership.objects.visible_to(world.outsider).exists()


# --- Money --------------------------------------------------------------------------------------

MONEY_SEERS = {"city_staff", "city_admin", "entrepreneur"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_financial_needs_are_for_partner_organizations_only(world: World, persona: str) -> None:
    user = person(world, persona)

    assert perms.can_see_money(user, world.partnership) is (persona in MONEY_SEERS)


SECRET_PURPOSE = "Refrigerated van for the Tuesday round"
SECRET_AMOUNT = "98765.43"

SECTIONS = [
    "partnerships:detail",
    "partnerships:plan",
    "partnerships:checkins",
    "partnerships:progress",
    "partnerships:evidence",
    "partnerships:experiments",
    "partnerships:timeline",
]


@pytest.fixture
def stated_need(world: World) -> None:
    need = services.need_state(
        actor=world.entrepreneur,
        partnership=world.partnership,
        organization=world.enterprise,
        amount=SECRET_AMOUNT,
        currency="USD",
        period="2027",
        purpose=SECRET_PURPOSE,
    )
    services.need_update(
        actor=world.city_staff, need=need, status="partly_met", discussion_notes="Half from us."
    )


def _pages_mentioning_the_need(client: Client, world: World) -> list[str]:
    urls = [reverse(name, kwargs={"pk": world.partnership.pk}) for name in SECTIONS]
    urls += [reverse("home"), reverse("partnerships:my")]
    found = []
    for url in urls:
        body = client.get(url, follow=True).content.decode()
        if SECRET_PURPOSE in body or "98765" in body or "98,765" in body:
            found.append(url)
    return found


@pytest.mark.usefixtures("stated_need")
@pytest.mark.parametrize("persona", ["beneficiary", "outsider", "other_city_staff", "anonymous"])
def test_no_page_shows_a_financial_need_to_those_outside_the_partner_organizations(
    world: World, client_as: Callable[[str], Client], persona: str
) -> None:
    assert _pages_mentioning_the_need(client_as(persona), world) == []


@pytest.mark.usefixtures("stated_need")
def test_the_partners_do_see_the_need_on_the_timeline(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """The control for the test above: the same search finds the need where it belongs."""
    timeline = reverse("partnerships:timeline", kwargs={"pk": world.partnership.pk})
    money = reverse("partnerships:money", kwargs={"pk": world.partnership.pk})

    body = client_as("entrepreneur").get(money).content.decode()

    assert SECRET_PURPOSE in body
    assert timeline in _pages_mentioning_the_need(client_as("entrepreneur"), world)
