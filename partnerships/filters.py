"""Filters for the city's portfolio, shared by the dashboard and its CSV export.

Both read the same query string through :class:`PortfolioFilter`, so an export
always holds exactly the rows the person was looking at.
"""

from __future__ import annotations

from typing import Any, TypedDict

import django_filters
from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields

from partnerships.models import Partner, Partnership, PartnershipQuerySet, ProgressUpdate
from playbook.models import ModelPathway, Practice, Stage
from playbook.names import PlaybookNames

# The order a partnership lives through, which reads better than alphabetical codes.
STATUS_ORDER = [
    Partnership.Status.EXPLORING,
    Partnership.Status.ACTIVE,
    Partnership.Status.SCALING,
    Partnership.Status.PAUSED,
    Partnership.Status.CLOSED,
]

SORT_CHOICES = [
    ("title", _("Title (A–Z)")),
    ("-title", _("Title (Z–A)")),
    ("status", _("Status (exploring first)")),
    ("-status", _("Status (closed first)")),
    ("next_checkin", _("Next check-in (soonest first)")),
    ("-next_checkin", _("Next check-in (latest first)")),
    ("-last_activity", _("Last activity (most recent first)")),
    ("last_activity", _("Last activity (oldest first)")),
]
DEFAULT_SORT = "title"


def _status_rank() -> Case:
    return Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )


# Archived partnerships leave the portfolio unless asked for; "" is the default.
ARCHIVE_CHOICES = [
    ("archived", _("Archived only")),
    ("all", _("Active and archived")),
]

SORT_KEYS = frozenset(key for key, _label in SORT_CHOICES)


def order_portfolio[Q: QuerySet[Any, Any]](queryset: Q, sort: str) -> Q:
    """Orders by a whitelisted key; anything else gets the default order. The primary key
    breaks ties so that pagination never shows a row twice or skips one."""
    key = sort if sort in SORT_KEYS else DEFAULT_SORT
    descending = key.startswith("-")
    name = key.removeprefix("-")
    if name == "status":
        expression: Any = _status_rank()
        ordering = expression.desc() if descending else expression.asc()
        return queryset.order_by(ordering, "title", "pk")
    if name == "next_checkin":
        if "next_checkin_due" not in queryset.query.annotations:
            queryset = queryset.with_next_checkin()  # type: ignore[attr-defined]
        # Partnerships without a scheduled check-in go last in both directions: they are
        # neither soon nor late, and mixing them in would hide the ones that matter.
        field = F("next_checkin_due")
        ordering = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        return queryset.order_by(ordering, "title", "pk")
    # The tie-breaker runs in the same direction as the key, so that one index on
    # (city, key, id), read forwards or backwards, delivers the page without a sort.
    direction = "-" if descending else ""
    if name == "last_activity":
        return queryset.order_by(f"{direction}last_activity_at", f"{direction}pk")
    return queryset.order_by(f"{direction}title", f"{direction}pk")


class Option(TypedDict):
    value: str
    label: str
    selected: bool


class FilterControl(TypedDict):
    """One filter as the page draws it: plain values instead of a form widget. Dicts,
    because the template language looks keys up before attributes."""

    name: str
    label: str
    value: str
    errors: list[str]
    options: list[Option]
    help_text: str
    described_by: str


