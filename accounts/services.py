"""Every change to people, organizations, memberships and invitations.

Views, the admin, management commands and tasks call these functions; each one
checks the acting person's rights again (``accounts.permissions``), so no caller
can skip the rule.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import permissions
from accounts.events import Action
from accounts.models import Invitation, Membership, Organization, User
from core.events import log_event
from core.history import attribute
from core.links import absolute_url
from core.mail import send_templated


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Organizations -------------------------------------------------------------


def _send(*, to: User, template: str, subject: Promise, context: dict[str, Any]) -> None:
    """One plain-text e-mail to a person, in their language. The subject names nobody."""
    with translation.override(to.preferred_language):
        send_templated(
            to=to.email,
            subject=str(subject),
            template=f"accounts/email/{template}",
            context=context,
            html=False,
        )


@transaction.atomic
def organization_create(
    *,
    actor: User,
    name: str,
    kind: str,
    country: str,
    languages: str = "",
    website: str = "",
    description: str = "",
) -> Organization:
    """Create an organization; the person who creates it becomes its administrator.

    Anyone signed in may start one. A city starts waiting for review: its people work in
    private (invite colleagues, prepare partnerships) until site staff approve it, since a
    city's name on public pages must be the real city's. With ``TANDEM_SINGLE_CITY`` (a
    deployment run by one city) the first city is approved at once.
    """
    if not actor.is_authenticated:
        raise PermissionDenied
    if kind not in Organization.Kind.values:
        raise ValidationError({"kind": _("Choose one of the listed kinds.")})
    _require(permissions.can_create_organization(actor, kind))
    status = Organization.Status.APPROVED
    if kind == Organization.Kind.CITY and not (
        settings.TANDEM_SINGLE_CITY and not Organization.objects.cities().exists()
    ):
        status = Organization.Status.PENDING
    organization = Organization(
        name=name.strip(),
        kind=kind,
        country=country.strip(),
        languages=languages.strip(),
        website=website.strip(),
        description=description.strip(),
        status=status,
    )
    # The slug is derived on save, so it is not the person's to get wrong.
    organization.full_clean(exclude=["slug"])
    attribute(organization, actor)
    organization.save()
    membership = Membership(user=actor, organization=organization, role=Membership.Role.ADMIN)
    attribute(membership, actor)
    membership.save()
    log_event(
        actor=actor,
        action=Action.ORGANIZATION_CREATED,
        target=organization,
        organization_id=organization.pk,
        data={"kind": kind, "status": status},
    )
    if status == Organization.Status.PENDING:
        transaction.on_commit(lambda: organization_notify_staff(organization=organization))
    actor.forget_memberships()
    return organization


@transaction.atomic
def organization_set_requires_mfa(
    *, actor: User, organization: Organization, requires_mfa: bool
) -> Organization:
    """Ask every member of the organization to sign in with a second factor, or stop asking.

    Its administrators decide. Members who have not set one up are sent to do so on their
    next page (``accounts.middleware.RequireMFAMiddleware``).
    """
    _require(permissions.can_require_mfa(actor, organization))
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.requires_mfa == requires_mfa:
        return organization
    organization.requires_mfa = requires_mfa
    attribute(organization, actor)
    organization.save(update_fields=["requires_mfa"])
    log_event(
        actor=actor,
        action=Action.ORGANIZATION_MFA_CHANGED,
        target=organization,
        organization_id=organization.pk,
        data={"requires_mfa": requires_mfa},
    )
    actor.forget_memberships()
    return organization


def organization_notify_staff(*, organization: Organization) -> None:
    """Tell every active member of the site staff that a city waits for their review."""
    registrant = User.objects.filter(memberships__organization=organization).order_by("pk").first()
    context = {
        "organization": organization,
        "registrant": registrant,
        "review_url": absolute_url(reverse("accounts:organization_review")),
    }
    for staff in User.objects.filter(is_staff=True, is_active=True).order_by("pk"):
        _send(
            to=staff,
            template="organization_review_requested",
            subject=gettext_lazy("A city asks to join Tandem"),
            context=context,
        )


def _reviewable_locked(actor: User, organization: Organization) -> Organization:
    _require(permissions.can_review_organization(actor))
    return Organization.objects.select_for_update().get(pk=organization.pk)


@transaction.atomic
def organization_approve(*, actor: User, organization: Organization) -> Organization:
    """Approve a city that registered itself (or reconsider one that was declined)."""
    organization = _reviewable_locked(actor, organization)
    if organization.status == Organization.Status.APPROVED:
        raise ValidationError(
            _("This organization has already been approved."), code="already_approved"
        )
    organization.status = Organization.Status.APPROVED
    organization.review_note = ""
    organization.reviewed_at = timezone.now()
    organization.reviewed_by = actor
    attribute(organization, actor)
    organization.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by"])
    log_event(
        actor=actor,
        action=Action.ORGANIZATION_APPROVED,
        target=organization,
        organization_id=organization.pk,
        data={},
    )
    transaction.on_commit(lambda: organization_send_review_email(organization=organization))
    return organization


@transaction.atomic
def organization_decline(*, actor: User, organization: Organization, reason: str) -> Organization:
    """Decline a city's registration, saying why: its administrators read the reason."""
    organization = _reviewable_locked(actor, organization)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why, so the people who registered know what to do next.")}
        )
    if organization.status != Organization.Status.PENDING:
        raise ValidationError(
            _("Only a registration waiting for review can be declined."), code="not_pending"
        )
    organization.status = Organization.Status.DECLINED
    organization.review_note = reason
    organization.reviewed_at = timezone.now()
    organization.reviewed_by = actor
    organization.full_clean(exclude=["slug"])
    attribute(organization, actor)
    organization.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by"])
    # The reason stays on the organization; the log keeps no sentence.
    log_event(
        actor=actor,
        action=Action.ORGANIZATION_DECLINED,
        target=organization,
        organization_id=organization.pk,
        data={},
    )
    transaction.on_commit(lambda: organization_send_review_email(organization=organization))
    for user in User.objects.filter(memberships__organization=organization):
        user.forget_memberships()
    return organization


