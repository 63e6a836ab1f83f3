"""Every change to participant invitations: send, withdraw, accept.

Like every room's services, each takes the acting person and checks the rule again
(``beneficiaries.permissions``), validates, writes the event log inside the transaction and
sends e-mail only once the transaction has committed. Accepting makes the person a
participant through the partnership's own service, ``partnerships.services.participant_add``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beneficiaries import permissions
from beneficiaries.events import Action
from beneficiaries.models import INVITATION_DAYS, ParticipantInvitation
from core.events import log_event
from core.links import absolute_url
from core.mail import send_templated
from partnerships import permissions as partnership_perms
from partnerships import services as partnership_services
from partnerships.models import Participant, Partnership

if TYPE_CHECKING:
    from accounts.models import User


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _log(
    actor: User, action: str, invitation: ParticipantInvitation, at: datetime, **data: object
) -> None:
    log_event(
        actor=actor,
        action=action,
        target=invitation,
        partnership_id=invitation.partnership_id,
        organization_id=invitation.partnership.city_id,
        data={"invitation_id": invitation.pk, **data},
        at=at,
    )


@transaction.atomic
def participant_invitation_send(
    *,
    actor: User,
    partnership: Partnership,
    email: str,
    role: str = Participant.Role.ADVISOR,
    at: datetime | None = None,
) -> ParticipantInvitation:
    """Invite an e-mail address to take part; the e-mail leaves once the row is saved."""
    now = at or timezone.now()
    _require(permissions.can_invite_participants(actor, partnership))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if role not in Participant.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if partnership.participants.filter(user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person already takes part in the partnership.")},
            code="already_participant",
        )
    if partnership.participant_invitations.pending().filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "An invitation to this address is already waiting. "
                    "Withdraw it first if you want to send a new one."
                )
            },
            code="duplicate_invitation",
        )
    invitation = ParticipantInvitation(
        partnership=partnership,
        email=email,
        role=role,
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    _log(actor, Action.INVITATION_SENT, invitation, now, role=role)
    # Written in the language the inviter is using as they send it.
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: participant_invitation_send_email(invitation=invitation, language=language)
    )
    return invitation


def participant_invitation_accept_url(invitation: ParticipantInvitation) -> str:
    return absolute_url(
        reverse("beneficiaries:invitation_accept", kwargs={"token": invitation.token})
    )


def participant_invitation_send_email(*, invitation: ParticipantInvitation, language: str) -> None:
    """Send the invitation. The subject names no person and no partnership."""
    with translation.override(language):
        context = {
            "invitation": invitation,
            "partnership": invitation.partnership,
            "inviter": invitation.invited_by,
            "accept_url": participant_invitation_accept_url(invitation),
            "expires_at": invitation.expires_at,
        }
        send_templated(
            to=invitation.email,
            subject=_("You are invited to take part in a partnership"),
            template="beneficiaries/email/participant_invitation",
            context=context,
        )


def participant_invitation_state_problem(invitation: ParticipantInvitation) -> str | None:
    """Why nobody can accept ``invitation`` any more, in words a visitor can act on."""
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn. Ask the partnership for a new one.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired. Ask the partnership for a new one.")
    inviter = invitation.invited_by
    if inviter is None or not partnership_perms.can_contribute(inviter, invitation.partnership):
        # The person who vouched for the newcomer has left the partnership since.
        return _("This invitation is no longer valid. Ask the partnership for a new one.")
    return None


def participant_invitation_problem(*, user: User, invitation: ParticipantInvitation) -> str | None:
    """Why ``user`` cannot accept ``invitation`` now; None if they can."""
    problem = participant_invitation_state_problem(invitation)
    if problem:
        return problem
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        return _(
            "This invitation was sent to a different e-mail address. Log in with that "
            "address, or add it to your account and verify it, then open the link again."
        )
    if invitation.partnership.participants.filter(user=user).exists():
        return _("You already take part in this partnership.")
    return None


@transaction.atomic
def participant_invitation_accept(
    *, user: User, token: str, at: datetime | None = None
) -> Participant:
    """Take part in the partnership an invitation is for; the invitation can be used once."""
    if not user.is_authenticated:
        raise PermissionDenied
    now = at or timezone.now()
    invitation = (
        ParticipantInvitation.objects.select_for_update(of=("self",))
        .select_related("partnership", "invited_by")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="invalid")
    problem = participant_invitation_problem(user=user, invitation=invitation)
    if problem:
        raise ValidationError(problem, code="not_acceptable")
    participant = partnership_services.participant_add(
        actor=user,
        partnership=invitation.partnership,
        user=user,
        role=invitation.role,
        invited_by=invitation.invited_by,
        at=now,
    )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return participant


@transaction.atomic
def participant_invitation_revoke(
    *, actor: User, invitation: ParticipantInvitation, at: datetime | None = None
) -> ParticipantInvitation:
    now = at or timezone.now()
    _require(permissions.can_invite_participants(actor, invitation.partnership))
    invitation = (
        ParticipantInvitation.objects.select_for_update(of=("self",))
        .select_related("partnership")
        .get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation has already been accepted."), code="already_accepted"
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
        _log(actor, Action.INVITATION_REVOKED, invitation, now)
    return invitation
