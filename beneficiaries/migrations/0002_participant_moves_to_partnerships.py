# Participant moves to partnerships: a partnership's third kind of member, after the city's
# staff and the partner organizations. Only the migration state changes here; the tables and
# their rows are taken over, and renamed, by partnerships 0003.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalParticipant"),
                migrations.DeleteModel(name="Participant"),
            ],
        ),
    ]
