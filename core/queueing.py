"""Queueing a task after a commit without letting a broker that is down break the page.

The work queued this way is always found again by a periodic sweep (or is only an early
start of what the schedule does anyway), so a message that could not be queued is logged
and left to that sweep, never raised to the person who made the change. After a refusal
the broker is left alone for a little while: every later change of the same request (or
of the next ones) would otherwise wait out the same refusal again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Task
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# How long a refused broker is left alone before the next try.
PAUSE_SECONDS = 30.0
_paused_until = 0.0


def enqueue(task: Task, *args: Any, countdown: float | None = None) -> bool:
    """Queue ``task`` with ``args``; False (and a warning) when the broker refused."""
    global _paused_until
    if time.monotonic() < _paused_until:
        logger.info("Not queueing %s: the broker refused a moment ago", task.name)
        return False
    options: dict[str, Any] = {"retry": False}
    if countdown is not None:
        options["countdown"] = countdown
    try:
        task.apply_async(args=args, **options)
    except (OperationalError, OSError) as error:  # the broker is down: leave it alone a while
        # Run in-process (no broker), an error is the task's own: nothing to pause.
        if not task.app.conf.task_always_eager:
            _paused_until = time.monotonic() + PAUSE_SECONDS
        logger.warning("Could not queue %s (%s)", task.name, type(error).__name__)
        return False
    except Exception as error:  # a task run in-process that failed must not break a page
        logger.warning("Could not run %s (%s)", task.name, type(error).__name__)
        return False
    return True
