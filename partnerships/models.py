"""Partnerships between a city and social entrepreneurs, and everything they record.

Reads are QuerySet methods (``Partnership.objects.visible_to(user)``) so that
pages, exports and the API see the same rows. Writes live in ``services.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organization

if TYPE_CHECKING:
    from accounts.models import User


class Lever(models.TextChoices):
    POLICY = "policy", _("Policy")
    FUNDING = "funding", _("Funding")
    DATA = "data", _("Data")
    TRAINING = "training", _("Training")
    STANDARD = "standard", _("Standard")
    LAW = "law", _("Law")
    PROCUREMENT = "procurement", _("Procurement")
    COMMUNICATION = "communication", _("Communication")


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def visible_to(self, user: User) -> PartnershipQuerySet:
        """Partnerships this person may open: their city's, their organizations', their own as a participant."""
        if not user.is_authenticated:
            return self.none()
        org_ids = user.organization_ids()
        if not org_ids and not user.is_superuser:
            return self.filter(
                Exists(Participant.objects.filter(partnership=OuterRef("pk"), user=user))
            )
        return self.filter(
            Q(city_id__in=user.city_ids())
            | Exists(
                Partner.objects.accepted().filter(
                    partnership=OuterRef("pk"), organization_id__in=org_ids
                )
            )
            | Exists(Participant.objects.filter(partnership=OuterRef("pk"), user=user))
        )

    def contributed_by(self, user: User) -> PartnershipQuerySet:
        """Partnerships this person works in (``permissions.can_contribute``): their city's
        and their partner organizations'. Financial needs are shown in these only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(city_id__in=user.city_ids())
            | Exists(
                Partner.objects.accepted().filter(
                    partnership=OuterRef("pk"), organization_id__in=user.organization_ids()
                )
            )
        )

    def active(self) -> PartnershipQuerySet:
        """Not archived: what the portfolio and a person's own list show by default."""
        return self.filter(archived_at__isnull=True)

    def archived(self) -> PartnershipQuerySet:
        return self.filter(archived_at__isnull=False)

    def of_city(self, city: Organization) -> PartnershipQuerySet:
        return self.filter(city=city)

    @staticmethod
    def _next_checkin_due() -> models.Subquery:
        scheduled = CheckIn.objects.filter(
            partnership=OuterRef("pk"), status=CheckIn.Status.SCHEDULED
        ).order_by("due_date")
        return models.Subquery(scheduled.values("due_date")[:1])

    @staticmethod
    def _open_need_count() -> Coalesce:
        open_needs = (
            FinancialNeed.objects.filter(
                partnership=OuterRef("pk"),
                status__in=[FinancialNeed.Status.OPEN, FinancialNeed.Status.PARTLY_MET],
            )
            .order_by()
            .values("partnership")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return Coalesce(models.Subquery(open_needs, output_field=models.IntegerField()), 0)

    def with_next_checkin(self) -> PartnershipQuerySet:
        """Annotates ``next_checkin_due``: the earliest scheduled check-in."""
        return self.annotate(next_checkin_due=self._next_checkin_due())

    def with_open_need_count(self) -> PartnershipQuerySet:
        return self.annotate(open_need_count=self._open_need_count())

    def of_user_cities(self, user: User) -> PartnershipQuerySet:
        """The portfolio: every partnership of the cities this person works for."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(city_id__in=user.city_ids())

    def public_summaries(self) -> PartnershipQuerySet:
        """What the public may read: the partnerships with a public summary, of cities the
        Tandem team approved. A city waiting for review, or declined, shows nothing."""
        return self.filter(
            visibility=Partnership.Visibility.PUBLIC_SUMMARY,
            city__status=Organization.Status.APPROVED,
        )

    def involving(self, user: User) -> PartnershipQuerySet:
        """A person's own partnerships: through a partner organization, as a participant, or as
        the city's point of contact. Always a subset of what :meth:`visible_to` allows."""
        if not user.is_authenticated:
            return self.none()
        org_ids = user.organization_ids()
        # The lead counts through its partner row, so only once it has accepted.
        return self.filter(
            Exists(
                Partner.objects.accepted().filter(
                    partnership=OuterRef("pk"), organization_id__in=org_ids
                )
            )
            | Exists(Participant.objects.filter(partnership=OuterRef("pk"), user=user))
            # A former city employee may still be named contact; only current staff count.
            | Q(point_of_contact=user, city_id__in=user.city_ids())
        )

    def any_involving(self, user: User) -> bool:
        """Whether :meth:`involving` has any row, asked the cheap way: one indexed lookup per
        kind of involvement, stopping at the first found, instead of testing every
        partnership of the table against all three (the navigation asks on every page)."""
        if not user.is_authenticated:
            return False
        org_ids = user.organization_ids()
        city_ids = user.city_ids()
        return (
            (
                bool(org_ids)
                and Partner.objects.accepted().filter(organization_id__in=org_ids).exists()
            )
            or Participant.objects.filter(user=user).exists()
            or (
                bool(city_ids) and self.filter(point_of_contact=user, city_id__in=city_ids).exists()
            )
        )

    @staticmethod
    def _lead_status() -> models.Subquery:
        lead = Partner.objects.filter(
            partnership=OuterRef("pk"), organization=OuterRef("lead_id")
        ).values("status")[:1]
        return models.Subquery(lead, output_field=models.CharField())

    def with_lead_status(self) -> PartnershipQuerySet:
        """Annotates ``lead_status``: whether the lead was invited, accepted or declined. Until
        it accepted, the partnership is only proposed (:attr:`Partnership.is_proposed`)."""
        return self.annotate(lead_status=self._lead_status())

    def portfolio_rows(self) -> models.QuerySet[Any, Any]:
        """A portfolio row's columns as plain values, for a page of rows: pathway and stage
        stay ids because their names come from the small, already loaded playbook tables."""
        return self.annotate(
            next_checkin_due=self._next_checkin_due(),
            open_need_count=self._open_need_count(),
            lead_status=self._lead_status(),
        ).values(
            "pk",
            "title",
            "lead__name",
            "status",
            "pathway_id",
            "stage_id",
            "last_activity_at",
            "next_checkin_due",
            "open_need_count",
            "lead_status",
        )

    def for_portfolio(self) -> PartnershipQuerySet:
        """Everything a portfolio row shows, fetched in the same query whatever the row count."""
        return (
            self.select_related("city", "lead", "pathway", "stage")
            .with_next_checkin()
            .with_open_need_count()
        )


class Partnership(models.Model):
    class Status(models.TextChoices):
        EXPLORING = "exploring", _("Exploring")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        SCALING = "scaling", _("Scaling")
        CLOSED = "closed", _("Closed")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private to the partners")
        PUBLIC_SUMMARY = "public_summary", _("Public summary")

    title = models.CharField(_("title"), max_length=200)
    city = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="city_partnerships",
        limit_choices_to={"kind": Organization.Kind.CITY},
        verbose_name=_("city"),
    )
    lead = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        verbose_name=_("lead social enterprise"),
    )
    goal = models.CharField(
        _("shared goal"),
        max_length=300,
        help_text=_("What the partners want to achieve together, and by when."),
    )
    problem_statement = models.TextField(
        _("problem statement"), help_text=_("The problem as the partners understand it today.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.EXPLORING
    )
    pathway = models.ForeignKey(
        "playbook.ModelPathway",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("model pathway"),
    )
    stage = models.ForeignKey(
        "playbook.Stage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("stage"),
    )
    start_date = models.DateField(_("start date"), default=date.today)
    cadence = models.CharField(
        _("check-in cadence"), max_length=16, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    point_of_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships_as_contact",
        verbose_name=_("city point of contact"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    public_summary = models.TextField(_("public summary"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Kept up to date by the services so the portfolio can sort on it cheaply.
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    # An archived partnership leaves the active portfolio; its pages and history stay.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Moved on by every edit through a form: a stale edit is refused (core.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["city", "status"]),
            # The portfolio pages through one city's partnerships in these orders; with the
            # primary key as tie-breaker the index hands over a page without sorting the city.
            models.Index(fields=["city", "title", "id"], name="partnership_city_title_idx"),
            models.Index(
                fields=["city", "last_activity_at", "id"], name="partnership_city_activity_idx"
            ),
        ]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.pk])

    def partner_organization_ids(self) -> set[int]:
        """Ids of the partner organizations that accepted, the lead among them once it has
        (the city is not among them). An invited or declined organization sees nothing.

        Permission checks ask for these several times per page, so they are read once per
        instance and kept on it. Whoever adds, removes or answers for a partner calls
        :meth:`forget_partner_organizations`; a list that prefetched its partners hands them
        to :meth:`remember_partner_organizations` instead of a query per row.
        """
        cached = self.__dict__.get("_partner_organization_ids")
        if cached is None:
            cached = set(self.partners.accepted().values_list("organization_id", flat=True))
            self._partner_organization_ids = cached
        return cached

    def remember_partner_organizations(self, partners: Iterable[Partner]) -> None:
        """Fills the cache of :meth:`partner_organization_ids` from partners already loaded
        (with their status)."""
        self._partner_organization_ids = {
            partner.organization_id
            for partner in partners
            if partner.status == Partner.Status.ACCEPTED
        }

    @property
    def is_proposed(self) -> bool:
        """Proposed until the lead accepted; reads ``lead_status`` when a list annotated it."""
        if "lead_status" not in self.__dict__:
            self.__dict__["lead_status"] = (
                self.partners.filter(organization_id=self.lead_id)
                .values_list("status", flat=True)
                .first()
            )
        return bool(self.__dict__["lead_status"] != Partner.Status.ACCEPTED)

    @property
    def lead_declined(self) -> bool:
        return self.is_proposed and self.__dict__["lead_status"] == Partner.Status.DECLINED

    def forget_partner_organizations(self) -> None:
        """Drops the cache of :meth:`partner_organization_ids`, after the partners changed."""
        self.__dict__.pop("_partner_organization_ids", None)

    def has_recorded_work(self) -> bool:
        """Whether the partners recorded anything here yet: then it is archived, not deleted."""
        return (
            self.checkins.exclude(status=CheckIn.Status.SCHEDULED).exists()
            or self.progress_updates.exists()
            or Measurement.objects.filter(indicator__partnership=self).exists()
            or self.plan_versions.exists()
            or self.experiments.exists()
            or self.financial_needs.exists()
        )

    def cadence_interval(self) -> timedelta:
        return {
            self.Cadence.WEEKLY: timedelta(weeks=1),
            self.Cadence.FORTNIGHTLY: timedelta(weeks=2),
            self.Cadence.MONTHLY: timedelta(days=30),
        }[self.Cadence(self.cadence)]


class PartnerQuerySet(models.QuerySet["Partner"]):
    def accepted(self) -> PartnerQuerySet:
        return self.filter(status=Partner.Status.ACCEPTED)

    def invited(self) -> PartnerQuerySet:
        return self.filter(status=Partner.Status.INVITED)

    def awaiting(self, user: User) -> PartnerQuerySet:
        """The invitations this person answers for: open ones to organizations they administer."""
        if not user.is_authenticated:
            return self.none()
        # A city waiting for review keeps its partnerships private, invitations included.
        return self.invited().filter(
            organization_id__in=user.admin_organization_ids(),
            partnership__city__status=Organization.Status.APPROVED,
        )


class Partner(models.Model):
    """An organization taking part in a partnership, and its share of the work.

    Being added is an invitation: the organization's administrators accept or decline it,
    and only an accepted partner sees the partnership's private sections or acts in it.
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partner_roles"
    )
    role_description = models.TextField(
        _("role"), help_text=_("What this organization brings and does in the partnership.")
    )
    joined_on = models.DateField(_("joined on"), default=date.today)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.INVITED
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    history = HistoricalRecords()
    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organization"], name="unique_partner_per_partnership"
            )
        ]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return f"{self.organization} in {self.partnership}"


class Participant(models.Model):
    """A person the partnership is for, taking part in it with lived experience.

    Participants are a partnership's third kind of member, after the city's staff and
    the partner organizations; they belong to no organization of their own.
    """

    class Role(models.TextChoices):
        ADVISOR = "advisor", _("Advisor")
        CO_PLANNER = "co_planner", _("Co-planner")
        REVIEWER = "reviewer", _("Reviewer")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="participants"
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


class Reframing(models.Model):
    """A dated change in how the partners understand the problem, and why."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="reframings"
    )
    reframed_on = models.DateField(_("date"), default=date.today)
    previous_statement = models.TextField(_("previous problem statement"))
    statement = models.TextField(_("new problem statement"))
    learned = models.TextField(_("what we learned that changed it"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reframed_on", "-pk"]
        verbose_name = _("reframing")
        verbose_name_plural = _("reframings")

    def __str__(self) -> str:
        return f"{self.partnership} reframed on {self.reframed_on}"


class StageChange(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        "playbook.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey("playbook.Stage", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("why"))

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_stage} → {self.to_stage}"


class Responsibility(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="responsibilities"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="responsibilities"
    )
    description = models.CharField(_("what"), max_length=300)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Moved on by every edit through a form: a stale edit is refused (core.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")

    def __str__(self) -> str:
        return self.description


class PlanVersion(models.Model):
    """One published version of the plan. Publishing again never changes an older one."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="plan_versions"
    )
    number = models.PositiveIntegerField()
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="unique_plan_version")
        ]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"{self.partnership} plan v{self.number}"


class PlanSection(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    heading = models.CharField(_("heading"), max_length=200)
    # One line in plain words, written by the partners, for readers who will not read it all.
    summary = models.CharField(_("summary in one line"), max_length=200, blank=True)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="unique_section_order")
        ]
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")

    def __str__(self) -> str:
        return self.heading


class CheckIn(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        MISSED = "missed", _("Missed")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="checkins")
    due_date = models.DateField(_("due date"))
    # Optional, so a calendar entry can say when in the day and where the partners meet.
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # Raised each time the date, time or place changes: calendars (iCalendar SEQUENCE)
    # replace the entry they hold instead of keeping the old one beside the new.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="checkins_attended"
    )
    attending_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="checkins_attended"
    )
    notes = models.TextField(_("notes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    # Moved on by each recording through core.versioning.save_versioned (the API's If-Match).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[attendees, attending_organizations])

    class Meta:
        ordering = ["-due_date", "-pk"]
        indexes = [models.Index(fields=["partnership", "status", "due_date"])]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.partnership} check-in {self.due_date}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.due_date < timezone.localdate()


class WithdrawableQuerySet(models.QuerySet[Any]):
    def current(self) -> WithdrawableQuerySet:
        """What lists, charts and exports show: not withdrawn by its author or a manager."""
        return self.filter(withdrawn_at__isnull=True)


class ProgressUpdate(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="progress_updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="progress_updates"
    )
    date = models.DateField(_("date"), default=date.today)
    text = models.TextField(_("what happened"))
    practices = models.ManyToManyField(
        "playbook.Practice", blank=True, related_name="progress_updates"
    )
    levers = models.JSONField(_("levers used"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Moved on by each correction through core.versioning.save_versioned (the API's If-Match).
    version = models.PositiveIntegerField(default=1, editable=False)
    # A withdrawn entry leaves the lists and charts; history and the timeline keep it.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[practices])
    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.partnership}: {self.date}"

    def lever_labels(self) -> list[str]:
        return [str(Lever(code).label) for code in self.levers if code in Lever.values]


class Indicator(models.Model):
    class Direction(models.TextChoices):
        UP = "up", _("Up is good")
        DOWN = "down", _("Down is good")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("e.g. people, tonnes, %"))
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))
    # Most indicators count people, things or shares of 100; the few that go below zero (a
    # change in temperature) or above 100 % (growth against last year) say so.
    allows_negative = models.BooleanField(_("values can be negative"), default=False)
    allows_above_100 = models.BooleanField(_("percentages can go above 100"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Moved on by every edit through a form: a stale edit is refused (core.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def unit_is_percentage(unit: str) -> bool:
        """Whether the unit is a share of 100: "%", "% of families", "percent", "por ciento"."""
        text = unit.strip().casefold()
        return "%" in text or text in PERCENT_WORDS

    @property
    def is_percentage(self) -> bool:
        return self.unit_is_percentage(self.unit)


PERCENT_WORDS = {"percent", "per cent", "percentage", "por ciento", "porcentaje"}


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A withdrawn entry leaves the lists and charts; history and the timeline keep it.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} on {self.date}"


class Experiment(models.Model):
    class Decision(models.TextChoices):
        ADOPT = "adopt", _("Adopt")
        ADAPT = "adapt", _("Adapt")
        ABANDON = "abandon", _("Abandon")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="experiments"
    )
    title = models.CharField(_("title"), max_length=200)
    hypothesis = models.TextField(_("hypothesis"))
    what_is_tried = models.TextField(_("what we try"))
    started_on = models.DateField(_("start"), default=date.today)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")

    def __str__(self) -> str:
        return self.title


class FinancialNeed(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PARTLY_MET = "partly_met", _("Partly met")
        MET = "met", _("Met")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="financial_needs"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="financial_needs"
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    period = models.CharField(
        _("period"),
        max_length=100,
        help_text=_("The period the money is for, e.g. 2027 or Q1 to Q2 2027."),
    )
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    discussion_notes = models.TextField(_("how it was discussed"), blank=True)
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Moved on by every edit through a form: a stale edit is refused (core.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Open needs are counted per partnership on every portfolio row.
        indexes = [models.Index(fields=["partnership", "status"])]
        verbose_name = _("financial need")
        verbose_name_plural = _("financial needs")

    def __str__(self) -> str:
        return f"{self.organization}: {self.amount} {self.currency}"
