"""Pulse survey rounds and their answers, the shared values, and the stored scores.

Answers are kept per person only to stop a person answering twice and to remind those who
have not: no page or export shows them per person. What is shown is worked out by
``health.scoring``, which hides whatever could point at someone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from partnerships.models import Partnership
from playbook.models import Practice, SurveyStatement


class Group(models.TextChoices):
    CITY = "city", _("City")
    ENTREPRENEURS = "entrepreneurs", _("Entrepreneurs")
    BENEFICIARIES = "beneficiaries", _("Beneficiaries")


class SurveyRoundQuerySet(models.QuerySet["SurveyRound"]):
    def open(self) -> SurveyRoundQuerySet:
        return self.filter(closed_at__isnull=True)

    def closed(self) -> SurveyRoundQuerySet:
        return self.filter(closed_at__isnull=False)


class SurveyRound(models.Model):
    """One round of the pulse survey in one partnership: opened, answered, closed."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="survey_rounds"
    )
    number = models.PositiveIntegerField()
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closes_on = models.DateField(_("closes on"))
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SurveyRoundQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="unique_round_number"),
            # One open round at a time: two would split the same people's answers.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(closed_at__isnull=True),
                name="one_open_round",
            ),
        ]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self) -> str:
        return f"{self.partnership} · {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def waiting_for(self) -> models.QuerySet[User]:
        """Who may answer this round and has not: the people to remind."""
        partnership = self.partnership
        organizations = {partnership.city_id, *partnership.partner_organization_ids()}
        answered = self.responses.exclude(respondent=None).values("respondent_id")
        return (
            User.objects.filter(
                Q(memberships__organization_id__in=organizations)
                | Q(participations__partnership_id=partnership.pk),
                is_active=True,
            )
            .exclude(pk__in=answered)
            .distinct()
        )


class SurveyResponse(models.Model):
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    # Kept to stop double answers and to remind; null once the person's account is erased.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    group = models.CharField(max_length=16, choices=Group.choices)
    submitted_at = models.DateTimeField()
    remark = models.TextField(_("anything else you want to tell the partners?"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent"], name="one_response_per_person"),
        ]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.round} · {self.get_group_display()}"


class SurveyRating(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="ratings")
    statement = models.ForeignKey(SurveyStatement, on_delete=models.PROTECT, related_name="+")
    # 1-5; null is "don't know".
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "statement"], name="one_rating_each"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.rating}"


class ValuesVersion(models.Model):
    """The partnership's shared values, as written at one time. A change is a new version."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="values_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField(_("our shared values"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="unique_values_number"),
        ]
        verbose_name = _("shared values")
        verbose_name_plural = _("shared values")

    def __str__(self) -> str:
        return f"{self.partnership} · {self.number}"


class ValuesAgreement(models.Model):
    """A partner organization's yes to one version, given by one of its administrators."""

    version = models.ForeignKey(ValuesVersion, on_delete=models.CASCADE, related_name="agreements")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organization"], name="one_agreement_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.organization}"


class ScoreFields(models.Model):
    """What a stored score holds, whether current or of a closed round."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    formula_version = models.PositiveSmallIntegerField()
    perception = models.PositiveSmallIntegerField(null=True)
    band = models.CharField(max_length=16, blank=True)
    behaviour = models.PositiveSmallIntegerField(null=True)
    combined = models.PositiveSmallIntegerField(null=True)
    confidence = models.FloatField()
    spread = models.PositiveSmallIntegerField(null=True)
    # Group figures, each signal's points, what would raise it: health.explain reads it.
    detail = models.JSONField(default=dict)
    # A digest of what the score was made from (health.services._inputs_key).
    inputs = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        abstract = True


class PracticeScore(ScoreFields):
    """A practice's current score in a partnership, recomputed as the partnership changes:
    the latest closed round's perception with the behaviour of the year up to today."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "practice"], name="one_current_score"),
        ]
        indexes = [
            models.Index(fields=["practice", "combined"], name="score_practice_combined"),
            # The recomputation's check of what each partnership's scores were made from
            # reads this index alone, not the scores' wide rows.
            models.Index(fields=["partnership", "inputs"], name="score_partnership_inputs"),
        ]
        verbose_name = _("practice score")
        verbose_name_plural = _("practice scores")

    def __str__(self) -> str:
        return f"{self.partnership} · {self.practice}: {self.combined}"


class RoundScore(ScoreFields):
    """A practice's score as it stood when a round closed: the points of the trend."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="scores")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "practice"], name="one_score_per_round"),
        ]
        verbose_name = _("round score")
        verbose_name_plural = _("round scores")

    def __str__(self) -> str:
        return f"{self.round} · {self.practice}: {self.combined}"
