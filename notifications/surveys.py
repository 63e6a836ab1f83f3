"""Reminders to answer a pulse survey: before a round closes, whoever has not answered yet.

A reminder is the round's own "survey open" news sent once more, under an occasion of its
own, so the dispatch's unique constraint lets it go once per person and round however often
the sweep runs. The people come from the round (``SurveyRound.waiting_for``): answering
takes a person off the list, and the sweep then makes nothing for them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import Event
from health.models import SurveyRound
from notifications import kinds
from notifications.models import Channel, Dispatch, Frequency
from notifications.services import dispatches_create, frequencies

# How long before a round closes its latecomers are reminded.
REMIND_DAYS_BEFORE = 3


def survey_reminders_sweep(*, at: datetime | None = None) -> int:
    """Creates the reminders owed now; returns how many it offered."""
    now = at or timezone.now()
    today = timezone.localdate(now)
    rounds = list(
        SurveyRound.objects.open()
        .filter(
            closes_on__gte=today,
            closes_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
            partnership__archived_at__isnull=True,
        )
        .select_related("partnership")
    )
    if not rounds:
        return 0
    opened = dict(
        Event.objects.filter(
            action="health.round.opened",
            target_type=ContentType.objects.get_for_model(SurveyRound),
            target_id__in=[r.pk for r in rounds],
        ).values_list("target_id", "pk")
    )
    waiting = {r.pk: set(r.waiting_for().values_list("pk", flat=True)) for r in rounds}
    chosen = frequencies(set().union(*waiting.values()), kinds.SURVEY_OPEN)
    new: list[Dispatch] = []
    for survey_round in rounds:
        event_pk = opened.get(survey_round.pk)
        if event_pk is None:
            continue
        for user_id in waiting[survey_round.pk]:
            for channel in Channel.values:
                frequency = chosen.get(
                    (user_id, channel), kinds.default_frequency(kinds.SURVEY_OPEN, channel)
                )
                if frequency != Frequency.IMMEDIATELY:
                    continue
                new.append(
                    Dispatch(
                        kind=kinds.SURVEY_OPEN,
                        recipient_id=user_id,
                        channel=channel,
                        subject=f"event:{event_pk}",
                        occasion=f"reminder:{survey_round.closes_on.isoformat()}",
                        partnership_id=survey_round.partnership_id,
                        data={"event": event_pk},
                        due_at=now,
                    )
                )
    return dispatches_create(new)
