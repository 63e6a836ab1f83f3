"""Every change in the beneficiaries room: invitations (e-mailed and printed), consent,
trainings, and a person's account erasure.

Like every room's services, each takes the acting person and checks the rule again
(``beneficiaries.permissions``), validates, writes the event log inside the transaction and
sends e-mail only once the transaction has committed. Accepting makes the person a
participant through the partnership's own service, ``partnerships.services.participant_add``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beneficiaries import permissions, personal_data
from beneficiaries.events import Action
from beneficiaries.models import (
    CONSENT_VERSION,
    INVITATION_DAYS,
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
from partnerships import permissions as partnership_perms
from partnerships import services as partnership_services
from partnerships.models import Participant, Partnership

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
