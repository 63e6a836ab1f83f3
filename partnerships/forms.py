"""Forms of the partnership pages: the in-place actions and the management pages.

Forms check types and shapes only and narrow the choices to what makes sense for
this partnership; the service function each one feeds decides what is allowed,
and its ``ValidationError`` comes back onto the form's fields
(:func:`core.forms.apply_validation_error`). Field names are the services'
keyword arguments, so the messages land where they belong. Each in-place form can
carry its own ``auto_id`` so several copies on one page (one per check-in or
indicator) keep unique, well-labelled ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization, User
from core.forms import DateInput, OnceForm, VersionedForm, choice, model_choice
from core.numbers import currency_choices
from partnerships import permissions as perms
from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Lever,
    Partner,
    Partnership,
    PlanVersion,
    Responsibility,
)
from partnerships.services import NewOrganization
from playbook.models import ModelPathway, Practice, Stage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _partner_organizations(partnership: Partnership) -> Any:
    allowed = partnership.partner_organization_ids() | {partnership.city_id}
    return Organization.objects.filter(pk__in=allowed).order_by("name")


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Several ids, each checked against the column's integer range before any query.

    Django hands an id like 99999999999999999999 to an ``__in`` lookup, which SQLite
    cannot bind (OverflowError) and PostgreSQL refuses: a 500 for something a person typed.
    """

    def clean(self, value: Any) -> Any:
        assert self.queryset is not None
        ops = connections[self.queryset.db].ops
        pk_field = self.queryset.model._meta.pk
        assert pk_field is not None
        low, high = ops.integer_field_ranges.get(pk_field.get_internal_type(), (None, None))
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                number = int(str(pk))
            except (TypeError, ValueError):
                continue  # not a number at all: Django's own check refuses it
            if (low is not None and number < low) or (high is not None and number > high):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class CheckInRecordForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Did the check-in take place?"),
        choices=[("yes", _("Yes, we met")), ("no", _("No, it was missed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    held_on = forms.DateField(
        label=_("Held on"),
        required=False,
        widget=DateInput(),
        help_text=_("Needed when the check-in took place."),
    )
    attendees = ModelIdsField(
        label=_("Who attended"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attending_organizations = ModelIdsField(
        label=_("Organizations present"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who does what next."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = _partner_organizations(partnership)
        model_choice(self, "attending_organizations").queryset = organizations
        model_choice(self, "attendees").queryset = (
            User.objects.filter(memberships__organization__in=organizations, is_active=True)
            .distinct()
            .order_by("name", "email")
        )
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())


class ProgressForm(OnceForm):
    organization = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organization.objects.none(), empty_label=None
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    practices = ModelIdsField(
        label=_("Practices this touches"),
        queryset=Practice.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    levers = forms.MultipleChoiceField(
        label=_("Levers used"),
        choices=Lever.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = perms.organizations_for(user, partnership)
        model_choice(self, "organization").queryset = Organization.objects.filter(
            pk__in=allowed
        ).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            # Most people act for the partner they are in, not for the city.
            preferred = [pk for pk in allowed if pk != partnership.city_id] or allowed
            if preferred:
                self.initial.setdefault("organization", preferred[0])


class MeasurementFields(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("Where the number comes from, e.g. case records."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class CurrencyField(forms.ChoiceField):
    """The currencies in use, named in the reader's language; "usd" is taken as USD."""

    def __init__(self, **kwargs: Any) -> None:
        # A callable: the names are those of the language active when the form is shown.
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Choose a currency from the list.")}
        )
        super().__init__(choices=currency_choices, **kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()


class MeasurementForm(OnceForm, MeasurementFields):
    pass


class MeasurementCorrectForm(MeasurementFields):
    pass


class ProgressCorrectForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class NeedForm(OnceForm):
    organization = forms.ModelChoiceField(
        label=_("Organization that needs it"),
        queryset=Organization.objects.none(),
        empty_label=None,
    )
    # The browser's hint only: the service refuses an amount that is not more than zero.
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": "0.01"}),
    )
    currency = CurrencyField(label=_("Currency"), initial="USD")
    period = forms.CharField(
        label=_("Period"), max_length=100, help_text=_("e.g. 2027 or Q1 to Q2 2027.")
    )
    purpose = forms.CharField(
        label=_("What the money is for"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = perms.organizations_for(user, partnership)
        model_choice(self, "organization").queryset = Organization.objects.filter(
            pk__in=allowed
        ).order_by("name")
        preferred = [pk for pk in allowed if pk != partnership.city_id] or allowed
        if not self.is_bound and preferred:
            self.initial.setdefault("organization", preferred[0])


# --- Management pages ----------------------------------------------------------


def _today_iso() -> str:
    return timezone.localdate().isoformat()


def stage_choices(
    stages: Iterable[Stage], *, empty_label: StrOrPromise, current: Stage | None = None
) -> list[Any]:
    """Stages grouped by pathway (an <optgroup> each), in the pathways' own order."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for stage in stages:
        label = str(stage)
        if current is not None and stage.pk == current.pk:
            label = _("%(stage)s (current stage)") % {"stage": label}
        groups.setdefault(stage.pathway_id, (str(stage.pathway), []))[1].append((stage.pk, label))
    return [("", empty_label), *groups.values()]


def _city_members(city_ids: Iterable[int]) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization_id__in=list(city_ids),
            memberships__organization__kind=Organization.Kind.CITY,
        )
        .distinct()
        .order_by("name", "email")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: models.Model) -> str:
        assert isinstance(obj, User)
        return f"{obj.name} ({obj.email})" if obj.name else obj.email


# --- Choosing an organization to invite -----------------------------------------------

#: A search shows at most this many organizations: a short list to pick from, never a
#: directory of the platform.
SEARCH_RESULTS = 10

NEW_ORGANIZATION_KINDS = [
    (value, label) for value, label in Organization.Kind.choices if value != Organization.Kind.CITY
]


def invitable_organizations(
    *, partnership: Partnership | None = None, lead: bool = False
) -> QuerySet[Organization]:
    """The organizations a city may invite. Only those with people of their own: one that
    another city invited by e-mail and nobody has joined yet stays unlisted, so a search
    does not tell who else is being invited. Not the partnership's own city, nor a partner
    already in it or invited (one that declined may be asked again)."""
    organizations = Organization.objects.filter(
        Exists(Membership.objects.filter(organization=OuterRef("pk")))
    )
    if lead:
        organizations = organizations.exclude(kind=Organization.Kind.CITY)
    if partnership is not None:
        organizations = organizations.exclude(pk=partnership.city_id).exclude(
            pk__in=partnership.partners.exclude(status=Partner.Status.DECLINED).values(
                "organization_id"
            )
        )
    return organizations.order_by("name", "pk")


def _organization_label(organization: Organization) -> str:
    return f"{organization.name} ({organization.get_kind_display()})"


def _offer_found(form: forms.BaseForm, name: str, search: str) -> None:
    """The field checks against every invitable organization but offers only those whose
    name matches the search, and the one already chosen when the form comes back refused."""
    field = model_choice(form, name)
    candidates = field.queryset
    assert candidates is not None
    shown = list(candidates.filter(name__icontains=search)[:SEARCH_RESULTS]) if search else []
    chosen = str(form.data.get(form.add_prefix(name), "")) if form.is_bound else ""
    # A long run of digits is no id (and would overflow the database's integer).
    if chosen.isdigit() and len(chosen) < 16 and all(str(o.pk) != chosen for o in shown):
        shown += list(candidates.filter(pk=int(chosen)))
    field.widget.choices = [(o.pk, _organization_label(o)) for o in shown]
    form.found = shown  # type: ignore[attr-defined]


def _new_organization(cleaned: dict[str, Any], prefix: str) -> NewOrganization | None:
    """The three fields of an organization invited by e-mail, as the service takes them."""
    name = cleaned.pop(f"{prefix}_name", "") or ""
    kind = cleaned.pop(f"{prefix}_kind", "") or ""
    email = cleaned.pop(f"{prefix}_email", "") or ""
    if not (name.strip() or kind or email.strip()):
        return None
    return NewOrganization(name=name, kind=kind, email=email)


def _new_organization_fields(prefix: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}_name": forms.CharField(
            label=_("Name of the organization"), max_length=200, required=False
        ),
        f"{prefix}_kind": forms.ChoiceField(
            label=_("Kind of organization"),
            choices=[("", _("Choose a kind")), *NEW_ORGANIZATION_KINDS],
            required=False,
        ),
        f"{prefix}_email": forms.EmailField(
            label=_("E-mail address of the person to invite"),
            required=False,
            help_text=_(
                "They become the organization's first administrator when they sign up, "
                "and then accept or decline the partnership."
            ),
        ),
    }


# The pages show these fields apart, under "not on Tandem yet?".
NewLeadFields = type("NewLeadFields", (forms.Form,), _new_organization_fields("new_lead"))
NewOrganizationFields = type(
    "NewOrganizationFields", (forms.Form,), _new_organization_fields("new_organization")
)


PUBLIC_SUMMARY_HELP = _(
    "Shown to everyone when the visibility is “public summary”. "
    "Leave out anything private: names of residents, money, internal discussions."
)


class PartnershipCreateForm(OnceForm, NewLeadFields):  # type: ignore[misc,valid-type]
    city = forms.ModelChoiceField(
        label=_("City government"),
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text=_("The city that takes part in this partnership."),
    )
    lead = forms.ModelChoiceField(
        label=_("Lead partner"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "The social enterprise or community group that leads the work. It is invited "
            "and the partnership is proposed until it accepts."
        ),
        error_messages={"invalid_choice": _("Choose a social enterprise or group from the list.")},
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(
        label=_("Shared goal"),
        max_length=300,
        help_text=_("What the partners want to achieve together, and by when."),
    )
    problem_statement = forms.CharField(
        label=_("Problem statement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The problem as the partners understand it today. It may change later."),
    )
    lead_role = forms.CharField(
        label=_("Role of the lead partner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the lead partner brings and does. Optional."),
    )
    pathway = forms.ModelChoiceField(
        label=_("Model pathway"),
        queryset=ModelPathway.objects.all(),
        required=False,
        help_text=_("The endgame the partners aim for. You can choose it later."),
    )
    stage = forms.ModelChoiceField(
        label=_("Starting stage"),
        queryset=Stage.objects.select_related("pathway"),
        required=False,
        help_text=_("Leave empty to start at the first stage of the pathway."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Partnership.Status.choices, initial=Partnership.Status.EXPLORING
    )
    cadence = forms.ChoiceField(
        label=_("Check-in cadence"),
        choices=Partnership.Cadence.choices,
        initial=Partnership.Cadence.MONTHLY,
        help_text=_("How often the partners meet to check in."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput(), initial=_today_iso)
    point_of_contact = UserChoiceField(
        label=_("City point of contact"),
        queryset=User.objects.none(),
        help_text=_("The city staff member the partners turn to first."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Partnership.Visibility.choices,
        initial=Partnership.Visibility.PRIVATE,
    )
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PUBLIC_SUMMARY_HELP,
    )

    def __init__(self, *args: Any, user: User, lead_search: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("point_of_contact", user.pk)
        super().__init__(*args, **kwargs)
        cities = Organization.objects.filter(pk__in=user.city_ids(), kind=Organization.Kind.CITY)
        model_choice(self, "city").queryset = cities
        if len(user.city_ids()) == 1:
            # One city: nothing to choose, so do not ask.
            self.fields["city"].widget = forms.HiddenInput()
            self.fields["city"].initial = next(iter(user.city_ids()))
        model_choice(self, "lead").queryset = invitable_organizations(lead=True)
        _offer_found(self, "lead", lead_search)
        choice(self, "stage").choices = stage_choices(
            Stage.objects.select_related("pathway"),
            empty_label=_("The first stage of the pathway"),
        )
        model_choice(self, "point_of_contact").queryset = _city_members(user.city_ids())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["new_lead"] = _new_organization(cleaned, "new_lead")
        return cleaned


class PartnershipEditForm(VersionedForm):
    """Its cleaned data are the fields that changed, as ``partnership_update`` takes them,
    and the version they were changed from."""

    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(
        label=_("Shared goal"),
        max_length=300,
        help_text=_("What the partners want to achieve together, and by when."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Partnership.Status.choices)
    cadence = forms.ChoiceField(
        label=_("Check-in cadence"),
        choices=Partnership.Cadence.choices,
        help_text=_("How often the partners meet to check in."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    point_of_contact = UserChoiceField(
        label=_("City point of contact"),
        queryset=User.objects.none(),
        help_text=_("The city staff member the partners turn to first."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Partnership.Visibility.choices)
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PUBLIC_SUMMARY_HELP,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        initial = {
            name: getattr(partnership, name)
            for name in self.base_fields
            if name != "expected_version"
        }
        initial["point_of_contact"] = partnership.point_of_contact_id
        initial["expected_version"] = partnership.version
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        model_choice(self, "point_of_contact").queryset = _city_members([partnership.city_id])

    def clean(self) -> dict[str, Any]:
        super().clean()
        changed = {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in self.cleaned_data and name != "expected_version"
        }
        if "expected_version" in self.cleaned_data:
            changed["expected_version"] = self.cleaned_data["expected_version"]
        return changed


class ReframeForm(OnceForm):
    statement = forms.CharField(
        label=_("New problem statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How the partners understand the problem now."),
    )
    learned = forms.CharField(
        label=_("What we learned that changed it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The evidence, conversation or experience that changed your view."),
    )
    reframed_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        initial=_today_iso,
        help_text=_("When the partners agreed on the new statement."),
    )


class StageMoveForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("New stage"), queryset=Stage.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What tells the partners the partnership is at this stage now."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = Stage.objects.select_related("pathway")
        if partnership.pathway_id is not None:
            stages = stages.filter(pathway_id=partnership.pathway_id)
            self.fields["stage"].help_text = _("Stages of the pathway “%(pathway)s”.") % {
                "pathway": partnership.pathway
            }
        else:
            self.fields["stage"].help_text = _(
                "The partnership has no pathway yet: the stage you choose sets it."
            )
        model_choice(self, "stage").queryset = stages
        choice(self, "stage").choices = stage_choices(
            stages, empty_label=_("Choose a stage"), current=partnership.stage
        )
        model_choice(self, "stage").empty_label = None


class PartnerAddForm(OnceForm, NewOrganizationFields):  # type: ignore[misc,valid-type]
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("An organization on Tandem that is not yet a partner."),
        error_messages={"invalid_choice": _("Choose an organization that is not yet a partner.")},
    )
    role_description = forms.CharField(
        label=_("Role"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this organization brings and does in the partnership."),
    )

    def __init__(
        self, *args: Any, partnership: Partnership, search: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "organization").queryset = invitable_organizations(
            partnership=partnership
        )
        _offer_found(self, "organization", search)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["new_organization"] = _new_organization(cleaned, "new_organization")
        return cleaned


class PartnerDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The city reads this on the partnership's page."),
    )


class PartnerEditForm(forms.Form):
    role_description = forms.CharField(
        label=_("Role"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What this organization brings and does in the partnership."),
    )


class ResponsibilityAddForm(OnceForm):
    organization = forms.ModelChoiceField(
        label=_("Who"),
        queryset=Organization.objects.none(),
        help_text=_("The partner organization, or the city, that takes this on."),
    )
    description = forms.CharField(label=_("What"), max_length=300)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=DateInput(), help_text=_("Optional.")
    )

    def __init__(self, *args: Any, organization_ids: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "organization").queryset = Organization.objects.filter(
            pk__in=list(organization_ids)
        )


class ResponsibilityEditForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=Responsibility.Status.choices, widget=forms.RadioSelect
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if there is no date."),
    )


class PlanSectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary in one line"),
        max_length=200,
        required=False,
        help_text=_("In plain words, for beneficiaries reading on a phone or on paper."),
    )
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


PlanSectionFormSet = forms.formset_factory(
    PlanSectionForm, extra=2, max_num=50, validate_max=True, absolute_max=60
)


class PlanPublishForm(OnceForm, VersionedForm):
    """A new version of the plan: its sections (one form each, in ``sections``) and a note.

    The cleaned data are what ``plan_publish`` takes: ``sections`` as (heading, text,
    summary) triples, blank ones included, since the service decides what a section needs, and the
    number of the version it starts from as ``expected_version``.
    """

    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("A line for the partners and beneficiaries, e.g. “Added the summer outreach”."),
    )

    def __init__(
        self, data: Any = None, files: Any = None, *, latest: PlanVersion | None, **kwargs: Any
    ) -> None:
        super().__init__(data, files, **kwargs)
        self.initial.setdefault("expected_version", latest.number if latest is not None else 0)
        self.sections = PlanSectionFormSet(
            data, initial=self._sections_of(latest), prefix="sections"
        )

    @staticmethod
    def _sections_of(version: PlanVersion | None) -> list[dict[str, str]]:
        if version is None:
            return []
        return [
            {"heading": s.heading, "summary": s.summary, "body": s.body}
            for s in version.sections.all()
        ]

    def show_stored(self, current: models.Model) -> None:
        """The version someone else published meanwhile, to start from again."""
        assert isinstance(current, PlanVersion)
        super().show_stored(current)
        self.latest = current
        self.sections = PlanSectionFormSet(initial=self._sections_of(current), prefix="sections")

    def stored_values(self, current: models.Model) -> dict[str, Any]:
        assert isinstance(current, PlanVersion)
        return {"note": "", "expected_version": current.number}

    def is_valid(self) -> bool:
        # Both are checked, so every section shows its own messages too.
        sections_valid = self.sections.is_valid()
        return super().is_valid() and sections_valid

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.sections.is_valid():
            # An extra section left untouched has no cleaned data at all.
            cleaned["sections"] = [
                (
                    form.cleaned_data.get("heading", ""),
                    form.cleaned_data.get("body", ""),
                    form.cleaned_data.get("summary", ""),
                )
                for form in self.sections
            ]
        return cleaned


class CheckInScheduleForm(OnceForm):
    due_date = forms.DateField(
        label=_("Date of the check-in"),
        widget=DateInput(),
        help_text=_("Today or a later date."),
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Optional: shown in the partners' calendars."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Optional: an address, a room or a video call link."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_date"].widget.attrs["min"] = _today_iso()


class CheckInMoveForm(forms.Form):
    """Another date, time or place for a scheduled check-in; calendars follow."""

    due_date = forms.DateField(label=_("Date of the check-in"), widget=DateInput())
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Optional: shown in the partners' calendars."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Optional: an address, a room or a video call link."),
    )

    def __init__(self, *args: Any, checkin: CheckIn, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"due_date": checkin.due_date, "time": checkin.time, "place": checkin.place},
        )
        super().__init__(*args, **kwargs)
        self.fields["due_date"].widget.attrs["min"] = _today_iso()


class IndicatorFields(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("What you count or measure, e.g. “Families supported”."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=50, help_text=_("e.g. people, tonnes, %"))
    direction = forms.ChoiceField(
        label=_("Which way is good?"),
        choices=Indicator.Direction.choices,
        initial=Indicator.Direction.UP,
        widget=forms.RadioSelect,
    )
    baseline = forms.DecimalField(
        label=_("Baseline"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Where you start from."),
    )
    target = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, help_text=_("Where you want to be.")
    )
    target_date = forms.DateField(
        label=_("Target date"), widget=DateInput(), help_text=_("When you want to reach it.")
    )
    allows_negative = forms.BooleanField(
        label=_("Values can be negative"),
        required=False,
        help_text=_("For a change that can go either way, such as a temperature difference."),
    )
    allows_above_100 = forms.BooleanField(
        label=_("Percentages can go above 100"),
        required=False,
        help_text=_("For a percentage unit only, such as growth against last year."),
    )


class IndicatorForm(OnceForm, IndicatorFields):
    pass


class IndicatorEditForm(VersionedForm, IndicatorFields):
    pass


class ExperimentStartForm(OnceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    hypothesis = forms.CharField(
        label=_("Hypothesis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you expect to happen, and why: “If we …, then …”."),
    )
    what_is_tried = forms.CharField(
        label=_("What we try"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you will do differently, where and for how long."),
    )
    started_on = forms.DateField(label=_("Start"), widget=DateInput(), initial=_today_iso)
    ends_on = forms.DateField(
        label=_("Planned end"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional: when you plan to look at the result."),
    )


class ExperimentCloseForm(forms.Form):
    result = forms.CharField(
        label=_("Result"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened, including what surprised you."),
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Experiment.Decision.choices,
        widget=forms.RadioSelect,
        help_text=_("Adopt it as it is, adapt it and try again, or abandon it."),
    )
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput(), initial=_today_iso)


class NeedUpdateForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=FinancialNeed.Status.choices, widget=forms.RadioSelect
    )
    discussion_notes = forms.CharField(
        label=_("How it was discussed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who talked about it, what was agreed, what happens next."),
    )
