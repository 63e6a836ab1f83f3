from typing import Any

from django.db import migrations, models
from django.db.models import Min


def keep_the_first_delivery(apps: Any, schema_editor: Any) -> None:
    """Two deliveries of one event to one endpoint (a race the constraint now closes): the
    first stays, with its attempts; the copy goes."""
    delivery = apps.get_model("api", "WebhookDelivery")
    twice = (
        delivery.objects.filter(event_id__isnull=False)
        .values("endpoint_id", "event_id")
        .annotate(first=Min("pk"), n=models.Count("pk"))
        .filter(n__gt=1)
    )
    for row in twice:
        delivery.objects.filter(endpoint_id=row["endpoint_id"], event_id=row["event_id"]).exclude(
            pk=row["first"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(keep_the_first_delivery, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="webhookdelivery",
            constraint=models.UniqueConstraint(
                fields=("endpoint", "event_id"), name="one_delivery_per_event_and_endpoint"
            ),
        ),
    ]
