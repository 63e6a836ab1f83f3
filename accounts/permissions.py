"""Who may see and do what with organizations and their people.

Views, forms, the admin and the services in ``accounts.services`` ask these
predicates; none decides on its own. An organization a person may not see must
read as "not found".
"""

from __future__ import annotations

from accounts.models import Invitation, Membership, Organization, User
from core.models import Event, EventQuerySet


def _is_admin_of(user: User, organization_id: int) -> bool:
    return user.is_authenticated and organization_id in user.admin_organization_ids()


def is_member(user: User, organization_id: int) -> bool:
    """Members see an organization and its people; to anyone else it does not exist."""
    return user.is_authenticated and organization_id in user.organization_ids()


def is_organization_admin(user: User, organization: Organization) -> bool:
    """The one rule for managing an organization's people, used by views and services alike."""
    return _is_admin_of(user, organization.pk)


def can_require_mfa(user: User, organization: Organization) -> bool:
    """An organization's administrators decide whether its members sign in with two factors."""
    return is_organization_admin(user, organization)


def can_create_organization(user: User, kind: str) -> bool:
    """Anyone signed in may start an organization, a city included: a city starts waiting
    for review (``accounts.services.organization_create``), private until approved."""
    return user.is_authenticated and kind in Organization.Kind.values


def can_review_organization(user: User) -> bool:
    """Site staff approve or decline the cities that registered themselves."""
    return user.is_authenticated and user.is_active and user.is_staff


def can_invite_new_organization(user: User, city: Organization) -> bool:
    """A city's staff bring the organizations it works with onto Tandem, by e-mail."""
    return user.is_authenticated and city.is_city and city.pk in user.city_ids()


def can_invite(user: User, organization: Organization) -> bool:
    """A declined organization takes nobody new in; a pending one invites its colleagues."""
    return is_organization_admin(user, organization) and not organization.is_declined


def can_revoke_invitation(user: User, invitation: Invitation) -> bool:
    """The organization's administrators, and site staff who may change invitations in the
    admin, where they withdraw them for support."""
    return _is_admin_of(user, invitation.organization_id) or (
        user.is_authenticated and user.is_staff and user.has_perm("accounts.change_invitation")
    )


def can_change_role(user: User, membership: Membership) -> bool:
    return _is_admin_of(user, membership.organization_id)


def can_remove_member(user: User, membership: Membership) -> bool:
    """Administrators may remove anyone; everyone may remove themselves, which is leaving."""
    return user.is_authenticated and (
        membership.user_id == user.pk or _is_admin_of(user, membership.organization_id)
    )


def can_leave(user: User, membership: Membership, *, admin_count: int) -> bool:
    """Whether this person may leave through their own ``membership``, given how many
    administrators the organization has: its last administrator stays until someone else
    is one. The service counts again, under a lock, when they do leave."""
    return (
        user.is_authenticated
        and membership.user_id == user.pk
        and not (membership.role == Membership.Role.ADMIN and admin_count <= 1)
    )


def organization_events(user: User, organization: Organization) -> EventQuerySet:
    """What happened to the organization and its people, for its administrators only; the
    partnerships' events that belong to a city are on each partnership's timeline."""
    if not is_organization_admin(user, organization):
        return Event.objects.none()
    return (
        Event.objects.of_organization(organization.pk)
        .filter(action__startswith="accounts.")
        .select_related("actor")
    )
