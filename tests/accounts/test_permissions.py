"""The organization predicates, persona by persona: views, forms, the admin and services ask these."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from accounts import permissions
from accounts.models import Invitation, Membership, Organization, User
from tests import factories as f
from tests.conftest import PERSONAS, World

pytestmark = pytest.mark.django_db

# Of the city that runs world.partnership: city_staff is a member, city_admin its administrator.
CITY_MEMBERS = {"city_staff", "city_admin"}


def person(world: World, persona: str) -> User | AnonymousUser:
    return AnonymousUser() if persona == "anonymous" else getattr(world, persona)


def membership_of(world: World, persona: str) -> Membership:
    return Membership.objects.get(user=getattr(world, persona), organization=world.city)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_members_see_an_organization(world: World, persona: str) -> None:
    assert permissions.is_member(person(world, persona), world.city.pk) is (persona in CITY_MEMBERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_its_administrators_manage_an_organizations_people(world: World, persona: str) -> None:
    user = person(world, persona)
    staff_membership = membership_of(world, "city_staff")
    is_admin = persona == "city_admin"

    assert permissions.is_organization_admin(user, world.city) is is_admin
    assert permissions.can_invite(user, world.city) is is_admin
    assert permissions.can_change_role(user, staff_membership) is is_admin
    assert permissions.can_remove_member(user, staff_membership) is (
        is_admin or persona == "city_staff"
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_signed_in_starts_an_organization_a_city_included(
    world: World, persona: str
) -> None:
    user = person(world, persona)
    signed_in = persona != "anonymous"

    assert permissions.can_create_organization(user, Organization.Kind.FUNDER) is signed_in
    # A city starts waiting for review (tests/accounts/test_city_join.py).
    assert permissions.can_create_organization(user, Organization.Kind.CITY) is signed_in
    assert permissions.can_create_organization(user, "castle") is False


def test_invitations_are_withdrawn_by_administrators_and_site_staff_who_may_change_them(
    world: World,
) -> None:
    invitation = Invitation.objects.create(organization=world.city, email="new@example.org")
    staff = f.UserFactory(is_staff=True)
    staff_who_may = f.UserFactory(is_staff=True)
    staff_who_may.user_permissions.add(Permission.objects.get(codename="change_invitation"))

    assert permissions.can_revoke_invitation(world.city_admin, invitation)
    assert permissions.can_revoke_invitation(
        f.UserFactory(is_staff=True, is_superuser=True), invitation
    )
    assert permissions.can_revoke_invitation(staff_who_may, invitation)
    assert not permissions.can_revoke_invitation(staff, invitation)
    assert not permissions.can_revoke_invitation(world.city_staff, invitation)
    assert not permissions.can_revoke_invitation(world.other_city_staff, invitation)
    assert not permissions.can_revoke_invitation(AnonymousUser(), invitation)


def test_people_leave_except_the_last_administrator(world: World) -> None:
    member = membership_of(world, "city_staff")
    admin = membership_of(world, "city_admin")

    assert permissions.can_leave(world.city_staff, member, admin_count=1)
    assert not permissions.can_leave(world.city_admin, admin, admin_count=1)
    assert permissions.can_leave(world.city_admin, admin, admin_count=2)
    # Leaving is through one's own membership only.
    assert not permissions.can_leave(world.city_admin, member, admin_count=1)
    assert not permissions.can_leave(AnonymousUser(), member, admin_count=1)
