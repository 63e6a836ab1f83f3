"""Background work for partnerships. Each task takes ids and calls a service; nothing else."""

from __future__ import annotations

from celery import shared_task

from partnerships import services

SWEEP_BATCH_SIZE = 500


@shared_task(name="partnerships.tasks.checkins_ensure_next_task")
def checkins_ensure_next_task(batch_size: int = SWEEP_BATCH_SIZE) -> int:
    """Periodic sweep: every partnership that is not closed gets its next check-in scheduled.

    In bulk: a few statements per batch of ``batch_size`` partnerships, however many lack a
    check-in. The service locks and reads again, so a duplicated or retried run schedules
    nothing twice. Returns how many check-ins were scheduled.
    """
    scheduled = 0
    last_pk = 0
    while True:
        # Keyset pagination: rows that get a check-in drop out of the filter, so an offset
        # would skip partnerships; walking by primary key never does.
        count, last = services.checkins_ensure_next_bulk(after_pk=last_pk, limit=batch_size)
        scheduled += count
        if last is None:
            return scheduled
        last_pk = last
