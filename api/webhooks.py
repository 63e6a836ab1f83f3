"""Webhooks, as the Standard Webhooks specification says (https://www.standardwebhooks.com).

An organization's administrator registers an HTTPS endpoint and the event types it wants.
After an event commits (:data:`core.events.event_committed`), a delivery is stored for each
endpoint of the organizations in the event's partnership that asked for its type; the
workers send it. Each delivery keeps its ``webhook-id`` and body on every attempt and is
signed anew: ``webhook-signature`` is ``v1,`` and the base64 HMAC-SHA256 of
``id.timestamp.body``, once per secret while a rotated one is still valid.

Only a 2xx answer succeeds; redirects are not followed; 410 Gone disables the endpoint.
Other failures are tried again with exponential backoff and jitter over about three days,
later if the receiver's ``Retry-After`` asks; an endpoint failing for five days is
disabled and its organization's administrators are told by e-mail. Due deliveries are
found in the database and claimed with a conditional UPDATE (no long task ETAs), so a
lost message or a restarted worker loses nothing. Every attempt is logged.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import random
import secrets
import socket
import time
import uuid
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from standardwebhooks.webhooks import Webhook

from accounts.models import Membership
from api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from core.mail import send_templated
from core.models import Event
from partnerships.models import Partner, Partnership

logger = logging.getLogger(__name__)

# Event action -> webhook event type. Actions of rooms above partnerships are named as text:
# the API room reacts to them without importing anything.
EVENT_TYPES: dict[str, str] = {
    "partnerships.checkin.recorded": "checkin.recorded",
    "partnerships.measurement.added": "measurement.added",
    "partnerships.stage.moved": "partnership.stage_changed",
    "partnerships.partner.invited": "partner.invited",
    "health.score.changed": "health.score.changed",
    "beneficiaries.comment.answered": "beneficiaries.comment.answered",
}
TYPE_LABELS = {
    "checkin.recorded": _("A check-in was recorded"),
    "measurement.added": _("A measurement was added"),
    "partnership.stage_changed": _("A partnership moved to another stage"),
    "partner.invited": _("An organization was invited to a partnership"),
    "health.score.changed": _("A practice-health score changed"),
    "beneficiaries.comment.answered": _("A beneficiary's comment was answered"),
}

# Waits after each failed attempt: about three days in all (75 h 35 min before jitter).
BACKOFF = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
]
JITTER = 0.2
MAX_RETRY_AFTER = timedelta(hours=24)
DISABLE_AFTER = timedelta(days=5)
# A claimed delivery is not due again for this long: the attempt's own deadline.
LEASE = timedelta(minutes=5)
PREVIOUS_SECRET_VALID = timedelta(hours=24)
_ANY_ENDPOINT_KEY = "api:webhook-endpoints-active"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def forget_endpoint_cache() -> None:
    cache.delete(_ANY_ENDPOINT_KEY)


def endpoints_changed() -> None:
    """Forget the cached answer now (this transaction's own events see the change) and once
    more after the commit (a reader in between may have cached the old answer)."""
    forget_endpoint_cache()
    transaction.on_commit(forget_endpoint_cache)


def _any_endpoint() -> bool:
    """Whether any endpoint is active: most events need no query at all."""
    known = cache.get(_ANY_ENDPOINT_KEY)
    if known is None:
        known = WebhookEndpoint.objects.active().exists()
        cache.set(_ANY_ENDPOINT_KEY, known, 300)
    return bool(known)


def wants(event: Event) -> bool:
    return event.action in EVENT_TYPES and _any_endpoint()


# --- Fan-out: one delivery per endpoint that asked -----------------------------------------


def _organizations_of(event: Event) -> set[int]:
    if event.partnership_id is None:
        return {event.organization_id} if event.organization_id else set()
    city = Partnership.objects.filter(pk=event.partnership_id).values_list("city_id", flat=True)
    partners = Partner.objects.accepted().filter(partnership_id=event.partnership_id)
    organizations = set(city) | set(partners.values_list("organization_id", flat=True))
    invited = event.data.get("organization_id")
    if event.action == "partnerships.partner.invited" and isinstance(invited, int):
        # The invited organization hears of its invitation too (the web shows it to it).
        organizations.add(invited)
    return organizations


def payload_for(event: Event, event_type: str) -> str:
    data = {
        "event": event.pk,
        "partnership": event.partnership_id,
        "organization": event.organization_id,
        "object": event.target_id,
        **event.data,
    }
    body = {"type": event_type, "timestamp": event.created_at.isoformat(), "data": data}
    return json.dumps(body, separators=(",", ":"), sort_keys=True, default=str)


def deliveries_create(*, event: Event) -> list[WebhookDelivery]:
    """The deliveries an event makes; idempotent per event and endpoint."""
    event_type = EVENT_TYPES.get(event.action)
    if event_type is None or event.private:
        return []
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.active().filter(
            organization_id__in=_organizations_of(event)
        )
        if event_type in endpoint.events
    ]
    already = set(
        WebhookDelivery.objects.filter(event_id=event.pk).values_list("endpoint_id", flat=True)
    )
    body = payload_for(event, event_type)
    new = [
        WebhookDelivery(
            endpoint=endpoint,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type=event_type,
            event_id=event.pk,
            payload=body,
        )
        for endpoint in endpoints
        if endpoint.pk not in already
    ]
    if not new:
        return []
    # The task and the sweep may fan the same event out at the same moment: one delivery
    # per event and endpoint (a constraint), and only the rows written here come back.
    WebhookDelivery.objects.bulk_create(new, ignore_conflicts=True)
    return list(
        WebhookDelivery.objects.filter(message_id__in=[d.message_id for d in new]).order_by("pk")
    )


# The fan-out of an event whose task never ran (the broker refused it, or lost it) is done
# by the sweep: for events at least SETTLE old (the task's turn first), at most CATCH_UP.
SETTLE = timedelta(minutes=2)
CATCH_UP = timedelta(hours=6)
_SWEPT_KEY = "api:webhook-fan-out-swept-to"


def deliveries_sweep(*, at: datetime | None = None) -> list[WebhookDelivery]:
    """The deliveries of recent events that an endpoint may want and that have none yet.

    Each such event is looked at once: the cache keeps the last one looked at (without it,
    the sweep starts CATCH_UP back). The due sweep sends what this creates."""
    now = at or timezone.now()
    if not _any_endpoint():
        return []
    wanted = {
        event_type
        for events in WebhookEndpoint.objects.active().values_list("events", flat=True)
        for event_type in events
    }
    actions = [action for action, event_type in EVENT_TYPES.items() if event_type in wanted]
    last = int(cache.get(_SWEPT_KEY) or 0)
    created: list[WebhookDelivery] = []
    while True:
        batch = list(
            Event.objects.filter(
                pk__gt=last,
                action__in=actions,
                private=False,
                created_at__gte=now - CATCH_UP,
                created_at__lte=now - SETTLE,
            )
            .exclude(Exists(WebhookDelivery.objects.filter(event_id=OuterRef("pk"))))
            .order_by("pk")[:500]
        )
        if not batch:
            break
        for event in batch:
            created += deliveries_create(event=event)
        last = batch[-1].pk
        cache.set(_SWEPT_KEY, last, None)
    return created


# --- Where a delivery may go ---------------------------------------------------------------


class AddressRefused(Exception):
    pass


def check_address(url: str) -> None:
    """HTTPS to a public address only (unless TANDEM_WEBHOOKS_ALLOW_PRIVATE)."""
    parts = urlsplit(url)
    allow_private = settings.TANDEM_WEBHOOKS_ALLOW_PRIVATE
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise AddressRefused("only https addresses are allowed")
    if not parts.hostname:
        raise AddressRefused("the address has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise AddressRefused("the host name does not resolve") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise AddressRefused("the host resolves to a private or loopback address")


# --- Sending -------------------------------------------------------------------------------


def signature(endpoint: WebhookEndpoint, message_id: str, at: datetime, body: str) -> str:
    return " ".join(
        Webhook(secret).sign(msg_id=message_id, timestamp=at, data=body)
        for secret in endpoint.secrets(at)
    )


def _retry_after(value: str | None, now: datetime) -> timedelta | None:
    if not value:
        return None
    try:
        wait = timedelta(seconds=max(0, int(value.strip())))
    except ValueError:
        try:
            wait = parsedate_to_datetime(value) - now
        except (TypeError, ValueError):
            return None
    return min(max(wait, timedelta(0)), MAX_RETRY_AFTER)


def next_wait(attempts: int, retry_after: timedelta | None) -> timedelta | None:
    """The wait before the next attempt after ``attempts`` failed ones; None: give up."""
    if attempts > len(BACKOFF):
        return None
    base = BACKOFF[attempts - 1]
    wait = base * (1 + random.uniform(-JITTER, JITTER))
    return max(wait, retry_after) if retry_after else wait


def _admins_told(endpoint: WebhookEndpoint) -> None:
    admins = Membership.objects.filter(
        organization_id=endpoint.organization_id, role=Membership.Role.ADMIN
    ).select_related("user", "organization")
    for membership in admins:
        send_templated(
            to=membership.user.email,
            subject=str(_("A webhook endpoint was turned off")),
            template="api/email/webhook_disabled",
            context={"endpoint": endpoint, "organization": membership.organization},
        )


def endpoint_disable(endpoint: WebhookEndpoint, *, reason: str, now: datetime) -> None:
    with transaction.atomic():
        changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, disabled_at__isnull=True).update(
            disabled_at=now, disabled_reason=reason[:200]
        )
        if changed:
            endpoint.disabled_at, endpoint.disabled_reason = now, reason[:200]
            endpoints_changed()
            _admins_told(endpoint)


def deliver(delivery_id: int, *, now: datetime | None = None) -> str:
    """One attempt of a due delivery, if this caller claims it; says what happened."""
    now = now or timezone.now()
    claimed = (
        WebhookDelivery.objects.due(now).filter(pk=delivery_id).update(next_attempt_at=now + LEASE)
    )
    if not claimed:
        return "not due"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if endpoint.disabled_at is not None:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED)
        return "endpoint disabled"
    code: int | None = None
    error = ""
    retry_after: timedelta | None = None
    started = time.monotonic()
    try:
        check_address(endpoint.url)
        answer = requests.post(
            endpoint.url,
            data=delivery.payload.encode(),
            headers={
                "content-type": "application/json",
                "user-agent": "Tandem-Webhooks/1",
                "webhook-id": delivery.message_id,
                "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": signature(
                    endpoint, delivery.message_id, now, delivery.payload
                ),
            },
            timeout=settings.TANDEM_WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
        code = answer.status_code
        retry_after = _retry_after(answer.headers.get("Retry-After"), now)
        answer.close()
    except AddressRefused as refused:
        error = str(refused)
    except requests.RequestException as failure:
        error = type(failure).__name__
    duration = int((time.monotonic() - started) * 1000)
    WebhookAttempt.objects.create(
        delivery=delivery, at=now, status_code=code, duration_ms=duration, error=error[:300]
    )
    attempts = delivery.attempts + 1
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.SUCCEEDED, attempts=attempts, last_status_code=code
        )
        if endpoint.failing_since is not None:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        return "succeeded"
    if code == 410:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, attempts=attempts, last_status_code=code
        )
        endpoint_disable(endpoint, reason="The receiver answered 410 Gone.", now=now)
        return "gone"
    wait = next_wait(attempts, retry_after)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING if wait else WebhookDelivery.Status.FAILED,
        attempts=attempts,
        last_status_code=code,
        next_attempt_at=now + wait if wait else now,
    )
    failing_since = endpoint.failing_since or now
    if endpoint.failing_since is None:
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
            failing_since=now
        )
    if failing_since <= now - DISABLE_AFTER:
        endpoint_disable(endpoint, reason="Every delivery failed for five days.", now=now)
        return "disabled"
    return "retry" if wait else "failed"


def due_ids(now: datetime, limit: int = 500) -> list[int]:
    return list(
        WebhookDelivery.objects.due(now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
