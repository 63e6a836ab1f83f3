"""Background work for notifications. Each task calls a service; reruns are harmless because
the dispatch rows, not the tasks, know what was sent."""

from __future__ import annotations

from celery import shared_task

from notifications import services, surveys


@shared_task(
    name="notifications.tasks.dispatches_send_task",
    acks_late=True,
    reject_on_worker_lost=True,
)
def dispatches_send_task(limit: int | None = None, once: bool = False) -> int:
    """Sends every dispatch that is due, batch after batch (or one batch of ``limit`` when
    ``once``). Returns how many it claimed."""
    if once:
        return services.dispatches_send(limit=limit or services.SEND_BATCH_SIZE)
    return services.dispatches_send_all(limit=limit)


@shared_task(
    name="notifications.tasks.notifications_sweep_task",
    acks_late=True,
    reject_on_worker_lost=True,
)
def notifications_sweep_task() -> dict[str, int]:
    """Periodic: flags what was cut off while sending, finds what is due (reminders, events a
    receiver missed, digests), then sends it all."""
    flagged = services.dispatches_reap()
    reminders = services.reminders_sweep() + surveys.survey_reminders_sweep()
    events = services.events_sweep()
    digests = services.digests_schedule()
    sent = services.dispatches_send_all()
    return {
        "flagged": flagged,
        "reminders": reminders,
        "events": events,
        "digests": digests,
        "claimed": sent,
    }