def organization_send_review_email(*, organization: Organization) -> None:
    """Tell the organization's administrators how the review went."""
    approved = organization.status == Organization.Status.APPROVED
    context = {
        "organization": organization,
        "approved": approved,
        "organization_url": absolute_url(
            reverse("accounts:organization_detail", args=[organization.pk])
        ),
    }
    admins = User.objects.filter(
        is_active=True,
        memberships__organization=organization,
        memberships__role=Membership.Role.ADMIN,
    ).order_by("pk")
    for admin in admins:
        _send(
            to=admin,
            template="organization_reviewed",
            subject=gettext_lazy("Your city is on Tandem")
            if approved
            else gettext_lazy("About your city's registration"),
            context=context,
        )


@transaction.atomic
def organization_invite_new(
    *,
    actor: User,
    city: Organization,
    name: str,
    kind: str,
    email: str,
    country: str = "",
    send_email: bool = True,
) -> Invitation:
    """Bring an organization that is not on Tandem yet: it is created without members, and
    ``email`` is invited as its first administrator.

    The city's staff do this for the organizations they want to work with. A caller that
    says more in its own e-mail (which partnership, say) passes ``send_email=False`` and
    sends it after the commit with :func:`invitation_accept_url`.
    """
    _require(permissions.can_invite_new_organization(actor, city))
    errors = {}
    if not name.strip():
        errors["name"] = _("This field is required.")
    if kind not in Organization.Kind.values or kind == Organization.Kind.CITY:
        # Cities are created by site staff, never by another city's invitation.
        errors["kind"] = _("Choose one of the listed kinds.")
    if not email.strip():
        errors["email"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    organization = Organization(
        name=name.strip(), kind=kind, country=(country.strip() or city.country)
    )
    organization.full_clean(exclude=["slug"])
    attribute(organization, actor)
    organization.save()
    log_event(
        actor=actor,
        action=Action.ORGANIZATION_CREATED,
        target=organization,
        organization_id=organization.pk,
        data={"kind": kind, "invited_by_organization_id": city.pk},
    )
    invitation = Invitation(
        organization=organization,
        email=email.strip().lower(),
        role=Membership.Role.ADMIN,
        invited_by=actor,
    )
    invitation.full_clean()
    invitation.save()
    log_event(
        actor=actor,
        action=Action.INVITATION_CREATED,
        target=invitation,
        organization_id=organization.pk,
        data={"invitation_id": invitation.pk, "role": invitation.role},
    )
    if send_email:
        transaction.on_commit(lambda: invitation_send_email(invitation=invitation))
    return invitation


# --- Memberships ----------------------------------------------------------------


def _admin_count_locked(organization: Organization) -> int:
    # Lock the organization's admin rows so two admins demoting each other at the
    # same moment cannot leave the organization without one.
    return len(
        list(
            Membership.objects.select_for_update()
            .filter(organization=organization, role=Membership.Role.ADMIN)
            .values_list("pk", flat=True)
        )
    )


@transaction.atomic
def membership_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    _require(permissions.can_change_role(actor, membership))
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == role:
        return membership
    if (
        membership.role == Membership.Role.ADMIN
        and _admin_count_locked(membership.organization) <= 1
    ):
        raise ValidationError(
            _(
                "An organization needs at least one administrator. "
                "Make someone else an administrator first."
            ),
            code="last_admin",
        )
    old_role = membership.role
    membership.role = role
    attribute(membership, actor)
    membership.save(update_fields=["role"])
    log_event(
        actor=actor,
        action=Action.MEMBER_ROLE_CHANGED,
        target=membership,
        organization_id=membership.organization_id,
        data={"user_id": membership.user_id, "role": [old_role, role]},
    )
    membership.user.forget_memberships()
    actor.forget_memberships()
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove someone from an organization. Administrators may remove anyone; people may leave."""
    _require(permissions.can_remove_member(actor, membership))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if (
        membership.role == Membership.Role.ADMIN
        and _admin_count_locked(membership.organization) <= 1
    ):
        raise ValidationError(
            _(
                "An organization needs at least one administrator. "
                "Make someone else an administrator before removing this one."
            ),
            code="last_admin",
        )
    leaving = actor.pk == membership.user_id
    log_event(
        actor=actor,
        action=Action.MEMBER_LEFT if leaving else Action.MEMBER_REMOVED,
        target=membership,
        organization_id=membership.organization_id,
        data={"user_id": membership.user_id, "role": membership.role},
    )
    attribute(membership, actor)
    membership.delete()
    membership.user.forget_memberships()
    actor.forget_memberships()


# --- Invitations ----------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, actor: User, organization: Organization, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Invite an e-mail address into an organization; the e-mail leaves once the row is saved."""
    _require(permissions.can_invite(actor, organization))
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person is already a member of the organization.")},
            code="already_member",
        )
    if Invitation.objects.pending().filter(organization=organization, email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "An invitation to this address is already waiting. "
                    "Revoke it first if you want to send a new one."
                )
            },
            code="duplicate_invitation",
        )
    invitation = Invitation(organization=organization, email=email, role=role, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    # The address stays on the invitation; the log keeps only what is not personal.
    log_event(
        actor=actor,
        action=Action.INVITATION_CREATED,
        target=invitation,
        organization_id=organization.pk,
        data={"invitation_id": invitation.pk, "role": role},
    )
    transaction.on_commit(lambda: invitation_send_email(invitation=invitation))
    return invitation


def invitation_accept_url(invitation: Invitation) -> str:
    return absolute_url(reverse("accounts:invitation_accept", kwargs={"token": invitation.token}))


def invitation_send_email(*, invitation: Invitation) -> None:
    """Send the invitation. The subject names no person and no organization."""
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": invitation.invited_by,
        "accept_url": invitation_accept_url(invitation),
        "expires_at": invitation.expires_at,
    }
    # Written in the language the inviter was using when they sent it.
    send_templated(
        to=invitation.email,
        subject=_("You are invited to join Tandem"),
        template="accounts/email/invitation_message",
        context=context,
    )


