"""Every change in the beneficiaries room: invitations (e-mailed and printed), consent,
trainings, a person's account erasure, comments on the plan (post, correct, report,
moderate, answer), voices gathered offline, and who took part in a check-in.

Like every room's services, each takes the acting person and checks the rule again
(``beneficiaries.permissions``), validates, writes the event log inside the transaction and
sends e-mail only once the transaction has committed. Accepting makes the person a
participant through the partnership's own service, ``partnerships.services.participant_add``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organization
from beneficiaries import permissions, personal_data
from beneficiaries.events import Action
from beneficiaries.models import (
    COMMENT_MAX_LENGTH,
    CONSENT_VERSION,
    EDIT_MINUTES,
    INVITATION_DAYS,
    REPORTS_TO_HIDE,
    CheckInAttendance,
    Comment,
    CommentAnswer,
    CommentReport,
    Consent,
    ParticipantInvitation,
    Training,
    TrainingSignup,
    _code,
    normalize_code,
)
from core.events import log_event
from core.links import absolute_url
from core.mail import send_templated
from core.versioning import save_versioned
from partnerships import permissions as partnership_perms
from partnerships import services as partnership_services
from partnerships.models import CheckIn, Participant, Partnership, PlanSection, PlanVersion

if TYPE_CHECKING:
    from accounts.models import User

#: People without e-mail get an address nobody can receive mail at (RFC 2606's ``.invalid``),
#: because the account needs one; it is never shown and never written to.
NO_EMAIL_DOMAIN = "no-email.invalid"
MAX_CAPACITY = 500


def has_real_email(user: User) -> bool:
    return not user.email.endswith("@" + NO_EMAIL_DOMAIN)


def _new_person(*, email: str | None, name: str) -> User:
    """An account without a usable password: the invitation signs its person in."""
    from django.contrib.auth import get_user_model

    address = email or f"person-{secrets.token_hex(8)}@{NO_EMAIL_DOMAIN}"
    user: User = get_user_model().objects.create_user(email=address, password=None, name=name)
    if email:
        EmailAddress.objects.create(user=user, email=address, verified=True, primary=True)
    return user


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
    # An accepted printed invitation still signs its person in: withdrawing it stops that.
    if invitation.accepted_at is not None and invitation.kind == ParticipantInvitation.Kind.EMAIL:
        raise ValidationError(
            _("This invitation has already been accepted."), code="already_accepted"
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
        _log(actor, Action.INVITATION_REVOKED, invitation, now)
    return invitation


@transaction.atomic
def participant_invitation_accept_newcomer(
    *, token: str, name: str = "", at: datetime | None = None
) -> Participant:
    """Someone without an account accepts an e-mailed invitation: the link reached their
    mailbox, so it is proof enough of the address; the account gets no password."""
    from django.contrib.auth import get_user_model

    now = at or timezone.now()
    invitation = (
        ParticipantInvitation.objects.select_for_update(of=("self",))
        .select_related("partnership", "invited_by")
        .filter(token=token, kind=ParticipantInvitation.Kind.EMAIL)
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="invalid")
    problem = participant_invitation_state_problem(invitation)
    if problem:
        raise ValidationError(problem, code="not_acceptable")
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("An account with this address exists already: log in, then accept."),
            code="account_exists",
        )
    user = _new_person(email=invitation.email, name=_clean_name(name))
    return participant_invitation_accept(user=user, token=token, at=now)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > 150:
        raise ValidationError({"name": _("Keep the name under 150 characters.")})
    return name


# --- Printed invitations and sign-in codes ------------------------------------------------


def _unique_code() -> str:
    for _attempt in range(10):
        code = _code()
        if not ParticipantInvitation.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free printed code found")  # 3.8e11 codes: never in practice


def _save_printed(invitation: ParticipantInvitation) -> None:
    """Saved with a fresh code; another request taking the same code in between is retried."""
    for _attempt in range(3):
        invitation.code = _unique_code()
        try:
            with transaction.atomic():
                invitation.save()
            return
        except IntegrityError:
            continue
    raise RuntimeError("no free printed code found")


@transaction.atomic
def participant_invitation_print(
    *,
    actor: User,
    partnership: Partnership,
    role: str = Participant.Role.ADVISOR,
    at: datetime | None = None,
) -> ParticipantInvitation:
    """An invitation on paper, for someone without e-mail: a short code and a QR code."""
    now = at or timezone.now()
    _require(permissions.can_invite_participants(actor, partnership))
    if role not in Participant.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    invitation = ParticipantInvitation(
        partnership=partnership,
        kind=ParticipantInvitation.Kind.PRINTED,
        role=role,
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    _save_printed(invitation)
    _log(actor, Action.INVITATION_PRINTED, invitation, now, role=role)
    return invitation


def can_print_sign_in_code(participant: Participant) -> bool:
    """Only for people without e-mail and without a second factor: anyone else signs in by a
    code sent to their address, and a partner must never hold a key to such an account."""
    from allauth.mfa.models import Authenticator

    user = participant.user
    return not has_real_email(user) and not Authenticator.objects.filter(user=user).exists()


@transaction.atomic
def sign_in_code_print(
    *, actor: User, participant: Participant, at: datetime | None = None
) -> ParticipantInvitation:
    """A fresh printed code that signs a participant without e-mail back in."""
    now = at or timezone.now()
    partnership = participant.partnership
    _require(permissions.can_invite_participants(actor, partnership))
    if not can_print_sign_in_code(participant):
        raise ValidationError(
            _("This person signs in with their e-mail address; a printed code is not needed."),
            code="has_email",
        )
    code = ParticipantInvitation(
        partnership=partnership,
        kind=ParticipantInvitation.Kind.PRINTED,
        role=participant.role,
        sign_in_for=participant.user,
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    _save_printed(code)
    _log(actor, Action.SIGN_IN_CODE_PRINTED, code, now)
    return code


@dataclass(frozen=True)
class CodeAnswer:
    """What a typed code is: an invitation still to accept, or a key to sign someone in."""

    invitation: ParticipantInvitation
    sign_in: User | None


NOT_A_CODE = _("This code is not valid. Check it on the paper and try again.")


def printed_code_lookup(*, typed: str, at: datetime | None = None) -> CodeAnswer:
    """What the code typed at /partnerships/join/ opens; a ValidationError if nothing."""
    from allauth.mfa.models import Authenticator

    now = at or timezone.now()
    code = normalize_code(typed)
    invitation = (
        ParticipantInvitation.objects.select_related(
            "partnership", "partnership__city", "invited_by", "accepted_by", "sign_in_for"
        )
        .filter(code=code, kind=ParticipantInvitation.Kind.PRINTED)
        .first()
        if code
        else None
    )
    if invitation is None:
        raise ValidationError({"code": NOT_A_CODE}, code="invalid")
    if invitation.revoked_at is not None:
        raise ValidationError(
            {"code": _("This code was withdrawn. Ask the partnership for a new one.")},
            code="revoked",
        )
    if invitation.expires_at <= now:
        raise ValidationError(
            {"code": _("This code has expired. Ask the partnership for a new one.")},
            code="expired",
        )
    person = invitation.sign_in_for or invitation.accepted_by
    if invitation.accepted_at is not None and person is None:
        raise ValidationError({"code": NOT_A_CODE}, code="invalid")
    if person is not None:
        if Authenticator.objects.filter(user=person).exists() or not person.is_active:
            raise ValidationError(
                {"code": _("This account signs in another way. Use your usual sign-in.")},
                code="other_sign_in",
            )
        return CodeAnswer(invitation=invitation, sign_in=person)
    problem = participant_invitation_state_problem(invitation)
    if problem:
        raise ValidationError({"code": problem}, code="not_acceptable")
    return CodeAnswer(invitation=invitation, sign_in=None)


@transaction.atomic
def printed_invitation_accept(
    *, invitation_id: int, user: User | None, name: str = "", at: datetime | None = None
) -> Participant:
    """Accept a printed invitation: as the signed-in person, or as a new account (no e-mail,
    no password; the printed code signs them in again until it expires)."""
    now = at or timezone.now()
    invitation = (
        ParticipantInvitation.objects.select_for_update(of=("self",))
        .select_related("partnership", "invited_by")
        .filter(pk=invitation_id, kind=ParticipantInvitation.Kind.PRINTED, sign_in_for=None)
        .first()
    )
    if invitation is None:
        raise ValidationError(NOT_A_CODE, code="invalid")
    problem = participant_invitation_state_problem(invitation)
    if problem:
        raise ValidationError(problem, code="not_acceptable")
    if user is not None and user.is_authenticated:
        if invitation.partnership.participants.filter(user=user).exists():
            raise ValidationError(_("You already take part in this partnership."))
        person = user
    else:
        cleaned = _clean_name(name)
        if not cleaned:
            raise ValidationError({"name": _("Tell us what to call you.")})
        person = _new_person(email=None, name=cleaned)
    participant = partnership_services.participant_add(
        actor=person,
        partnership=invitation.partnership,
        user=person,
        role=invitation.role,
        invited_by=invitation.invited_by,
        at=now,
    )
    invitation.accepted_at = now
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return participant


# --- Consent ------------------------------------------------------------------------------


def has_consented(user: User) -> bool:
    return Consent.objects.current().filter(user=user).exists()


def _log_for_each_partnership(
    actor: User, action: str, target: object, data: dict, at: datetime
) -> None:
    """A person's own act told on the timeline of each partnership they take part in."""
    participations = list(actor.participations.select_related("partnership"))
    for participant in participations:
        log_event(
            actor=actor,
            action=action,
            target=target,  # type: ignore[arg-type]
            partnership_id=participant.partnership_id,
            organization_id=participant.partnership.city_id,
            data=data,
            at=at,
        )
    if not participations:
        log_event(actor=actor, action=action, target=target, data=data, at=at)  # type: ignore[arg-type]


