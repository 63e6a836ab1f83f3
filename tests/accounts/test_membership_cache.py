"""A person's memberships are read once per user object, whatever asks for them."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.context_processors import navigation
from accounts.models import Membership, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_membership_helper_and_the_navigation_share_one_query(
    rf: RequestFactory, django_assert_num_queries
) -> None:
    person = f.UserFactory()
    city = f.CityFactory()
    enterprise = f.OrganizationFactory()
    f.MembershipFactory(user=person, organization=city, role=Membership.Role.ADMIN)
    f.MembershipFactory(user=person, organization=enterprise)
    person = User.objects.get(pk=person.pk)
    request = rf.get("/")
    request.user = person

    with django_assert_num_queries(1):
        assert person.organization_ids() == {city.pk, enterprise.pk}
        assert person.admin_organization_ids() == {city.pk}
        assert person.city_ids() == {city.pk}
        assert person.organization_kinds() == {"city", "social_enterprise"}
        nav = navigation(request)["nav"]
        assert nav["is_city_staff"] is True
        assert nav["is_partner"] is True
        assert nav["has_organization"] is True


def test_forget_memberships_reads_a_new_membership() -> None:
    person = f.UserFactory()
    assert person.city_ids() == set()
    assert person.organization_kinds() == set()
    city = f.CityFactory()
    f.MembershipFactory(user=person, organization=city, role=Membership.Role.ADMIN)

    # Until forgotten, the cache answers as before: one read per request-bound object.
    assert person.city_ids() == set()
    person.forget_memberships()

    assert person.city_ids() == {city.pk}
    assert person.organization_ids() == {city.pk}
    assert person.admin_organization_ids() == {city.pk}
    assert person.organization_kinds() == {"city"}


def test_navigation_of_a_person_without_organizations_shows_no_portfolio(
    rf: RequestFactory,
) -> None:
    request = rf.get("/")
    request.user = f.UserFactory()
    nav = navigation(request)["nav"]
    assert nav["is_city_staff"] is False
    assert nav["is_partner"] is False
    assert nav["has_organization"] is False
