"""The e-mails partnerships send, after the change they tell of has been committed.

Each function takes ids, loads what it needs and sends: a retried call sends again, so
callers queue it once with ``transaction.on_commit``. Subjects name no partnership, city
or person (private data stays out of subjects); the body does, for the people invited.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Invitation, Membership, Organization, User
from accounts.services import invitation_accept_url
from core.links import absolute_url
from core.mail import send_templated
from partnerships.models import Partner


def _send(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    send_templated(
        to=to, subject=subject, template=f"partnerships/email/{template}", context=context
    )


def _partner(partner_id: int) -> Partner | None:
    """The open invitation, if it may be sent now. A city waiting for review prepares its
    partnerships in private: their invitations wait, and leave once the city is approved
    (:func:`held_invitations_send`)."""
    return (
        Partner.objects.select_related("partnership__city", "organization", "added_by")
        .filter(
            pk=partner_id,
            status=Partner.Status.INVITED,
            partnership__city__status=Organization.Status.APPROVED,
        )
        .first()
    )


def partner_invitation_send(*, partner_id: int) -> None:
    """Tell each administrator of the invited organization, in their own language."""
    partner = _partner(partner_id)
    if partner is None:
        return  # answered or withdrawn in the meantime: nothing left to ask
    admins = User.objects.filter(
        is_active=True,
        memberships__organization_id=partner.organization_id,
        memberships__role=Membership.Role.ADMIN,
    ).distinct()
    answer_url = absolute_url(reverse("partnerships:invitation", kwargs={"partner_pk": partner.pk}))
    for admin in admins:
        with translation.override(admin.preferred_language):
            _send(
                to=admin.email,
                subject=_("Your organization is invited to a partnership"),
                template="partner_invitation",
                context={
                    "partner": partner,
                    "partnership": partner.partnership,
                    "is_lead": partner.organization_id == partner.partnership.lead_id,
                    "answer_url": answer_url,
                    "recipient": admin,
                },
            )


def new_organization_invitation_send(*, partner_id: int, invitation_id: int) -> None:
    """Invite the first administrator of an organization new to Tandem, saying which city
    invites it into which partnership. It goes out in the inviter's language: the address
    has no account, so no preference of its own."""
    partner = _partner(partner_id)
    invitation = Invitation.objects.pending().filter(pk=invitation_id).first()
    if partner is None or invitation is None:
        return
    _send(
        to=invitation.email,
        subject=_("You are invited to join Tandem"),
        template="new_organization_invitation",
        context={
            "partner": partner,
            "partnership": partner.partnership,
            "is_lead": partner.organization_id == partner.partnership.lead_id,
            "invitation": invitation,
            "accept_url": invitation_accept_url(invitation),
        },
    )


def held_invitations_send(*, city_id: int) -> None:
    """Send the invitations a city prepared while it waited for review, now it is approved."""
    held = Partner.objects.filter(
        partnership__city_id=city_id, status=Partner.Status.INVITED
    ).values_list("pk", "organization_id")
    for partner_id, organization_id in held:
        if Membership.objects.filter(organization_id=organization_id).exists():
            partner_invitation_send(partner_id=partner_id)
            continue
        # An organization new to Tandem: its first administrator's invitation says it all.
        invitation = (
            Invitation.objects.pending()
            .filter(organization_id=organization_id, role=Membership.Role.ADMIN)
            .order_by("pk")
            .first()
        )
        if invitation is not None:
            new_organization_invitation_send(partner_id=partner_id, invitation_id=invitation.pk)
