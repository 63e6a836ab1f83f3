"""What beneficiaries have in Tandem: the invitations that bring them in (by e-mail or on
paper), their consent, and the trainings they sign up for."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from partnerships.models import CheckIn, Participant, Partnership, PlanSection, PlanVersion

if TYPE_CHECKING:
    from accounts.models import User

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


# --- The plan's comments: "you said, we did" ------------------------------------------------

#: At this many different reporters a comment is hidden until a moderator decides.
REPORTS_TO_HIDE = 3
#: How long the author may still correct what they wrote.
EDIT_MINUTES = 15
COMMENT_MAX_LENGTH = 4000


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class AnswerFigures:
    comments: int
    answered: int
    median_wait: timedelta | None

    @property
    def share_answered(self) -> int | None:
        """Per cent, rounded; None before the first comment."""
        return round(100 * self.answered / self.comments) if self.comments else None


class CommentQuerySet(models.QuerySet["Comment"]):
    def of_partnership(self, partnership: Partnership) -> CommentQuerySet:
        return self.filter(partnership=partnership)

    def shown(self, user: User, *, moderator: bool) -> CommentQuerySet:
        """What a person of the partnership reads: moderators everything; everyone else what
        is not hidden, and their own comments (a hidden one says so to its author)."""
        if moderator:
            return self
        mine = models.Q(author=user) if user.is_authenticated else models.Q(pk__in=[])
        return self.filter(models.Q(hidden_at__isnull=True) | mine)

    def top_level(self) -> CommentQuerySet:
        return self.filter(parent__isnull=True)

    def answer_figures(self) -> AnswerFigures:
        """How many of these comments (replies aside, hidden ones aside) were answered, and
        the median time to an answer."""
        rows = list(
            self.top_level()
            .filter(hidden_at__isnull=True)
            .values_list("created_at", "answer__answered_at")
        )
        waits = [answered - created for created, answered in rows if answered is not None]
        return AnswerFigures(
            comments=len(rows),
            answered=len(waits),
            median_wait=_median(waits),
        )

    def on_heading(self, heading: str) -> CommentQuerySet:
        """One section's comments through every version: a section keeps its heading."""
        return self.filter(section__heading__iexact=heading)


class Comment(models.Model):
    """What someone said about a section of the plan, pinned to the version they read.

    Written on the website by its author, or gathered offline (at a meeting, on paper) and
    recorded by a partner on the residents' behalf. A reply answers a comment one level
    deep. ``author`` is kept empty once a person's account is erased: the comment then
    reads as a former participant's.
    """

    class Source(models.TextChoices):
        ONLINE = "online", _("Written here")
        OFFLINE = "offline", _("Gathered offline")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_comments",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ONLINE)
    # Offline voices: who spoke (named with their consent; empty means the residents at the
    # meeting), when, and which partner wrote it down.
    spoken_by = models.CharField(_("who said it"), max_length=200, blank=True)
    spoken_on = models.DateField(_("when it was said"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_for = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Counted by the database as reports arrive (beneficiaries.services.comment_report).
    report_count = models.PositiveIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)
    # A moderator's last decision; once decided, reports no longer hide the comment by count.
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderation_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["partnership", "created_at"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.section_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_offline(self) -> bool:
        return self.source == self.Source.OFFLINE

    def editable_until(self) -> datetime:
        return self.created_at + timedelta(minutes=EDIT_MINUTES)


class CommentReport(models.Model):
    """One person's report of a comment; a person reports a comment once."""

    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", _("It is offensive")
        PERSONAL_DATA = "personal_data", _("It shows someone's personal data")
        SPAM = "spam", _("It is spam")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    # Kept when the reporter's account is erased: what was reported stays counted.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comment_reports",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_person")
        ]
        verbose_name = _("report of a comment")
        verbose_name_plural = _("reports of comments")

    def __str__(self) -> str:
        return f"report of {self.comment_id}: {self.reason}"


class CommentAnswer(models.Model):
    """A partner's answer to a comment ("you said, we did"), and the plan version it changed."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="answer")
    body = models.TextField(_("answer"), max_length=COMMENT_MAX_LENGTH)
    changed_version = models.ForeignKey(
        PlanVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer to a comment")
        verbose_name_plural = _("answers to comments")

    def __str__(self) -> str:
        return f"answer to {self.comment_id}"


class CheckInAttendance(models.Model):
    """A beneficiary who took part in a check-in."""

    checkin = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, related_name="beneficiary_attendance"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="checkin_attendance"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["checkin", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "participant"], name="one_attendance_per_participant"
            )
        ]
        verbose_name = _("beneficiary at a check-in")
        verbose_name_plural = _("beneficiaries at check-ins")

    def __str__(self) -> str:
        return f"{self.participant_id} at {self.checkin_id}"