@transaction.atomic
def consent_give(*, actor: User, at: datetime | None = None) -> Consent:
    """The person agrees to the current consent text; agreeing twice keeps the first."""
    if not actor.is_authenticated:
        raise PermissionDenied
    now = at or timezone.now()
    current = Consent.objects.current().filter(user=actor).first()
    if current is not None:
        return current
    consent = Consent.objects.create(user=actor, version=CONSENT_VERSION, given_at=now)
    _log_for_each_partnership(
        actor,
        Action.CONSENT_GIVEN,
        consent,
        {"consent": consent.pk, "version": CONSENT_VERSION},
        now,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, at: datetime | None = None) -> Consent | None:
    """The person withdraws: the pages of the partnerships are closed to them until they
    agree again; their account and what they wrote stay until they delete them."""
    if not actor.is_authenticated:
        raise PermissionDenied
    now = at or timezone.now()
    current = Consent.objects.select_for_update().current().filter(user=actor).first()
    if current is None:
        return None
    current.withdrawn_at = now
    current.save(update_fields=["withdrawn_at"])
    _log_for_each_partnership(
        actor,
        Action.CONSENT_WITHDRAWN,
        current,
        {"consent": current.pk, "version": current.version},
        now,
    )
    return current


# --- Trainings ----------------------------------------------------------------------------


