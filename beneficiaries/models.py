"""Invitations that bring a beneficiary into a partnership as a participant."""

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
