"""The database cache's table: the shared cache (sign-in rate limits above all) when Tandem
runs without Redis, and the fallback while Redis is down. A migration, so that `migrate`
alone sets up a site; Django's `createcachetable` would be one more command to forget."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "tandem_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