def _training_data(training: Training) -> dict[str, object]:
    return {
        "training": training.pk,
        "topic": training.topic,
        "own_topic": training.own_topic,
        "starts_at": training.starts_at,
    }


def _log_training(
    actor: User, action: str, training: Training, at: datetime, **data: object
) -> None:
    log_event(
        actor=actor,
        action=action,
        target=training,
        partnership_id=training.partnership_id,
        organization_id=training.partnership.city_id,
        data={**_training_data(training), **data},
        at=at,
    )


@transaction.atomic
def training_schedule(
    *,
    actor: User,
    partnership: Partnership,
    topic: str,
    starts_at: datetime,
    place: str,
    capacity: int,
    own_topic: str = "",
    at: datetime | None = None,
) -> Training:
    now = at or timezone.now()
    _require(permissions.can_schedule_trainings(actor, partnership))
    errors: dict[str, str] = {}
    own_topic = " ".join((own_topic or "").split())
    place = " ".join((place or "").split())
    if topic not in Training.Topic.values:
        errors["topic"] = _("Choose one of the listed topics.")
    elif topic == Training.Topic.OTHER and not own_topic:
        errors["own_topic"] = _("Name your own topic.")
    if starts_at <= now:
        errors["starts_at"] = _("Choose a date and time still to come.")
    if not place:
        errors["place"] = _("Say where the training takes place.")
    if not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = _("Offer between 1 and %(max)s places.") % {"max": MAX_CAPACITY}
    if errors:
        raise ValidationError(errors)
    training = Training(
        partnership=partnership,
        topic=topic,
        own_topic=own_topic if topic == Training.Topic.OTHER else "",
        starts_at=starts_at,
        place=place,
        capacity=capacity,
        scheduled_by=actor,
        created_at=now,
    )
    training.full_clean()
    training.save()
    _log_training(actor, Action.TRAINING_SCHEDULED, training, now)
    return training


