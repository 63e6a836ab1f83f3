# Participant and its history come over from beneficiaries with their rows: the models enter
# this app's state on the tables they already have, then those tables take this app's names.
# The content types move too, so permissions and admin log entries keep pointing at them.

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ("participant", "historicalparticipant")


def _move_content_types(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED_MODELS:
        # A fresh database has no content types yet; they are created after migrating.
        if not content_types.filter(app_label=target, model=model).exists():
            content_types.filter(app_label=source, model=model).update(app_label=target)


def content_types_forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="beneficiaries", target="partnerships")


def content_types_backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="partnerships", target="beneficiaries")


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0002_participant_moves_to_partnerships"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnerships", "0002_portfolio_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalParticipant",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("advisor", "Advisor"),
                                    ("co_planner", "Co-planner"),
                                    ("reviewer", "Reviewer"),
                                ],
                                default="advisor",
                                max_length=16,
                                verbose_name="role",
                            ),
                        ),
                        (
                            "consent_given_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="consent given"
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "invited_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "partnership",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="partnerships.partnership",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical participant",
                        "verbose_name_plural": "historical participants",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                        "db_table": "beneficiaries_historicalparticipant",
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Participant",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("advisor", "Advisor"),
                                    ("co_planner", "Co-planner"),
                                    ("reviewer", "Reviewer"),
                                ],
                                default="advisor",
                                max_length=16,
                                verbose_name="role",
                            ),
                        ),
                        (
                            "consent_given_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="consent given"
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "invited_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "partnership",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="participants",
                                to="partnerships.partnership",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="participations",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "participant",
                        "verbose_name_plural": "participants",
                        "ordering": ["created_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("partnership", "user"), name="unique_participant"
                            )
                        ],
                        "db_table": "beneficiaries_participant",
                    },
                ),
            ],
        ),
        # The only database changes: the two tables are renamed, rows and all.
        migrations.AlterModelTable(name="participant", table=None),
        migrations.AlterModelTable(name="historicalparticipant", table=None),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
