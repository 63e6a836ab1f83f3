"""Background delivery of the outbox (:mod:`core.outbox`). Each task takes ids and calls it."""

from __future__ import annotations

from celery import Task, shared_task
from django.utils import timezone

from core import outbox
from core.models import OutboundEmail


@shared_task(bind=True, name="core.tasks.outbound_email_deliver_task", max_retries=None)
def outbound_email_deliver_task(self: Task, pk: int) -> str:
    """Send one stored e-mail; after a failed attempt, come back when the next one is due.

    The row counts its own attempts and fails for good after the last one, so the retries
    end there; a retry that finds the row sent, failed or taken by the sweep does nothing.
    """
    row = outbox.outbound_email_deliver(pk)
    if row is None:
        return "nothing to do"
    if row.status == OutboundEmail.Status.PENDING:
        countdown = max((row.next_attempt_at - timezone.now()).total_seconds(), 0)
        raise self.retry(countdown=countdown)
    return row.status


@shared_task(name="core.tasks.outbound_email_deliver_due_task")
def outbound_email_deliver_due_task() -> int:
    """Periodic sweep: the rows that came due while no worker held them (a lost message,
    a worker that died, a broker that was down). Returns how many were sent."""
    return outbox.outbound_email_deliver_due()