@transaction.atomic
def training_signup(
    *, actor: User, training: Training, at: datetime | None = None
) -> TrainingSignup:
    """A participant takes a place. The training's row is locked while its places are
    counted, so two people can never take the last place together."""
    now = at or timezone.now()
    locked = Training.objects.select_for_update().select_related("partnership").get(pk=training.pk)
    _require(permissions.can_sign_up_for_trainings(actor, locked.partnership))
    if locked.cancelled_at is not None or locked.starts_at <= now:
        raise ValidationError(_("This training is no longer open for sign-ups."), code="closed")
    if locked.signups.filter(user=actor).exists():
        raise ValidationError(_("You have a place in this training already."), code="duplicate")
    if locked.signups.count() >= locked.capacity:
        raise ValidationError(_("This training is full."), code="full")
    signup = TrainingSignup.objects.create(training=locked, user=actor, created_at=now)
    _log_training(actor, Action.TRAINING_SIGNED_UP, locked, now)
    return signup


@transaction.atomic
def training_signup_cancel(*, actor: User, training: Training, at: datetime | None = None) -> None:
    now = at or timezone.now()
    locked = Training.objects.select_for_update().select_related("partnership").get(pk=training.pk)
    _require(permissions.can_sign_up_for_trainings(actor, locked.partnership))
    if locked.starts_at <= now:
        raise ValidationError(_("This training has begun: the place can no longer be given up."))
    deleted, _rows = locked.signups.filter(user=actor).delete()
    if deleted:
        _log_training(actor, Action.TRAINING_CANCELLED_SIGNUP, locked, now)


@transaction.atomic
def training_attendance_record(
    *, actor: User, training: Training, attended: list[int], at: datetime | None = None
) -> Training:
    """Who came: the sign-ups whose ids are in ``attended`` came, the others did not."""
    now = at or timezone.now()
    locked = Training.objects.select_for_update().select_related("partnership").get(pk=training.pk)
    _require(permissions.can_schedule_trainings(actor, locked.partnership))
    if locked.starts_at > now:
        raise ValidationError(_("Attendance can be recorded once the training has begun."))
    ids = set(locked.signups.values_list("pk", flat=True))
    unknown = set(attended) - ids
    if unknown:
        raise ValidationError({"attended": _("Choose people who signed up for this training.")})
    locked.signups.filter(pk__in=attended).update(attended=True)
    locked.signups.exclude(pk__in=attended).update(attended=False)
    locked.attendance_recorded_at = now
    locked.save(update_fields=["attendance_recorded_at"])
    _log_training(actor, Action.TRAINING_ATTENDANCE, locked, now, attended=len(set(attended)))
    return locked


# --- Leaving Tandem -----------------------------------------------------------------------


def account_delete_problem(user: User) -> str | None:
    """Why ``user`` cannot delete their account yet, in words they can act on."""
    if user.is_superuser or user.is_staff:
        return _("Site staff cannot delete their account here.")
    if user.admin_organization_ids():
        return _(
            "You administer an organization. Hand it over to someone else, or leave it, "
            "before you delete your account."
        )
    return None