def invitation_problem_for_anyone(*, invitation: Invitation) -> str | None:
    """Why nobody can accept ``invitation`` any more (used, withdrawn, expired); None if it
    still works."""
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn. Ask the organization for a new one.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired. Ask the organization for a new one.")
    if invitation.organization.is_declined:
        return _("This organization is not on Tandem, so its invitations no longer work.")
    return None


def invitation_problem(*, user: User, invitation: Invitation) -> str | None:
    """Why ``user`` cannot accept ``invitation`` now, in words they can act on; None if they can."""
    if problem := invitation_problem_for_anyone(invitation=invitation):
        return problem
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        return _(
            "This invitation was sent to a different e-mail address. Log in with that "
            "address, or add it to your account and verify it, then open the link again."
        )
    return None


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Membership:
    """Join the organization an invitation is for; the invitation can be used once."""
    if not user.is_authenticated:
        raise PermissionDenied
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organization")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="invalid")
    problem = invitation_problem(user=user, invitation=invitation)
    if problem:
        raise ValidationError(problem, code="not_acceptable")

    membership = Membership.objects.filter(user=user, organization=invitation.organization).first()
    role_before = membership.role if membership is not None else None
    if membership is None:
        membership = Membership(
            user=user, organization=invitation.organization, role=invitation.role
        )
        attribute(membership, user)
        membership.save()
    elif invitation.role == Membership.Role.ADMIN and membership.role != Membership.Role.ADMIN:
        # An invitation never lowers a role someone already has; it may raise it.
        membership.role = Membership.Role.ADMIN
        attribute(membership, user)
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if role_before is None:
        log_event(
            actor=user,
            action=Action.MEMBER_JOINED,
            target=membership,
            organization_id=membership.organization_id,
            data={"invitation_id": invitation.pk, "role": membership.role},
        )
    elif membership.role != role_before:
        log_event(
            actor=user,
            action=Action.MEMBER_ROLE_CHANGED,
            target=membership,
            organization_id=membership.organization_id,
            data={"user_id": user.pk, "role": [role_before, membership.role]},
        )
    user.forget_memberships()
    return membership


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    _require(permissions.can_revoke_invitation(actor, invitation))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation has already been accepted; remove the member instead."),
            code="already_accepted",
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        log_event(
            actor=actor,
            action=Action.INVITATION_REVOKED,
            target=invitation,
            organization_id=invitation.organization_id,
            data={"invitation_id": invitation.pk},
        )
    return invitation


# --- Preferences ------------------------------------------------------------------


@transaction.atomic
def user_update_preferences(*, user: User, name: str, preferred_language: str) -> User:
    if preferred_language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Choose one of the listed languages.")})
    user.name = name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["name", "preferred_language"])
    return user
