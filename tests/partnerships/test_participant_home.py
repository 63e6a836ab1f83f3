"""A participant (a beneficiary in no organization) who signs in finds their partnerships:
the list says their role and what they can do there, and the navigation offers it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.context_processors import navigation
from partnerships.models import Participant, Partnership
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db

MY = reverse("partnerships:my")
NAV_LINK = f'<a href="{MY}">My partnerships</a>'


def test_a_participant_sees_their_role_and_plain_links_to_what_they_can_do(
    world: World, client_as
) -> None:
    Participant.objects.filter(user=world.beneficiary).update(role=Participant.Role.CO_PLANNER)

    content = client_as("beneficiary").get(MY).content.decode()

    assert world.partnership.title in content
    assert "You take part as: Co-planner" in content
    pk = world.partnership.pk
    for name, words in [
        ("partnerships:plan", "Read the plan"),
        ("partnerships:checkins", "See the check-ins"),
        ("partnerships:progress", "See the progress so far"),
    ]:
        assert f'href="{reverse(name, args=[pk])}">{words}' in content


def test_partners_get_no_participant_links(world: World, client_as) -> None:
    content = client_as("entrepreneur").get(MY).content.decode()
    assert "You take part as" not in content
    assert "Read the plan" not in content


@pytest.mark.parametrize("persona", ["beneficiary", "entrepreneur", "city_staff"])
def test_everyone_with_a_partnership_sees_my_partnerships_in_the_nav(
    world: World, client_as, persona: str
) -> None:
    page = client_as(persona).get(reverse("playbook:practices")).content.decode()
    assert NAV_LINK in page


@pytest.mark.parametrize("persona", ["outsider", "city_admin", "anonymous"])
def test_nobody_without_a_partnership_sees_it(world: World, client_as, persona: str) -> None:
    page = client_as(persona).get(reverse("playbook:practices")).content.decode()
    assert NAV_LINK not in page


def test_a_partner_organization_without_a_partnership_gets_no_link(world: World) -> None:
    member = f.UserFactory()
    f.MembershipFactory(user=member, organization=f.OrganizationFactory())
    request = RequestFactory().get("/")
    request.user = member
    assert not navigation(request)["has_partnerships"]


def test_the_nav_asks_one_query_and_only_when_it_renders(world: World) -> None:
    request = RequestFactory().get("/")
    request.user = world.beneficiary
    # The membership rows every page reads once already (accounts' navigation among them).
    world.beneficiary.organization_ids()

    with CaptureQueriesContext(connection) as before:
        context = navigation(request)
    with CaptureQueriesContext(connection) as rendering:
        first = bool(context["has_partnerships"])
        second = bool(context["has_partnerships"])

    assert len(before) == 0
    assert first and second
    assert len(rendering) == 1


@pytest.mark.parametrize(
    "persona",
    ["city_staff", "city_admin", "entrepreneur", "beneficiary", "other_city_staff", "outsider"],
)
def test_the_navigations_cheap_question_agrees_with_involving(world, persona) -> None:
    person = getattr(world, persona)
    assert (
        Partnership.objects.any_involving(person) == Partnership.objects.involving(person).exists()
    )


def test_an_invited_organization_is_not_involved_until_it_accepts(world) -> None:
    from accounts.models import Membership
    from partnerships.models import Partner

    newcomer = f.OrganizationFactory()
    person = f.UserFactory()
    f.MembershipFactory(user=person, organization=newcomer, role=Membership.Role.ADMIN)
    f.PartnerFactory(
        partnership=world.partnership, organization=newcomer, status=Partner.Status.INVITED
    )
    assert Partnership.objects.any_involving(person) is False
    assert Partnership.objects.involving(person).exists() is False
