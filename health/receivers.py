"""Scores follow the partnership: an event that can move them asks for a recomputation.

Connected to ``core.events.event_committed``, so only committed changes count. A burst of
events in one partnership is one recomputation: the first claims a short-lived key in the
shared cache and queues the task a few seconds later; the others find the key taken.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import cache
from django.dispatch import receiver

from core.events import event_committed
from core.models import Event
from core.queueing import enqueue
from health.events import Action
from health.tasks import COALESCE_SECONDS, coalesce_key, scores_recompute_task

# Events of these rooms describe what a partnership does; the health room's own count only
# when they change the inputs (not a score being written, nor an answer to an open round).
MOVING_PREFIXES = ("partnerships.", "beneficiaries.")
MOVING_ACTIONS = {Action.ROUND_CLOSED, Action.VALUES_WRITTEN, Action.VALUES_AGREED}


_paused = threading.local()


@contextmanager
def recompute_paused() -> Iterator[None]:
    """For bulk loads that recompute every score once at the end themselves (the demo)."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


def moves_scores(event: Event) -> bool:
    if event.partnership_id is None:
        return False
    return event.action.startswith(MOVING_PREFIXES) or event.action in MOVING_ACTIONS


@receiver(event_committed, dispatch_uid="health.recompute_on_change")
def recompute_on_change(sender: Any, event: Event, **kwargs: Any) -> None:
    if getattr(_paused, "on", False):
        return
    if not moves_scores(event) or event.action == "partnerships.partnership.deleted":
        return
    assert event.partnership_id is not None
    key = coalesce_key(event.partnership_id)
    if cache.add(key, 1, timeout=COALESCE_SECONDS * 6) and not enqueue(
        scores_recompute_task, event.partnership_id, countdown=COALESCE_SECONDS
    ):
        # Not queued (the broker is down): the next change may try again, and the nightly
        # recomputation catches up in any case.
        cache.delete(key)
