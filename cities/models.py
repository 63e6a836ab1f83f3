"""The city's own playbook: its point of contact and introductions inbox, its register of
experiences, its engagement statement, the getting-started checklists, networks of social
enterprises and the stories a city adds.

Reads are QuerySet methods; every write goes through ``cities.services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization

if TYPE_CHECKING:
    from accounts.models import User


class PointOfContact(models.Model):
    """The one person at a city whom social entrepreneurs can reach; shown on the city's
    public page with what the city chose to say about how to reach them."""

    city = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="point_of_contact"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    public_email = models.EmailField(_("public e-mail address"), blank=True)
    how_to_reach = models.TextField(
        _("how to reach them"),
        blank=True,
        help_text=_("Office hours, a phone number, what to send first: shown to the public."),
    )
    named_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("point of contact")
        verbose_name_plural = _("points of contact")

    def __str__(self) -> str:
        return f"{self.person} ({self.city})"


class Offer(models.Model):
    """A social enterprise's opening message to cities, attached to its introductions."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="offer"
    )
    who_we_are = models.TextField(_("who we are"))
    value = models.TextField(
        _("the value we bring"),
        help_text=_("What you can do, told plainly: no promise to solve everything."),
    )
    needs = models.TextField(
        _("what we need to sustain our role"),
        help_text=_("Money, time, data, access: what keeps you in the partnership."),
    )
    beneficiaries = models.TextField(
        _("the people we would bring along"),
        blank=True,
        help_text=_("The people you serve who would take part in the conversation."),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return str(self.organization)


class IntroductionQuerySet(models.QuerySet["Introduction"]):
    def inbox_of(self, user: User) -> IntroductionQuerySet:
        """What a city's staff see: the introductions their cities received."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(city_id__in=user.city_ids())

    def sent_by_organizations_of(self, user: User) -> IntroductionQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization_id__in=user.organization_ids())

    def visible_to(self, user: User) -> IntroductionQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(city_id__in=user.city_ids()) | Q(organization_id__in=user.organization_ids())
        )


class Introduction(models.Model):
    """A social enterprise (or a network, in its members' name) introduces itself to a city.

    The offer is copied in when it is sent, so the city reads what was sent even after the
    enterprise edits its offer.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TALKING = "talking", _("Talking")
        PARTNERSHIP_OPENED = "partnership_opened", _("Partnership opened")
        DECLINED = "declined", _("Declined")

    city = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="introductions_received"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="introductions_sent",
        verbose_name=_("organization"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"))
    who_we_are = models.TextField(_("who we are"))
    value = models.TextField(_("the value we bring"))
    needs = models.TextField(_("what we need to sustain our role"))
    beneficiaries = models.TextField(_("the people we would bring along"), blank=True)
    # A network's introduction names the members it speaks for, as they were when it was sent.
    on_behalf_of = models.ManyToManyField(
        Organization, related_name="+", blank=True, verbose_name=_("on behalf of")
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.NEW
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["city", "status", "created_at"])]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")

    def __str__(self) -> str:
        return f"{self.organization} → {self.city}"


class IntroductionNote(models.Model):
    """The city's own notes on an introduction: never shown to the enterprise."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.introduction}: {self.text[:40]}"


class ExperienceQuerySet(models.QuerySet["Experience"]):
    def visible_to(self, user: User) -> ExperienceQuerySet:
        """Private to the city: its own staff only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(city_id__in=user.city_ids())

    def search(self, text: str) -> ExperienceQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(department__icontains=text)
            | Q(organization_name__icontains=text)
            | Q(what_happened__icontains=text)
            | Q(what_was_learned__icontains=text)
        )


class Experience(models.Model):
    """What city hall has already done with social entrepreneurs, told by its staff."""

    city = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="experiences")
    department = models.CharField(_("department"), max_length=200)
    organization_name = models.CharField(_("organization"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    what_was_learned = models.TextField(_("what was learned"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")

    def __str__(self) -> str:
        return f"{self.department}: {self.organization_name}"


class Statement(models.Model):
    """A city's engagement statement: one draft, edited section by section, and the
    versions published from it."""

    city = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="statement")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("engagement statement")
        verbose_name_plural = _("engagement statements")

    def __str__(self) -> str:
        return str(self.city)

    def latest_version(self) -> StatementVersion | None:
        return self.versions.order_by("-number").first()


class StatementSection(models.Model):
    class Key(models.TextChoices):
        DEFINITION = "definition", _("What we mean by social entrepreneurship")
        WHY = "why", _("Why we build relationships")
        PRACTICES = "practices", _("How any official can work with social entrepreneurs")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=16, choices=Key.choices)
    order = models.PositiveSmallIntegerField()
    body = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "key"], name="unique_statement_section")
        ]

    def __str__(self) -> str:
        return self.get_key_display()


class StatementVersion(models.Model):
    """A published version: the sections' text as it was, kept for good."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # {"definition": "...", "why": "...", "practices": "..."}
    sections = models.JSONField(default=dict)
    change_note = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="unique_statement_version")
        ]

    def __str__(self) -> str:
        return f"{self.statement} v{self.number}"


class StatementInvitation(models.Model):
    """A local social enterprise (or network) asked to comment on the draft and endorse it."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organization"], name="unique_statement_invitation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.statement}"


class StatementComment(models.Model):
    section = models.ForeignKey(StatementSection, on_delete=models.CASCADE, related_name="comments")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.text[:40]}"


class Endorsement(models.Model):
    """An organization stands behind the city's statement; shown with every version."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="endorsements")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    endorsed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["endorsed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "organization"], name="unique_endorsement")
        ]

    def __str__(self) -> str:
        return f"{self.organization} endorses {self.statement}"


class ChecklistItem(models.Model):
    """An organization's progress on one getting-started step. One row per step and
    organization, whoever ticks it first: by hand or Tandem on seeing the real thing."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="checklist_items"
    )
    step = models.ForeignKey(
        "playbook.GettingStartedStep", on_delete=models.CASCADE, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Ticked by Tandem when it saw the step happen (the event's id).
    ticked_by_event = models.PositiveBigIntegerField(null=True, blank=True)
    note = models.TextField(_("notes"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True, max_length=500)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["step__number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "step"], name="unique_checklist_item")
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.step}"

    @property
    def done(self) -> bool:
        return self.done_at is not None


class NetworkMember(models.Model):
    """A member organization of a network (an ``Organization`` of kind network)."""

    network = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="networks"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organization"], name="unique_network_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.network}"


class CityStory(models.Model):
    """A story a city tells of its own work, next to the playbook's cases on its page."""

    city = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="city_stories")
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("story"))
    practices = models.ManyToManyField(
        "playbook.Practice", related_name="city_stories", blank=True, verbose_name=_("practices")
    )
    pathways = models.ManyToManyField(
        "playbook.ModelPathway",
        related_name="city_stories",
        blank=True,
        verbose_name=_("pathways"),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("city story")
        verbose_name_plural = _("city stories")

    def __str__(self) -> str:
        return self.title

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]
