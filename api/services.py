"""Every change to tokens and webhook endpoints: checked, validated, logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from api import auth, webhooks
from api.events import Action
from api.models import ApiToken, Scope, WebhookDelivery, WebhookEndpoint
from api.permissions import can_manage_api
from api.tasks import webhook_deliver_task
from core.events import log_event
from core.queueing import enqueue


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@dataclass(frozen=True)
class MadeToken:
    token: ApiToken
    # Shown once, never stored.
    secret: str


@transaction.atomic
def token_create(
    *,
    actor: User,
    organization: Organization,
    name: str,
    scope: str,
    expires_at: datetime | None = None,
) -> MadeToken:
    _require(can_manage_api(actor, organization))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most %(limit)d characters.") % {"limit": 100}})
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose read, or read and write.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose a moment in the future.")})
    secret = auth.new_secret()
    token = ApiToken.objects.create(
        organization=organization,
        created_by=actor,
        name=name,
        scope=scope,
        prefix=secret.prefix,
        secret_hash=secret.secret_hash,
        expires_at=expires_at,
    )
    log_event(
        actor=actor,
        action=Action.TOKEN_CREATED,
        target=token,
        organization_id=organization.pk,
        data={"name": token.name, "scope": scope, "expires_at": expires_at},
    )
    return MadeToken(token=token, secret=secret.plain)


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    _require(can_manage_api(actor, token.organization))
    now = timezone.now()
    # Conditional: revoking twice keeps the first moment and logs once.
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor
    ):
        token.revoked_at, token.revoked_by = now, actor
        log_event(
            actor=actor,
            action=Action.TOKEN_REVOKED,
            target=token,
            organization_id=token.organization_id,
            data={"name": token.name},
        )
    return token


def _checked_events(events: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    if not chosen:
        raise ValidationError({"events": _("Choose at least one event.")})
    if any(name not in webhooks.TYPE_LABELS for name in chosen):
        raise ValidationError({"events": _("Choose events from the list.")})
    return chosen


@transaction.atomic
def webhook_create(
    *, actor: User, organization: Organization, url: str, events: list[str], description: str = ""
) -> WebhookEndpoint:
    _require(can_manage_api(actor, organization))
    url = url.strip()
    if len(url) > 500:
        raise ValidationError({"url": _("Use at most %(limit)d characters.") % {"limit": 500}})
    try:
        webhooks.check_address(url)
    except webhooks.AddressRefused:
        raise ValidationError({"url": _("Give an https address on the public internet.")}) from None
    if len(description.strip()) > 200:
        raise ValidationError(
            {"description": _("Use at most %(limit)d characters.") % {"limit": 200}}
        )
    endpoint = WebhookEndpoint.objects.create(
        organization=organization,
        created_by=actor,
        url=url,
        description=description.strip(),
        events=_checked_events(events),
        secret=webhooks.new_secret(),
    )
    log_event(
        actor=actor,
        action=Action.WEBHOOK_CREATED,
        target=endpoint,
        organization_id=organization.pk,
        data={"events": endpoint.events},
    )
    webhooks.endpoints_changed()
    return endpoint


@transaction.atomic
def webhook_rotate_secret(*, actor: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret; the old one keeps signing for a day, so the receiver can switch."""
    _require(can_manage_api(actor, endpoint.organization))
    now = timezone.now()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + webhooks.PREVIOUS_SECRET_VALID
    endpoint.secret = webhooks.new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    log_event(
        actor=actor,
        action=Action.WEBHOOK_SECRET_ROTATED,
        target=endpoint,
        organization_id=endpoint.organization_id,
    )
    return endpoint


@transaction.atomic
def webhook_remove(*, actor: User, endpoint: WebhookEndpoint) -> None:
    _require(can_manage_api(actor, endpoint.organization))
    log_event(
        actor=actor,
        action=Action.WEBHOOK_REMOVED,
        organization_id=endpoint.organization_id,
        data={"endpoint": endpoint.pk},
    )
    endpoint.delete()
    webhooks.endpoints_changed()


@transaction.atomic
def webhook_replay(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Sends a delivery again by hand, with the same webhook-id and body (an endpoint
    turned off comes back on)."""
    endpoint = delivery.endpoint
    _require(can_manage_api(actor, endpoint.organization))
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=now
    )
    if WebhookEndpoint.objects.filter(pk=endpoint.pk, disabled_at__isnull=False).update(
        disabled_at=None, disabled_reason="", failing_since=None
    ):
        webhooks.endpoints_changed()
    log_event(
        actor=actor,
        action=Action.WEBHOOK_REPLAYED,
        target=delivery,
        organization_id=endpoint.organization_id,
        data={"endpoint": endpoint.pk},
    )
    transaction.on_commit(lambda: enqueue(webhook_deliver_task, delivery.pk))
    delivery.refresh_from_db()
    return delivery
