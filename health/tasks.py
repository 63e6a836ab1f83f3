"""Background work for practice health. Each task takes ids and calls a service."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from health import services

# Changes to one partnership within this many seconds are recomputed once.
COALESCE_SECONDS = 10


def coalesce_key(partnership_id: int) -> str:
    return f"health:recompute:{partnership_id}"


@shared_task(name="health.tasks.scores_recompute_task", acks_late=True, reject_on_worker_lost=True)
def scores_recompute_task(partnership_id: int) -> int:
    # Cleared first: a change committed while this runs asks for one more run.
    cache.delete(coalesce_key(partnership_id))
    return services.scores_recompute(ids=[partnership_id])


@shared_task(
    name="health.tasks.scores_recompute_all_task", acks_late=True, reject_on_worker_lost=True
)
def scores_recompute_all_task() -> int:
    return services.scores_recompute_all()


@shared_task(name="health.tasks.rounds_close_due_task", acks_late=True, reject_on_worker_lost=True)
def rounds_close_due_task() -> int:
    return services.rounds_close_due()