@transaction.atomic
def account_delete(*, actor: User, delete_authored: bool = False) -> None:
    """Erase the person: afterwards no row identifies them (``beneficiaries.personal_data``).
    What they wrote stays as "a former participant" unless ``delete_authored``."""
    if not actor.is_authenticated:
        raise PermissionDenied
    problem = account_delete_problem(actor)
    if problem:
        raise ValidationError(problem, code="cannot_delete")
    partnerships = list(actor.participations.values_list("partnership_id", "partnership__city_id"))
    personal_data.erase(actor, delete_authored=delete_authored)
    # The partners learn that someone left, not who: the event names nobody.
    for partnership_id, city_id in partnerships:
        log_event(
            actor=None,
            action=Action.ACCOUNT_DELETED,
            partnership_id=partnership_id,
            organization_id=city_id,
        )


# --- Comments on the plan: posted, corrected, reported, moderated, answered -------------------


def _log_comment(
    actor: User | None,
    action: str,
    comment: Comment,
    at: datetime,
    *,
    private: bool = False,
    **data: object,
) -> None:
    log_event(
        actor=actor,
        action=action,
        target=comment,
        partnership_id=comment.partnership_id,
        organization_id=comment.partnership.city_id,
        data={"comment": comment.pk, **data},
        private=private,
        at=at,
    )


def _clean_text(text: str, field: str, *, required: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: required})
    if "\x00" in text:
        raise ValidationError({field: _("Remove the invisible characters from the text.")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                field: _("Keep it to %(limit)d characters; you wrote %(count)d.")
                % {"limit": COMMENT_MAX_LENGTH, "count": len(text)}
            }
        )
    return text


def _is_current(section: PlanSection, at: datetime) -> bool:
    """Whether the section is of the plan as it stood at ``at`` (now, but for the demo's
    replayed past)."""
    latest = (
        section.version.partnership.plan_versions.filter(published_at__lte=at)
        .order_by("-number")
        .first()
    )
    return latest is not None and latest.pk == section.version_id


@transaction.atomic
def comment_post(
    *,
    actor: User,
    section: PlanSection,
    body: str,
    parent: Comment | None = None,
    at: datetime | None = None,
) -> Comment:
    """A comment on a section of the current plan, or a reply (one level deep) to one."""
    now = at or timezone.now()
    partnership = section.version.partnership
    _require(permissions.can_comment(actor, partnership))
    body = _clean_text(body, "body", required=_("Write your comment."))
    if parent is not None:
        if parent.partnership_id != partnership.pk or parent.section_id != section.pk:
            raise ValidationError(_("This reply does not belong to that comment."))
        if parent.parent_id is not None:
            raise ValidationError(_("Replies go one level deep: answer the first comment."))
        if parent.is_hidden:
            raise ValidationError(_("This comment is hidden; it cannot be answered now."))
    elif not _is_current(section, now):
        raise ValidationError(
            _("This is an earlier version of the plan. Comment on the current version.")
        )
    comment = Comment.objects.create(
        partnership=partnership,
        section=section,
        parent=parent,
        author=actor,
        body=body,
        created_at=now,
    )
    _log_comment(
        actor,
        Action.COMMENT_POSTED,
        comment,
        now,
        section=section.pk,
        plan_version=section.version_id,
        plan_version_number=section.version.number,
        author=actor.pk,
        parent=parent.pk if parent is not None else None,
    )
    return comment


