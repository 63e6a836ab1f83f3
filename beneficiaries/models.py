"""Invitations that bring a beneficiary into a partnership as a participant."""

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


def _expiry() -> datetime:
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class ParticipantInvitationQuerySet(models.QuerySet["ParticipantInvitation"]):
    def pending(self) -> ParticipantInvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class ParticipantInvitation(models.Model):
    """An offer to take part in a partnership, sent to an e-mail address.

    The address stays here and nowhere else: the event log and the e-mail's subject do not
    carry it.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="participant_invitations"
    )
    email = models.EmailField(_("e-mail address"))
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
        return f"{self.email} → {self.partnership}"


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
