"""What a person is told, how, and the record that each thing is told exactly once.

- :class:`Dispatch`: one row per (what, recipient, channel, occasion), under a unique
  constraint, so a sweep or a receiver that runs twice creates nothing twice. Workers
  claim rows with a conditional UPDATE and a lease; an e-mail is marked *sending* before it
  leaves and *sent* after, and one whose lease ran out while sending is never sent again
  but waits for a person (*attention*).
- :class:`Notification`: what the bell counts, written in the transaction that marks its
  dispatch sent.
- :class:`Preference`: rows of kind × channel × frequency; a kind added later needs no
  migration, and a missing row means the kind's default.
- :class:`Subscriber`: a person's reminder days, calendar token and next digest times.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    APP = "app", _("In the app")
    EMAIL = "email", _("By e-mail")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Never")


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def default_reminder_days() -> list[int]:
    return [3, 0]


class Subscriber(models.Model):
    """A person's settings for being told things; created the first time it is needed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    # Days before a check-in's date to be reminded (0 is the day itself).
    reminder_days = models.JSONField(_("remind me"), default=default_reminder_days)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    # The next digest of each period, claimed by moving it on with a conditional UPDATE.
    next_daily_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_weekly_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="notification_preference_unique"
            )
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel} {self.frequency}"


class DispatchQuerySet(models.QuerySet["Dispatch"]):
    def claimable(self, now: Any) -> DispatchQuerySet:
        """Waiting, or claimed by a process whose lease ran out before it began sending."""
        return self.filter(
            Q(status=Dispatch.Status.PENDING, due_at__lte=now)
            | Q(status=Dispatch.Status.CLAIMED, lease_until__lt=now)
        )

    def needing_attention(self) -> DispatchQuerySet:
        return self.filter(status=Dispatch.Status.ATTENTION)


class Dispatch(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CLAIMED = "claimed", _("Claimed")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Nothing to send")
        FAILED = "failed", _("Failed")
        # The lease ran out while the e-mail was leaving: it may or may not have gone.
        # Never sent again by itself; a person looks (admin, `manage.py notifications_attention`).
        ATTENTION = "attention", _("Needs attention")

    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_dispatches"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # What is told ("checkin:12", "event:345", "digest:daily") and on which occasion
    # ("before:3:2026-12-05", "2026-12-02"): with the recipient and channel, unique.
    subject = models.CharField(max_length=100)
    occasion = models.CharField(max_length=100, blank=True)
    partnership_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    due_at = models.DateTimeField(default=timezone.now)
    claim = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "recipient", "channel", "occasion"],
                name="notification_dispatch_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status__in=["pending", "claimed", "sending"]),
                name="notification_dispatch_open",
            )
        ]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")

    def __str__(self) -> str:
        return f"{self.subject} {self.occasion} → {self.recipient_id} ({self.channel})"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    dispatch = models.OneToOneField(
        Dispatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    partnership_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell's count: one index-only lookup of a person's unread rows.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
