"""The partnership timeline moves into the shared event log (core.Event).

Each old line keeps its moment, actor and privacy; its verb becomes a dotted
action, and the text it stored (in the writer's language) is kept under
``summary``, which the renderers show as it was.
"""

from django.db import migrations

ACTIONS = {
    "created": "partnerships.partnership.created",
    "updated": "partnerships.partnership.updated",
    "reframed": "partnerships.partnership.reframed",
    "stage_moved": "partnerships.stage.moved",
    "partner_added": "partnerships.partner.added",
    "partner_updated": "partnerships.partner.updated",
    "partner_removed": "partnerships.partner.removed",
    "responsibility_added": "partnerships.responsibility.added",
    "responsibility_updated": "partnerships.responsibility.updated",
    "plan_published": "partnerships.plan.published",
    "checkin_recorded": "partnerships.checkin.recorded",
    "checkin_scheduled": "partnerships.checkin.scheduled",
    "progress_logged": "partnerships.progress.logged",
    "indicator_added": "partnerships.indicator.added",
    "measurement_added": "partnerships.measurement.added",
    "experiment_started": "partnerships.experiment.started",
    "experiment_closed": "partnerships.experiment.closed",
    "need_stated": "partnerships.need.stated",
    "need_updated": "partnerships.need.updated",
}
VERBS = {action: verb for verb, action in ACTIONS.items()}


def forwards(apps, schema_editor):
    Activity = apps.get_model("partnerships", "Activity")
    Event = apps.get_model("core", "Event")
    rows = Activity.objects.select_related("partnership").order_by("pk").iterator(chunk_size=2000)
    batch = []
    for row in rows:
        batch.append(
            Event(
                created_at=row.created_at,
                action=ACTIONS.get(row.verb, f"partnerships.{row.verb}"),
                actor_kind="person" if row.actor_id else "system",
                actor_id=row.actor_id,
                partnership_id=row.partnership_id,
                organization_id=row.partnership.city_id,
                data={"summary": row.summary} if row.summary else {},
                private=row.private,
            )
        )
        if len(batch) >= 2000:
            Event.objects.bulk_create(batch)
            batch = []
    Event.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    Activity = apps.get_model("partnerships", "Activity")
    Event = apps.get_model("core", "Event")
    events = Event.objects.filter(action__startswith="partnerships.", partnership_id__isnull=False)
    Activity.objects.bulk_create(
        Activity(
            partnership_id=event.partnership_id,
            actor_id=event.actor_id,
            verb=VERBS.get(event.action, "updated"),
            summary=str(event.data.get("summary", ""))[:300],
            private=event.private,
            created_at=event.created_at,
        )
        for event in events.order_by("pk").iterator(chunk_size=2000)
    )
    events.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0003_participant_from_beneficiaries"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="Activity"),
    ]