class LenientChoiceField(filter_fields.ChoiceField):
    """A sort order from an old bookmark or a hand-edited URL falls back silently to the
    default instead of making the whole filter form invalid."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return value if self.valid_value(value) else ""


class SortFilter(django_filters.ChoiceFilter):
    field_class = LenientChoiceField


# Callables, so that building the filter set per request does not deep-copy querysets.
def _pathways(request: Any) -> QuerySet[ModelPathway]:
    return ModelPathway.objects.all()


def _stages(request: Any) -> QuerySet[Stage]:
    return Stage.objects.all()


def _practices(request: Any) -> QuerySet[Practice]:
    return Practice.objects.all()


class PortfolioFilter(django_filters.FilterSet):
    queryset: QuerySet[Partnership]
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        help_text=_("Partnership title or partner organization."),
        widget=forms.SearchInput,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Partnership.Status.choices, empty_label=_("Any status")
    )
    pathway = django_filters.ModelChoiceFilter(
        label=_("Model pathway"),
        queryset=_pathways,
        empty_label=_("Any pathway"),
    )
    stage = django_filters.ModelChoiceFilter(
        label=_("Stage"),
        queryset=_stages,
        empty_label=_("Any stage"),
    )
    practice = django_filters.ModelChoiceFilter(
        label=_("Practice in progress updates"),
        queryset=_practices,
        method="with_practice",
        empty_label=_("Any practice"),
    )
    archive = django_filters.ChoiceFilter(
        label=_("Archive"),
        choices=ARCHIVE_CHOICES,
        method="by_archive",
        empty_label=_("Active partnerships"),
    )
    sort = SortFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Partnership
        fields = ["q", "status", "pathway", "stage", "practice", "archive", "sort"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        # Without a sort in the query string the default still applies.
        self.queryset = order_portfolio(self.queryset, DEFAULT_SORT)

    def search(self, queryset: PartnershipQuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(lead__name__icontains=value)
            | Exists(
                Partner.objects.filter(
                    partnership=OuterRef("pk"), organization__name__icontains=value
                )
            )
        )

    def with_practice(
        self, queryset: PartnershipQuerySet, name: str, value: Practice
    ) -> QuerySet[Partnership]:
        return queryset.filter(
            Exists(ProgressUpdate.objects.filter(partnership=OuterRef("pk"), practices=value))
        )

    def by_archive(self, queryset: PartnershipQuerySet, name: str, value: str) -> QuerySet:
        if value == "archived":
            return queryset.filter(archived_at__isnull=False)
        return queryset  # "all"

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("archive"):
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def sort_by(self, queryset: PartnershipQuerySet, name: str, value: str) -> QuerySet:
        return order_portfolio(queryset, value)

    def _cleaned(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.form.is_valid()  # fills cleaned_data with the values that did validate
        return self.form.cleaned_data

    def controls(self, names: PlaybookNames) -> list[FilterControl]:
        """The filters with their choices and current values, in form order.

        Django's widget templates cost more than the whole table on this page, so the
        template draws plain controls from these values instead.
        """
        form = self.form
        data = form.data if self.is_bound else {}
        errors = form.errors if self.is_bound else {}
        choices: dict[str, list[tuple[Any, Any]]] = {
            "status": Partnership.Status.choices,
            "pathway": list(names.pathways.items()),
            "stage": [(pk, names.stage_label(pk)) for pk in names.stages],
            "practice": list(names.practices.items()),
            "archive": ARCHIVE_CHOICES,
            "sort": SORT_CHOICES,
        }
        controls = []
        for name, form_field in form.fields.items():
            value = data.get(name) or ""
            if name == "sort":
                # A missing or unknown sort shows the order actually applied.
                value = self.active_sort
            options: list[Option] = []
            if name in choices:
                empty_label = getattr(form_field, "empty_label", None)
                if empty_label is not None:
                    options.append(Option(value="", label=str(empty_label), selected=value == ""))
                options.extend(
                    Option(value=str(key), label=str(label), selected=str(key) == value)
                    for key, label in choices[name]
                )
            help_text = str(form_field.help_text)
            control_errors = list(errors.get(name, ()))
            described_by = [
                *([f"id_{name}_helptext"] if help_text else []),
                *([f"id_{name}_error"] if control_errors else []),
            ]
            controls.append(
                FilterControl(
                    name=name,
                    label=f"{form_field.label}{form.label_suffix}",
                    value=value,
                    errors=control_errors,
                    options=options,
                    help_text=help_text,
                    described_by=" ".join(described_by),
                )
            )
        return controls

    @property
    def active_sort(self) -> str:
        """The sort in effect, for marking the active column heading."""
        return self._cleaned().get("sort") or DEFAULT_SORT

    @property
    def is_filtered(self) -> bool:
        """True when a filter narrows the rows (sorting alone does not)."""
        return any(
            value not in (None, "") for key, value in self._cleaned().items() if key != "sort"
        )