@transaction.atomic
def comment_edit(
    *,
    actor: User,
    comment: Comment,
    body: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Comment:
    """The author corrects their comment, within a few minutes of writing it."""
    now = at or timezone.now()
    _require(permissions.can_view_comments(actor, comment.partnership))
    if not permissions.can_edit_comment(actor, comment, now=now):
        raise ValidationError(
            _("A comment can be corrected by its author for %(minutes)d minutes only.")
            % {"minutes": EDIT_MINUTES},
            code="too_late",
        )
    comment.body = _clean_text(body, "body", required=_("Write your comment."))
    comment.edited_at = now
    save_versioned(comment, fields=["body", "edited_at"], expected_version=expected_version)
    _log_comment(actor, Action.COMMENT_EDITED, comment, now)
    return comment


@transaction.atomic
def comment_report(
    *, actor: User, comment: Comment, reason: str, at: datetime | None = None
) -> CommentReport:
    """One person's report. At three different reporters the comment is hidden until a
    moderator decides.

    The count is kept by the database: the unique constraint makes a second report by the
    same person fail, and the increment is one UPDATE, so reports sent at the same moment
    each count once. The UPDATE keeps the row locked until the commit, so the conditional
    UPDATE that hides it sees this transaction's count, and exactly one reporter hides it.
    """
    now = at or timezone.now()
    _require(permissions.can_view_comments(actor, comment.partnership))
    if not permissions.can_report(actor, comment):
        raise ValidationError(_("You cannot report your own comment."), code="own")
    if reason not in CommentReport.Reason.values:
        raise ValidationError({"reason": _("Choose one of the listed reasons.")})
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, reporter=actor, reason=reason, created_at=now
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this comment. A moderator will look at it."),
            code="already_reported",
        ) from None
    Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    _log_comment(actor, Action.COMMENT_REPORTED, comment, now, private=True, reason=reason)
    hidden = Comment.objects.filter(
        pk=comment.pk,
        report_count__gte=REPORTS_TO_HIDE,
        hidden_at__isnull=True,
        moderated_at__isnull=True,
    ).update(hidden_at=now)
    if hidden:
        _log_comment(
            None,
            Action.COMMENT_HIDDEN,
            comment,
            now,
            private=True,
            reason="",
            by_reports=True,
        )
    comment.refresh_from_db(fields=["report_count", "hidden_at"])
    return report


class Moderation:
    HIDE = "hide"
    RESTORE = "restore"


@transaction.atomic
def comment_moderate(
    *, actor: User, comment: Comment, decision: str, reason: str, at: datetime | None = None
) -> Comment:
    """A moderator hides a comment or shows it again, saying why; the reports stay."""
    now = at or timezone.now()
    _require(permissions.can_moderate(actor, comment.partnership))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, for the other moderators.")})
    if len(reason) > 300 or "\x00" in reason:
        raise ValidationError({"reason": _("Keep the reason to one line of 300 characters.")})
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("partnership")
        .get(pk=comment.pk)
    )
    if decision == Moderation.HIDE:
        if comment.is_hidden:
            raise ValidationError(_("This comment is already hidden."), code="already_hidden")
        comment.hidden_at = now
        action = Action.COMMENT_HIDDEN
    elif decision == Moderation.RESTORE:
        if not comment.is_hidden:
            raise ValidationError(_("This comment is not hidden."), code="not_hidden")
        comment.hidden_at = None
        action = Action.COMMENT_RESTORED
    else:
        raise ValidationError({"decision": _("Choose to hide or to show the comment.")})
    comment.moderated_at = now
    comment.moderated_by = actor
    comment.moderation_reason = reason
    comment.save(update_fields=["hidden_at", "moderated_at", "moderated_by", "moderation_reason"])
    _log_comment(actor, action, comment, now, private=True, reason=reason, by_reports=False)
    return comment


@transaction.atomic
def comment_answer(
    *,
    actor: User,
    comment: Comment,
    body: str,
    changed_version: PlanVersion | None = None,
    at: datetime | None = None,
) -> CommentAnswer:
    """A partner answers a comment and, when it changed the plan, names the version that did.

    The commenter is told through the event (``beneficiaries.comment.answered``), which the
    notifications room delivers.
    """
    now = at or timezone.now()
    _require(permissions.can_answer(actor, comment.partnership))
    body = _clean_text(body, "body", required=_("Write your answer."))
    if comment.parent_id is not None:
        raise ValidationError(_("Replies are part of the conversation; answer the comment."))
    if changed_version is not None and (
        changed_version.partnership_id != comment.partnership_id
        or changed_version.number <= comment.section.version.number
    ):
        raise ValidationError(
            {"changed_version": _("Choose a version published after the comment was written.")}
        )
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("partnership", "section")
        .get(pk=comment.pk)
    )
    if CommentAnswer.objects.filter(comment=comment).exists():
        raise ValidationError(_("This comment has been answered already."), code="answered")
    answer = CommentAnswer.objects.create(
        comment=comment,
        body=body,
        changed_version=changed_version,
        answered_by=actor,
        answered_at=now,
    )
    _log_comment(
        actor,
        Action.COMMENT_ANSWERED,
        comment,
        now,
        answer=answer.pk,
        section=comment.section_id,
        commenter=comment.author_id,
        changed_version=changed_version.pk if changed_version is not None else None,
        changed_version_number=changed_version.number if changed_version is not None else None,
    )
    return answer


