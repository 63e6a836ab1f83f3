import os

from django.db import migrations


def name_the_site(apps, schema_editor):
    """allauth's e-mails name the site; give it Tandem's name and the configured domain."""
    Site = apps.get_model("sites", "Site")
    domain = os.environ.get("TANDEM_SITE_DOMAIN", "127.0.0.1:8000")
    Site.objects.update_or_create(pk=1, defaults={"domain": domain, "name": "Tandem"})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
