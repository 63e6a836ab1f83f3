"""What beneficiaries have in Tandem: the invitations that bring them in (by e-mail or on
paper), their consent, and the trainings they sign up for."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Participant, Partnership

INVITATION_DAYS = 14


def _token() -> str:
    return secrets.token_urlsafe(32)


# A printed code is typed by hand on a cheap phone: no letters that read like digits (0/O,
# 1/I/L) and no vowels (so it spells no word). 8 characters of 28 give 3.8e11 codes; with the
# join page's rate limit a guess has no practical chance.
CODE_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str:
    """What a person typed, as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    """``BCDF2345`` as ``BCDF-2345``, easier to read aloud and to type."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if code else ""


def _expiry() -> datetime:
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class ParticipantInvitationQuerySet(models.QuerySet["ParticipantInvitation"]):
    def pending(self) -> ParticipantInvitationQuerySet:
        """Invitations waiting for an answer (printed sign-in codes are no invitations)."""
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            sign_in_for__isnull=True,
        )

    def printed_codes_in_use(self) -> ParticipantInvitationQuerySet:
        """Printed codes that still sign their person in: accepted ones and sign-in codes."""
        return self.filter(
            kind=ParticipantInvitation.Kind.PRINTED,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).exclude(accepted_at__isnull=True, sign_in_for__isnull=True)


class ParticipantInvitation(models.Model):
    """An offer to take part in a partnership, sent to an e-mail address or printed.

    The address stays here and nowhere else: the event log and the e-mail's subject do not
    carry it. A printed invitation has no address but a short ``code`` typed at
    /partnerships/join/; once accepted, the same code signs its person in again until it
    expires (people without e-mail have no other way back). A partner can print a fresh
    sign-in code for such a person (``sign_in_for``), which only signs in.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("By e-mail")
        PRINTED = "printed", _("Printed")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="participant_invitations"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.EMAIL)
    email = models.EmailField(_("e-mail address"), blank=True)
    code = models.CharField(max_length=16, unique=True, null=True, blank=True, editable=False)
    sign_in_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=Participant.Role.choices,
        default=Participant.Role.ADVISOR,
    )
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ParticipantInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("participant invitation")
        verbose_name_plural = _("participant invitations")

    def __str__(self) -> str:
        return f"{self.email or self.get_kind_display()} → {self.partnership}"

    @property
    def code_display(self) -> str:
        return format_code(self.code or "")

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


# --- Consent ---------------------------------------------------------------------------

#: The version of the consent text (templates/beneficiaries/consent_text.html). Change it
#: when the text changes in substance: everyone is asked again.
CONSENT_VERSION = "2026-12"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def current(self) -> ConsentQuerySet:
        return self.filter(version=CONSENT_VERSION, withdrawn_at__isnull=True)


class Consent(models.Model):
    """A person agreed to the consent text of ``version`` at ``given_at``; perhaps withdrew."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="beneficiary_consents"
    )
    version = models.CharField(_("version of the text"), max_length=16)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"consent {self.version} of {self.user_id}"


# --- Trainings --------------------------------------------------------------------------


class TrainingQuerySet(models.QuerySet["Training"]):
    def upcoming(self) -> TrainingQuerySet:
        return self.filter(cancelled_at__isnull=True, starts_at__gte=timezone.now())

    def with_signups(self) -> TrainingQuerySet:
        return self.annotate(signup_count=models.Count("signups"))


class Training(models.Model):
    """A session where partners teach beneficiaries a skill, at a date, place and capacity."""

    class Topic(models.TextChoices):
        PLANNING = "planning", _("Planning")
        NEGOTIATION = "negotiation", _("Negotiation")
        EVIDENCE = "evidence", _("Reading evidence")
        OTHER = "other", _("Another topic")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="trainings")
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    own_topic = models.CharField(_("your own topic"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def title(self) -> str:
        if self.topic == self.Topic.OTHER and self.own_topic:
            return self.own_topic
        return str(self.get_topic_display())


class TrainingSignup(models.Model):
    """A beneficiary's place in a training; ``attended`` once the partners record it."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_signups"
    )
    created_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["training", "user"], name="unique_training_signup")
        ]
        verbose_name = _("training sign-up")
        verbose_name_plural = _("training sign-ups")

    def __str__(self) -> str:
        return f"{self.user_id} in {self.training_id}"
