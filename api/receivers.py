"""What the API room does after an event commits: webhooks for the endpoints that asked."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from api import webhooks
from api.tasks import webhook_deliveries_create_task
from core.events import event_committed
from core.models import Event
from core.queueing import enqueue


@receiver(event_committed, dispatch_uid="api.webhooks")
def _webhooks_for(sender: Any, event: Event, **kwargs: Any) -> None:
    if webhooks.wants(event):
        enqueue(webhook_deliveries_create_task, event.pk)
