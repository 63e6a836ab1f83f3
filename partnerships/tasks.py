"""Background work for partnerships. Each task takes ids and calls a service; nothing else."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db.models import Exists, OuterRef

from partnerships import services
from partnerships.models import CheckIn, Partnership, PartnershipQuerySet

logger = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 200


def _partnerships_missing_a_checkin() -> PartnershipQuerySet:
    scheduled = CheckIn.objects.filter(partnership=OuterRef("pk"), status=CheckIn.Status.SCHEDULED)
    return (
        Partnership.objects.active()
        .exclude(status=Partnership.Status.CLOSED)
        .filter(~Exists(scheduled))
    )


@shared_task(name="partnerships.tasks.checkins_ensure_next_task")
def checkins_ensure_next_task(batch_size: int = SWEEP_BATCH_SIZE) -> int:
    """Periodic sweep: every partnership that is not closed gets its next check-in scheduled.

    The service is idempotent, so a duplicated or retried run schedules nothing twice, and a
    failure on one partnership is logged and leaves the others to be swept. Returns how many
    check-ins were scheduled.
    """
    scheduled = 0
    last_pk = 0
    while True:
        # Keyset pagination: rows that get a check-in drop out of the filter, so an offset
        # would skip partnerships; walking by primary key never does.
        ids = list(
            _partnerships_missing_a_checkin()
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return scheduled
        for partnership in Partnership.objects.filter(pk__in=ids).order_by("pk"):
            try:
                if services.checkin_ensure_next(partnership=partnership) is not None:
                    scheduled += 1
            except Exception:
                # Only the id is logged: titles and goals may be private.
                logger.exception(
                    "Could not schedule the next check-in of partnership %s", partnership.pk
                )
        last_pk = ids[-1]
