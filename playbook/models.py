"""The playbook: the eight practices and the model pathways with their stages.

This content is seeded by a data migration. Its English text lives in the
plain fields; other languages live in ``translations`` as
``{"es": {"name": "...", ...}}`` and are read through :meth:`Translated.tr`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Translated(models.Model):
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def tr(self, field: str) -> str:
        """The field in the active language, falling back to English."""
        language = (get_language() or "en").split("-")[0]
        if language != "en":
            value = self.translations.get(language, {}).get(field)
            if value:
                return value
        return getattr(self, field)


class Practice(Translated):
    slug = models.SlugField(unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    short_description = models.TextField()
    guiding_questions = models.TextField(help_text="One question per line.")

    class Meta:
        ordering = ["number"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def __str__(self) -> str:
        return self.tr("name")

    def question_list(self) -> list[str]:
        return [q.strip() for q in self.tr("guiding_questions").splitlines() if q.strip()]


class ModelPathway(Translated):
    class Endgame(models.TextChoices):
        IMPROVE_SERVICES = "improve_services", _("Improve services")
        IMPROVE_OUTCOMES = "improve_outcomes", _("Improve outcomes")
        CHRONIC_PROBLEM = "chronic_problem", _("Tackle a chronic problem")

    slug = models.SlugField(unique=True)
    endgame = models.CharField(max_length=32, choices=Endgame.choices, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=100)
    description = models.TextField()

    class Meta:
        ordering = ["order"]
        verbose_name = _("model pathway")
        verbose_name_plural = _("model pathways")

    def __str__(self) -> str:
        return self.tr("name")


class Stage(Translated):
    pathway = models.ForeignKey(ModelPathway, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField()
    slug = models.SlugField()
    name = models.CharField(max_length=100)
    what_to_expect = models.TextField()
    city_support = models.TextField(help_text="The support a city can offer at this stage.")

    class Meta:
        ordering = ["pathway__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "order"], name="unique_stage_order"),
            models.UniqueConstraint(fields=["pathway", "slug"], name="unique_stage_slug"),
        ]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.tr("name")


class SurveyStatement(Translated):
    """One statement of the practice pulse survey, rated 1-5 or "don't know".

    Most statements are put to everyone. The Expectations practice also has each side rate
    the other: ``asked_of`` says who is asked, ``about`` whom the statement judges.
    """

    class Asked(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        CITY = "city", _("The city's staff")
        ENTREPRENEURS = "entrepreneurs", _("The partner organizations")
        BENEFICIARIES = "beneficiaries", _("The beneficiaries")

    class About(models.TextChoices):
        PARTNERSHIP = "", _("The partnership")
        CITY = "city", _("The city")
        ENTREPRENEURS = "entrepreneurs", _("The partner organizations")

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="survey_statements"
    )
    key = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    asked_of = models.CharField(max_length=16, choices=Asked.choices, default=Asked.EVERYONE)
    about = models.CharField(max_length=16, choices=About.choices, blank=True, default="")

    class Meta:
        ordering = ["practice__number", "order"]
        verbose_name = _("survey statement")
        verbose_name_plural = _("survey statements")

    def __str__(self) -> str:
        return self.tr("text")

    def is_asked_of(self, group: str) -> bool:
        return self.asked_of in (self.Asked.EVERYONE, group)


class GettingStartedStep(Translated):
    """One of the first steps the playbook recommends, to a city or to a social enterprise.

    ``signal`` names what Tandem can see happen for the step, if anything: the cities room
    ticks the step itself when it does (``cities.receivers``).
    """

    class Audience(models.TextChoices):
        CITY = "city", _("City leaders")
        ENTREPRENEUR = "entrepreneur", _("Social entrepreneurs")

    class Signal(models.TextChoices):
        NONE = "", _("Ticked by hand")
        POINT_OF_CONTACT = "point_of_contact", _("A point of contact is named")
        STATEMENT_PUBLISHED = "statement_published", _("An engagement statement is published")
        NEED_STATED = "need_stated", _("A first financial need is stated")
        BENEFICIARY_INVITED = "beneficiary_invited", _("A first beneficiary is invited")

    audience = models.CharField(max_length=16, choices=Audience.choices)
    number = models.PositiveSmallIntegerField()
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=100)
    description = models.TextField()
    signal = models.CharField(max_length=32, choices=Signal.choices, blank=True, default="")

    class Meta:
        ordering = ["audience", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audience", "number"], name="unique_step_number"),
        ]
        verbose_name = _("getting-started step")
        verbose_name_plural = _("getting-started steps")

    def __str__(self) -> str:
        return self.tr("title")


class Story(Translated):
    """A case from the playbook's research, told in our words, tied to what it illustrates."""

    slug = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=150)
    place = models.CharField(max_length=100)
    summary = models.TextField()
    body = models.TextField(help_text="Paragraphs separated by a blank line.")
    practices = models.ManyToManyField(Practice, related_name="stories", blank=True)
    pathways = models.ManyToManyField(ModelPathway, related_name="stories", blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.tr("title")

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.tr("body").split("\n\n") if p.strip()]
