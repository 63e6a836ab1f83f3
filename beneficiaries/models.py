"""People with lived experience taking part in a partnership."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Participant(models.Model):
    class Role(models.TextChoices):
        ADVISOR = "advisor", _("Advisor")
        CO_PLANNER = "co_planner", _("Co-planner")
        REVIEWER = "reviewer", _("Reviewer")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ADVISOR)
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="unique_participant")
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.partnership}"
