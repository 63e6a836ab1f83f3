"""The permission predicates, persona by persona: every view and service asks these."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.models import Membership, Organization, User
from partnerships import permissions as perms
from partnerships.models import Participant, Partnership
from tests import factories as f
from tests.conftest import PERSONAS, World

pytestmark = pytest.mark.django_db


def person(world: World, persona: str) -> User | AnonymousUser:
    return AnonymousUser() if persona == "anonymous" else getattr(world, persona)


def fresh(partnership: Partnership) -> Partnership:
    """A new instance: the predicates cache the partner list on the one they are given."""
    return Partnership.objects.get(pk=partnership.pk)


CONTRIBUTORS = {"city_staff", "city_admin", "entrepreneur"}

# predicate -> the personas for whom it holds on world.partnership
MATRIX: dict[str, tuple[Callable[[User, Partnership], bool], set[str]]] = {
    "is_city_staff": (perms.is_city_staff, {"city_staff", "city_admin"}),
    "is_city_admin": (perms.is_city_admin, {"city_admin"}),
    "is_partner_member": (perms.is_partner_member, {"entrepreneur"}),
    "is_participant": (perms.is_participant, {"beneficiary"}),
    "can_view": (perms.can_view, CONTRIBUTORS | {"beneficiary"}),
    "can_manage": (perms.can_manage, {"city_staff", "city_admin"}),
    "can_contribute": (perms.can_contribute, CONTRIBUTORS),
    "can_see_money": (perms.can_see_money, CONTRIBUTORS),
    "can_state_need": (perms.can_state_need, CONTRIBUTORS),
    "can_export": (perms.can_export, CONTRIBUTORS),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("predicate", sorted(MATRIX))
def test_each_predicate_holds_for_exactly_the_right_personas(
    world: World, predicate: str, persona: str
) -> None:
    check, holds_for = MATRIX[predicate]

    assert check(person(world, persona), fresh(world.partnership)) is (persona in holds_for)


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_outside_the_other_city_has_any_right_on_its_partnership(
    world: World, persona: str
) -> None:
    partnership = fresh(world.other_partnership)
    user = person(world, persona)
    rights = {name for name, (check, _) in MATRIX.items() if check(user, partnership)}

    if persona == "other_city_staff":
        # Its administrator: staff and admin of that city, so every right but the partner ones.
        assert rights == {
            "is_city_staff",
            "is_city_admin",
            "can_view",
            "can_manage",
            "can_contribute",
            "can_see_money",
            "can_state_need",
            "can_export",
        }
    elif persona == "other_beneficiary":
        # A participant of that partnership: reads it, nothing more.
        assert rights == {"is_participant", "can_view"}
    else:
        assert rights == set()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_citys_people_may_start_a_partnership_there(world: World, persona: str) -> None:
    user = person(world, persona)

    assert perms.can_create_partnership(user, world.city.pk) is (
        persona in {"city_staff", "city_admin"}
    )
    assert perms.can_create_partnership(user, world.other_city.pk) is (
        persona == "other_city_staff"
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_city_staff_have_a_portfolio_and_start_partnerships(
    world: World, persona: str
) -> None:
    user = person(world, persona)
    city_staff = persona in {"city_staff", "city_admin", "other_city_staff"}

    assert perms.can_see_portfolio(user) is city_staff
    assert perms.can_create_any_partnership(user) is city_staff


@pytest.mark.parametrize(
    ("persona", "organizations"),
    [
        ("city_staff", ["city"]),
        ("city_admin", ["city"]),
        ("entrepreneur", ["enterprise"]),
        ("beneficiary", []),
        ("other_beneficiary", []),
        ("other_city_staff", []),
        ("outsider", []),
        ("anonymous", []),
    ],
)
def test_people_act_only_for_their_own_partner_organizations(
    world: World, persona: str, organizations: list[str]
) -> None:
    expected = sorted(getattr(world, name).pk for name in organizations)

    assert perms.organizations_for(person(world, persona), fresh(world.partnership)) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_partnership_someone_may_not_see_is_not_found(world: World, persona: str) -> None:
    user = person(world, persona)
    _, viewers = MATRIX["can_view"]

    if persona in viewers:
        assert perms.get_visible_partnership_or_404(user, world.partnership.pk) == world.partnership
    else:
        with pytest.raises(Http404):
            perms.get_visible_partnership_or_404(user, world.partnership.pk)


def test_a_missing_partnership_is_not_found_either(world: World) -> None:
    with pytest.raises(Http404):
        perms.get_visible_partnership_or_404(world.city_admin, 987654)


def test_city_staff_who_is_not_the_point_of_contact_contributes_but_does_not_manage(
    world: World,
) -> None:
    colleague = f.UserFactory()
    f.MembershipFactory(user=colleague, organization=world.city)
    partnership = fresh(world.partnership)

    assert perms.can_contribute(colleague, partnership)
    assert perms.can_see_money(colleague, partnership)
    assert not perms.can_manage(colleague, partnership)


def test_a_point_of_contact_who_left_the_city_loses_every_right(world: World) -> None:
    Membership.objects.filter(user=world.city_staff, organization=world.city).delete()
    world.city_staff.forget_memberships()
    partnership = fresh(world.partnership)

    assert partnership.point_of_contact == world.city_staff
    assert not perms.can_view(world.city_staff, partnership)
    assert not perms.can_manage(world.city_staff, partnership)


def test_members_of_any_partner_organization_contribute_but_do_not_manage(world: World) -> None:
    group = f.OrganizationFactory(kind=Organization.Kind.COMMUNITY_GROUP)
    f.PartnerFactory(partnership=world.partnership, organization=group)
    volunteer = f.UserFactory()
    f.MembershipFactory(user=volunteer, organization=group, role=Membership.Role.ADMIN)
    partnership = fresh(world.partnership)

    assert perms.is_partner_member(volunteer, partnership)
    assert perms.can_contribute(volunteer, partnership)
    assert perms.can_see_money(volunteer, partnership)
    assert not perms.can_manage(volunteer, partnership)
    assert perms.organizations_for(volunteer, partnership) == [group.pk]


def test_an_organization_administrator_is_no_city_administrator(world: World) -> None:
    """The entrepreneur administers the lead enterprise; that gives no city rights."""
    partnership = fresh(world.partnership)

    assert world.enterprise.pk in world.entrepreneur.admin_organization_ids()
    assert not perms.is_city_admin(world.entrepreneur, partnership)
    assert not perms.can_manage(world.entrepreneur, partnership)


def test_a_participant_of_one_partnership_sees_no_other(world: World) -> None:
    other_in_same_city = f.PartnershipFactory(city=world.city)

    assert perms.can_view(world.beneficiary, fresh(world.partnership))
    assert not perms.can_view(world.beneficiary, other_in_same_city)


def test_a_participant_who_also_joins_an_outside_organization_stays_a_participant(
    world: World,
) -> None:
    f.MembershipFactory(user=world.beneficiary, organization=world.outsider_org)
    world.beneficiary.forget_memberships()
    partnership = fresh(world.partnership)

    assert perms.can_view(world.beneficiary, partnership)
    assert not perms.can_contribute(world.beneficiary, partnership)
    assert not perms.can_see_money(world.beneficiary, partnership)


def test_a_participant_in_a_partner_organization_gets_the_partners_rights(world: World) -> None:
    Participant.objects.create(partnership=world.partnership, user=world.entrepreneur)
    partnership = fresh(world.partnership)

    assert perms.is_participant(world.entrepreneur, partnership)
    assert perms.can_see_money(world.entrepreneur, partnership)


def test_partner_organizations_are_read_once_per_instance_until_forgotten(
    world: World, django_assert_num_queries
) -> None:
    partnership = fresh(world.partnership)
    world.entrepreneur.organization_ids()  # the person's own memberships, read beforehand
    with django_assert_num_queries(1):
        assert partnership.partner_organization_ids() == {world.enterprise.pk}
        assert perms.is_partner_member(world.entrepreneur, partnership)
        assert perms.organizations_for(world.entrepreneur, partnership) == [world.enterprise.pk]

    group = f.OrganizationFactory(kind=Organization.Kind.COMMUNITY_GROUP)
    f.PartnerFactory(partnership=partnership, organization=group)
    assert partnership.partner_organization_ids() == {world.enterprise.pk}
    partnership.forget_partner_organizations()
    assert partnership.partner_organization_ids() == {world.enterprise.pk, group.pk}


def test_partner_organizations_can_come_from_partners_already_loaded(
    world: World, django_assert_num_queries
) -> None:
    group = f.OrganizationFactory(kind=Organization.Kind.COMMUNITY_GROUP)
    f.PartnerFactory(partnership=world.partnership, organization=group)
    partnership = Partnership.objects.prefetch_related("partners").get(pk=world.partnership.pk)

    with django_assert_num_queries(0):
        partnership.remember_partner_organizations(partnership.partners.all())
        # The lead counts as a partner whether or not it has a partner row of its own.
        assert partnership.partner_organization_ids() == {world.enterprise.pk, group.pk}
