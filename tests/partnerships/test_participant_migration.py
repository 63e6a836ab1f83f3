"""Participant moved from beneficiaries to partnerships, keeping its rows and history rows.

The database is migrated back to before the move, given rows in the old tables, and
migrated forward again; whatever happens, it ends at the latest migrations.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# accounts steps back too: its later columns would otherwise meet rows the old models write.
BEFORE = [
    ("beneficiaries", "0001_initial"),
    ("partnerships", "0002_portfolio_indexes"),
    ("accounts", "0002_site_name"),
]
AFTER = [
    ("beneficiaries", "0002_participant_moves_to_partnerships"),
    ("partnerships", "0003_participant_from_beneficiaries"),
    ("accounts", "0002_site_name"),
]
CONSENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

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


def _old_rows(apps: Apps) -> dict[str, int]:
    """A participant with two history rows and a permission on its content type, the old way."""
    User = apps.get_model("accounts", "User")
    Organization = apps.get_model("accounts", "Organization")
    Partnership = apps.get_model("partnerships", "Partnership")
    Participant = apps.get_model("beneficiaries", "Participant")
    HistoricalParticipant = apps.get_model("beneficiaries", "HistoricalParticipant")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")

    resident = User.objects.create(email="resident@example.net", password="!")
    contact = User.objects.create(email="contact@riverton.gov", password="!")
    city = Organization.objects.create(name="Riverton", slug="riverton", kind="city")
    lead = Organization.objects.create(name="Harvest", slug="harvest", kind="social_enterprise")
    partnership = Partnership.objects.create(
        title="Community meals", city=city, lead=lead, goal="Meals", problem_statement="Hunger"
    )
    participant = Participant.objects.create(
        partnership=partnership,
        user=resident,
        role="co_planner",
        consent_given_at=CONSENT,
        invited_by=contact,
    )
    for history_type, role in (("+", "advisor"), ("~", "co_planner")):
        HistoricalParticipant.objects.create(
            id=participant.pk,
            partnership_id=partnership.pk,
            user_id=resident.pk,
            invited_by_id=contact.pk,
            role=role,
            consent_given_at=CONSENT,
            created_at=participant.created_at,
            history_date=CONSENT,
            history_type=history_type,
            history_user=contact,
        )
    # Only the old app's content type, as in a database that never had the new one.
    ContentType.objects.filter(app_label="partnerships", model="participant").delete()
    content_type, _ = ContentType.objects.get_or_create(
        app_label="beneficiaries", model="participant"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_participant",
        defaults={"name": "Can view participant"},
    )
    return {
        "participant": participant.pk,
        "partnership": partnership.pk,
        "resident": resident.pk,
        "contact": contact.pk,
        "content_type": content_type.pk,
        "permission": permission.pk,
    }


def test_participants_and_their_history_survive_the_move(before_the_move: Apps) -> None:
    ids = _old_rows(before_the_move)

    apps = _migrate(AFTER)

    Participant = apps.get_model("partnerships", "Participant")
    HistoricalParticipant = apps.get_model("partnerships", "HistoricalParticipant")
    participant = Participant.objects.get()
    assert participant.pk == ids["participant"]
    assert participant.partnership_id == ids["partnership"]
    assert participant.user_id == ids["resident"]
    assert participant.invited_by_id == ids["contact"]
    assert participant.role == "co_planner"
    assert participant.consent_given_at == CONSENT
    assert list(
        HistoricalParticipant.objects.order_by("history_id").values_list(
            "id", "history_type", "role", "history_user_id"
        )
    ) == [
        (ids["participant"], "+", "advisor", ids["contact"]),
        (ids["participant"], "~", "co_planner", ids["contact"]),
    ]
    # The partnership still reaches its participants, and the tables carry the new app's name.
    Partnership = apps.get_model("partnerships", "Partnership")
    assert list(
        Partnership.objects.get(pk=ids["partnership"]).participants.values_list("pk", flat=True)
    ) == [ids["participant"]]
    tables = set(connection.introspection.table_names())
    assert {"partnerships_participant", "partnerships_historicalparticipant"} <= tables
    assert not {"beneficiaries_participant", "beneficiaries_historicalparticipant"} & tables
    # Permissions given on the old content type still apply to the moved model.
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.get(pk=ids["content_type"])
    assert (content_type.app_label, content_type.model) == ("partnerships", "participant")
    Permission = apps.get_model("auth", "Permission")
    assert Permission.objects.get(pk=ids["permission"]).content_type_id == content_type.pk


def test_the_move_can_be_undone_without_losing_rows(before_the_move: Apps) -> None:
    ids = _old_rows(before_the_move)
    _migrate(AFTER)

    apps = _migrate(BEFORE)

    Participant = apps.get_model("beneficiaries", "Participant")
    HistoricalParticipant = apps.get_model("beneficiaries", "HistoricalParticipant")
    assert list(Participant.objects.values_list("pk", flat=True)) == [ids["participant"]]
    assert HistoricalParticipant.objects.filter(id=ids["participant"]).count() == 2
    ContentType = apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.get(pk=ids["content_type"]).app_label == "beneficiaries"
