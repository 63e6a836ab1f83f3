"""The event log: one row for everything that happens in Tandem.

A row says who acted (a person, an API token with the person behind it, or
the system), what happened as a dotted action name, which object it concerns,
which partnership and organization it belongs to, and the facts as data: ids,
old and new values, names as they were. Never a sentence: the reader's
language renders it at display time (:mod:`core.events`).

The partnership and organization are kept as plain ids, not foreign keys, so
this room depends on no room above it, and the log outlives what it tells of.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventQuerySet(models.QuerySet["Event"]):
    def of_partnership(self, partnership_id: int) -> EventQuerySet:
        return self.filter(partnership_id=partnership_id)

    def of_organization(self, organization_id: int) -> EventQuerySet:
        return self.filter(organization_id=organization_id)


class Event(models.Model):
    class ActorKind(models.TextChoices):
        PERSON = "person", _("A person")
        TOKEN = "token", _("An API token")
        SYSTEM = "system", _("Tandem")

    created_at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("action"), max_length=100)
    actor_kind = models.CharField(
        _("actor kind"), max_length=8, choices=ActorKind.choices, default=ActorKind.PERSON
    )
    # The person who acted, or the person behind the token; empty for the system.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The API token's id and name as they were; the token model lives in the API room.
    token_id = models.BigIntegerField(null=True, blank=True)
    token_name = models.CharField(max_length=100, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_id = models.BigIntegerField(null=True, blank=True)
    partnership_id = models.BigIntegerField(null=True, blank=True)
    organization_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Private events (money) are shown to the partner organizations only.
    private = models.BooleanField(default=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["partnership_id", "-created_at", "-id"], name="event_partnership_idx"
            ),
            models.Index(
                fields=["organization_id", "-created_at", "-id"], name="event_organization_idx"
            ),
            models.Index(fields=["action", "created_at"], name="event_action_idx"),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.action} at {self.created_at:%Y-%m-%d %H:%M}"

    def actor_display(self) -> str:
        from core.events import actor_display

        return actor_display(self)

    def describe(self) -> str:
        from core.events import describe

        return describe(self)


class FormToken(models.Model):
    """A create form's one-time token, claimed in the transaction that creates the object.

    Every create form carries a fresh token (:class:`core.forms.OnceForm`). Sending the form
    claims it: a second submission of the same form (the back button and send again, a
    double click) finds it claimed and is sent to what the first one created instead of
    creating it twice. A refused submission rolls its claim back with everything else, so
    the person can correct the form and send it again.
    """

    token = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)
    # What the submission created, to send a second submission there.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("form token")
        verbose_name_plural = _("form tokens")

    def __str__(self) -> str:
        return f"form token used at {self.used_at:%Y-%m-%d %H:%M}"

    def target(self) -> models.Model | None:
        """What the first submission created, if it still exists."""
        if self.target_type is None or self.target_id is None:
            return None
        model = self.target_type.model_class()
        if model is None:
            return None
        return model._default_manager.filter(pk=self.target_id).first()


class OutboundEmailQuerySet(models.QuerySet["OutboundEmail"]):
    def due(self, now: datetime) -> OutboundEmailQuerySet:
        """Waiting e-mails whose next attempt has come (a claimed one is not due: its
        claim pushed ``next_attempt_at`` forward)."""
        return self.filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now)


class OutboundEmail(models.Model):
    """One e-mail on its way out: stored in the request, delivered after the commit.

    Every e-mail Tandem sends passes through here (the default mailer is
    :class:`core.mail.OutboxBackend`), so a mail server that is slow or down never holds
    up or breaks a page: the message waits in this table and the workers deliver it, with
    retries (:mod:`core.outbox`). The message is kept as readable fields, never pickled.
    Once sent, the texts are blanked: they may hold sign-in links.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    message_id = models.CharField(_("message id"), max_length=255, unique=True)
    from_email = models.CharField(_("from"), max_length=320)
    to = models.JSONField(_("to"), default=list, blank=True)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    bcc = models.JSONField(_("bcc"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.TextField(_("subject"), blank=True)
    body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(_("HTML text"), blank=True)
    headers = models.JSONField(_("other headers"), default=dict, blank=True)
    # Each one {"filename", "mimetype", "content", "base64"}: bytes are kept as base64.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_email_due_idx"),
        ]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return self.message_id
