"""The periodic check-in sweep: every open partnership ends up with exactly one check-in ahead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import schedule as celery_schedule
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.celery import app
from partnerships import tasks
from partnerships.models import CheckIn, Partnership
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs tasks in-process even where a broker is configured."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


def _scheduled(partnership: Partnership) -> list[CheckIn]:
    return list(partnership.checkins.filter(status=CheckIn.Status.SCHEDULED))


def test_sweep_schedules_one_checkin_for_each_open_partnership_without_one() -> None:
    bare = f.PartnershipFactory(cadence=Partnership.Cadence.WEEKLY)
    already = f.PartnershipFactory()
    existing = f.CheckInFactory(partnership=already)

    created = tasks.checkins_ensure_next_task.delay().get()

    assert created == 1
    [checkin] = _scheduled(bare)
    assert checkin.due_date == timezone.localdate() + timedelta(weeks=1)
    assert _scheduled(already) == [existing]


def test_sweep_leaves_closed_partnerships_alone() -> None:
    closed = f.PartnershipFactory(status=Partnership.Status.CLOSED)

    assert tasks.checkins_ensure_next_task.delay().get() == 0

    assert not closed.checkins.exists()


def test_sweep_run_twice_schedules_nothing_twice() -> None:
    partnerships = [f.PartnershipFactory() for _ in range(3)]

    first = tasks.checkins_ensure_next_task.delay().get()
    second = tasks.checkins_ensure_next_task.delay().get()

    assert (first, second) == (3, 0)
    for partnership in partnerships:
        assert len(_scheduled(partnership)) == 1


def test_sweep_walks_every_batch() -> None:
    partnerships = [f.PartnershipFactory() for _ in range(7)]

    created = tasks.checkins_ensure_next_task.delay(batch_size=2).get()

    assert created == 7
    assert all(len(_scheduled(p)) == 1 for p in partnerships)


def test_sweep_counts_from_the_last_held_checkin() -> None:
    partnership = f.PartnershipFactory(cadence=Partnership.Cadence.FORTNIGHTLY)
    held_on = timezone.localdate() - timedelta(days=3)
    f.CheckInFactory(
        partnership=partnership,
        due_date=held_on,
        status=CheckIn.Status.HELD,
        held_on=held_on,
    )

    tasks.checkins_ensure_next_task.delay().get()

    [checkin] = _scheduled(partnership)
    assert checkin.due_date == held_on + timedelta(weeks=2)


def _sweep_queries(count: int) -> int:
    CheckIn.objects.all().delete()
    Partnership.objects.all().delete()
    for _ in range(count):
        f.PartnershipFactory()
    with CaptureQueriesContext(connection) as queries:
        assert tasks.checkins_ensure_next_task.delay().get() == count
    return len(queries)


def test_sweep_spends_as_many_statements_on_thirty_partnerships_as_on_three() -> None:
    assert _sweep_queries(30) == _sweep_queries(3)


def test_sweep_is_in_the_beat_schedule_and_registered_with_the_app() -> None:
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.checkins_ensure_next_task.name
    ]

    assert len(entries) == 1
    interval = entries[0]["schedule"]
    seconds = (
        interval.run_every.total_seconds()
        if isinstance(interval, celery_schedule)
        else float(interval)
    )
    assert 0 < seconds <= 24 * 60 * 60
    app.loader.import_default_modules()
    assert tasks.checkins_ensure_next_task.name in app.tasks
