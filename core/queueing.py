"""Queueing a task after a commit without letting a broker that is down break the page.

The work queued this way is always found again by a periodic sweep (or is only an early
start of what the schedule does anyway), so a message that could not be queued is logged
and left to that sweep, never raised to the person who made the change.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any, countdown: float | None = None) -> bool:
    """Queue ``task`` with ``args``; False (and a warning) when the broker refused."""
    options: dict[str, Any] = {"retry": False}
    if countdown is not None:
        options["countdown"] = countdown
    try:
        task.apply_async(args=args, **options)
    except Exception as error:  # a broker that is down must not break a page
        logger.warning("Could not queue %s (%s)", task.name, type(error).__name__)
        return False
    return True