@transaction.atomic
def voice_record(
    *,
    actor: User,
    section: PlanSection,
    body: str,
    spoken_on: date,
    organization: Organization | None = None,
    spoken_by: str = "",
    named_with_consent: bool = False,
    at: datetime | None = None,
) -> Comment:
    """What residents said at a meeting or on paper, written down by a partner for them.

    A person is named only with their consent; otherwise it reads as the residents at the
    meeting of that day. Without ``organization`` it is recorded for the first organization
    the partner acts for here.
    """
    now = at or timezone.now()
    partnership = section.version.partnership
    _require(permissions.can_record_voices(actor, partnership))
    body = _clean_text(body, "body", required=_("Write down what was said."))
    spoken_by = (spoken_by or "").strip()
    if "\x00" in spoken_by or len(spoken_by) > 200:
        raise ValidationError({"spoken_by": _("Keep the name to 200 characters.")})
    if spoken_by and not named_with_consent:
        raise ValidationError(
            {
                "named_with_consent": _(
                    "Name a person only if they agreed to it; otherwise leave the name empty."
                )
            }
        )
    if spoken_on > timezone.localdate(now) or spoken_on < partnership.start_date - timedelta(
        days=366
    ):
        raise ValidationError({"spoken_on": _("Give the day it was said, not a future one.")})
    acts_for = partnership_perms.organizations_for(actor, partnership)
    if organization is None:
        organization = Organization.objects.get(pk=acts_for[0])
    elif organization.pk not in acts_for:
        raise ValidationError({"organization": _("Choose an organization you act for here.")})
    if not _is_current(section, now):
        raise ValidationError(
            {"section": _("This is an earlier version of the plan. Choose a current section.")}
        )
    comment = Comment.objects.create(
        partnership=partnership,
        section=section,
        body=body,
        source=Comment.Source.OFFLINE,
        spoken_by=spoken_by,
        spoken_on=spoken_on,
        recorded_by=actor,
        recorded_for=organization,
        created_at=now,
    )
    _log_comment(
        actor,
        Action.VOICE_RECORDED,
        comment,
        now,
        section=section.pk,
        plan_version=section.version_id,
        organization=organization.pk,
    )
    return comment


# --- Check-ins: which beneficiaries took part ---------------------------------------------------


@transaction.atomic
def checkin_attendance_record(
    *,
    actor: User,
    checkin: CheckIn,
    participants: Iterable[Participant],
    at: datetime | None = None,
) -> list[CheckInAttendance]:
    """Says which of the partnership's participants took part in a held check-in."""
    now = at or timezone.now()
    partnership = checkin.partnership
    _require(permissions.can_record_attendance(actor, partnership))
    if checkin.status != CheckIn.Status.HELD:
        raise ValidationError(
            _("Record the check-in as held first; then say who took part."), code="not_held"
        )
    chosen = {p.pk: p for p in participants}
    if any(p.partnership_id != partnership.pk for p in chosen.values()):
        raise ValidationError({"participants": _("Choose people of this partnership.")})
    CheckIn.objects.select_for_update().filter(pk=checkin.pk).first()
    CheckInAttendance.objects.filter(checkin=checkin).exclude(participant_id__in=chosen).delete()
    present = set(
        CheckInAttendance.objects.filter(checkin=checkin).values_list("participant_id", flat=True)
    )
    CheckInAttendance.objects.bulk_create(
        CheckInAttendance(checkin=checkin, participant=p, recorded_by=actor, recorded_at=now)
        for pk, p in chosen.items()
        if pk not in present
    )
    log_event(
        actor=actor,
        action=Action.CHECKIN_ATTENDANCE_RECORDED,
        target=checkin,
        partnership_id=partnership.pk,
        organization_id=partnership.city_id,
        data={"checkin": checkin.pk, "participants": len(chosen)},
        at=now,
    )
    return list(checkin.beneficiary_attendance.select_related("participant__user"))
