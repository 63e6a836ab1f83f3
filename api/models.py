"""The API room's tables: tokens, idempotency keys, webhook endpoints and their deliveries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def of_organization(self, organization_id: int) -> ApiTokenQuerySet:
        return self.filter(organization_id=organization_id)

    def usable(self, now: datetime) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A partner system's key to the API, made by an administrator of an organization.

    It acts as the person who made it, with that person's permissions, narrowed by its
    scope. The secret is shown once: only its hash is kept, next to a short prefix that
    finds the row (``tdm_<prefix>_<secret>``).
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="api_tokens"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotencyKey(models.Model):
    """The first answer to a create or bulk request sent with an ``Idempotency-Key``.

    Keys belong to an organization (a token's) or to a person (a browser session): the
    ``owner`` text says which. Kept 24 hours, then swept by a periodic task.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    owner = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="api_idempotency_owner_key")
        ]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"


class WebhookEndpointQuerySet(models.QuerySet["WebhookEndpoint"]):
    def active(self) -> WebhookEndpointQuerySet:
        return self.filter(disabled_at__isnull=True)


class WebhookEndpoint(models.Model):
    """An HTTPS address an organization's administrator asked Tandem to tell of events."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    url = models.URLField(_("address"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Webhook event types (api/webhooks.py EVENT_TYPES), e.g. "checkin.recorded".
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=64)
    # After a rotation the old secret signs too, for a day, so receivers can switch over.
    previous_secret = models.CharField(max_length=64, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Since when every delivery failed; cleared by a success.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def secrets(self, now: datetime) -> list[str]:
        keys = [self.secret]
        if self.previous_secret and (
            self.previous_secret_expires_at is None or self.previous_secret_expires_at > now
        ):
            keys.append(self.previous_secret)
        return keys


class WebhookDeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def due(self, now: datetime) -> WebhookDeliveryQuerySet:
        return self.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint. Its id, body and event stay the same on every
    attempt, so a receiver can tell a retry from a new message."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=64)
    event_id = models.BigIntegerField(null=True, blank=True)
    payload = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="one_delivery_per_event_and_endpoint"
            ),
        ]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return self.message_id


class WebhookAttempt(models.Model):
    """Every try of a delivery, with what the receiver answered and how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> timedelta:
        return timedelta(milliseconds=self.duration_ms)
