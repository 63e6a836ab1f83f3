"""What happens to organizations and their people, and how it reads in the log.

The data holds ids and roles, never a name or an address: a person's name is
looked up when the event is shown, so an erased person leaves no name behind.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.events import renders
from core.models import Event


class Action:
    ORGANIZATION_CREATED = "accounts.organization.created"
    ORGANIZATION_APPROVED = "accounts.organization.approved"
    ORGANIZATION_DECLINED = "accounts.organization.declined"
    ORGANIZATION_MFA_CHANGED = "accounts.organization.mfa_changed"
    MEMBER_JOINED = "accounts.membership.joined"
    MEMBER_ROLE_CHANGED = "accounts.membership.role_changed"
    MEMBER_REMOVED = "accounts.membership.removed"
    MEMBER_LEFT = "accounts.membership.left"
    INVITATION_CREATED = "accounts.invitation.created"
    INVITATION_REVOKED = "accounts.invitation.revoked"


def _role(value: str) -> str:
    from accounts.models import Membership

    if value in Membership.Role.values:
        return str(Membership.Role(value).label).lower()
    return value


def _person(user_id: int | None) -> str:
    from accounts.models import User

    user = User.objects.filter(pk=user_id).first() if user_id else None
    return user.display_name if user is not None else _("a former member")


@renders(Action.ORGANIZATION_CREATED)
def _organization_created(event: Event) -> str:
    return _("created the organization")


@renders(Action.ORGANIZATION_APPROVED)
def _organization_approved(event: Event) -> str:
    return _("approved the organization's registration")


@renders(Action.ORGANIZATION_DECLINED)
def _organization_declined(event: Event) -> str:
    return _("declined the organization's registration")


@renders(Action.ORGANIZATION_MFA_CHANGED)
def _organization_mfa_changed(event: Event) -> str:
    if event.data["requires_mfa"]:
        return _("required two-factor authentication of every member")
    return _("stopped requiring two-factor authentication")


@renders(Action.MEMBER_JOINED)
def _member_joined(event: Event) -> str:
    return _("joined the organization as %(role)s") % {"role": _role(event.data["role"])}


@renders(Action.MEMBER_ROLE_CHANGED)
def _member_role_changed(event: Event) -> str:
    old, new = event.data["role"]
    return _("changed the role of %(person)s from %(old)s to %(new)s") % {
        "person": _person(event.data["user_id"]),
        "old": _role(old),
        "new": _role(new),
    }


@renders(Action.MEMBER_REMOVED)
def _member_removed(event: Event) -> str:
    return _("removed %(person)s from the organization") % {
        "person": _person(event.data["user_id"])
    }


@renders(Action.MEMBER_LEFT)
def _member_left(event: Event) -> str:
    return _("left the organization")


@renders(Action.INVITATION_CREATED)
def _invitation_created(event: Event) -> str:
    return _("invited someone to join as %(role)s") % {"role": _role(event.data["role"])}


@renders(Action.INVITATION_REVOKED)
def _invitation_revoked(event: Event) -> str:
    return _("withdrew an invitation")
