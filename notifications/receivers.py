"""Events become dispatches the moment their transaction commits. The sweep reads the log
again later, so an event this receiver missed (a crash, a database hiccup) is still told."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from core.models import Event
from notifications import kinds, services

logger = logging.getLogger(__name__)


def on_event_committed(sender: type[Event], event: Event, **kwargs: Any) -> None:
    if event.action not in kinds.EVENT_RULES:
        return
    try:
        with transaction.atomic():
            services.dispatches_for_events([event])
    except Exception:
        logger.exception("Notifications for event %s left to the sweep", event.pk)
