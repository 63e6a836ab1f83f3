"""Partners added before invitations existed took part from the start: they count as accepted."""

from django.db import migrations
from django.db.migrations.state import StateApps
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def accept_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Partner = apps.get_model("partnerships", "Partner")
    Partner.objects.using(schema_editor.connection.alias).update(status="accepted")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0007_partner_invitation")]

    operations = [migrations.RunPython(accept_existing, migrations.RunPython.noop)]
