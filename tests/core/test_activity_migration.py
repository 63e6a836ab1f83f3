"""The old partnership timeline (partnerships.Activity) moves into the event log and back.

The database is migrated back to before the move, given timeline rows the old way, and
migrated forward; whatever happens, it ends at the latest migrations.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from core.events import describe
from core.models import Event

BEFORE = [
    ("partnerships", "0003_participant_from_beneficiaries"),
    ("core", "0001_initial"),
    ("accounts", "0002_site_name"),
]
AFTER = [("partnerships", "0004_activity_to_event")]
MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str]]) -> Apps:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_move() -> Iterator[Apps]:
    try:
        yield _migrate(BEFORE)
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())


def test_timeline_lines_become_events_and_read_as_they_did(before_the_move: Apps) -> None:
    apps = before_the_move
    User = apps.get_model("accounts", "User")
    Organization = apps.get_model("accounts", "Organization")
    Partnership = apps.get_model("partnerships", "Partnership")
    Activity = apps.get_model("partnerships", "Activity")
    contact = User.objects.create(email="contact@riverton.gov", password="!", name="Rosa")
    city = Organization.objects.create(name="Riverton", slug="riverton", kind="city")
    lead = Organization.objects.create(name="Harvest", slug="harvest", kind="social_enterprise")
    partnership = Partnership.objects.create(
        title="Community meals", city=city, lead=lead, goal="Meals", problem_statement="Hunger"
    )
    Activity.objects.create(
        partnership=partnership,
        actor=contact,
        verb="checkin_recorded",
        summary="held on 2026-03-01",
        created_at=MOMENT,
    )
    Activity.objects.create(
        partnership=partnership, actor=None, verb="need_stated", summary="", private=True
    )

    _migrate(AFTER)

    recorded, stated = Event.objects.filter(partnership_id=partnership.pk).order_by("pk")
    assert recorded.action == "partnerships.checkin.recorded"
    assert (recorded.actor_id, recorded.actor_kind) == (contact.pk, Event.ActorKind.PERSON)
    assert recorded.created_at == MOMENT
    assert recorded.organization_id == city.pk
    assert recorded.data == {"summary": "held on 2026-03-01"}
    assert recorded.private is False
    assert (stated.action, stated.actor_kind, stated.private) == (
        "partnerships.need.stated",
        Event.ActorKind.SYSTEM,
        True,
    )
    with translation.override("en"):
        assert describe(recorded) == "recorded a check-in: held on 2026-03-01"
        assert describe(stated) == "stated a financial need"

    # And back: the lines return to the old table with their text.
    apps = _migrate(BEFORE)
    lines = apps.get_model("partnerships", "Activity").objects.order_by("pk")
    assert [(a.verb, a.summary, a.private) for a in lines] == [
        ("checkin_recorded", "held on 2026-03-01", False),
        ("need_stated", "", True),
    ]
    assert not Event.objects.exists()
