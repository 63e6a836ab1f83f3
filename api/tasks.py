"""The workers' side of the API room: webhook fan-out and delivery, and sweeps."""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from api import webhooks
from api.safety import idempotency_keys_purge
from core.models import Event
from core.queueing import enqueue


@shared_task(name="api.tasks.webhook_deliveries_create_task")
def webhook_deliveries_create_task(event_id: int) -> int:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    created = webhooks.deliveries_create(event=event)
    for delivery in created:
        transaction.on_commit(partial(enqueue, webhook_deliver_task, delivery.pk))
    return len(created)


@shared_task(name="api.tasks.webhook_deliver_task")
def webhook_deliver_task(delivery_id: int) -> str:
    return webhooks.deliver(delivery_id)


@shared_task(name="api.tasks.webhooks_deliver_due_task")
def webhooks_deliver_due_task() -> int:
    """Every minute (beat): each delivery whose next attempt has come, claimed one by one."""
    ids = webhooks.due_ids(timezone.now())
    for pk in ids:
        webhooks.deliver(pk)
    return len(ids)


@shared_task(name="api.tasks.webhook_deliveries_sweep_task")
def webhook_deliveries_sweep_task() -> int:
    """Every five minutes (beat): the fan-out of events whose own task never ran."""
    return len(webhooks.deliveries_sweep())


@shared_task(name="api.tasks.idempotency_keys_purge_task")
def idempotency_keys_purge_task() -> int:
    return idempotency_keys_purge()
