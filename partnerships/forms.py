"""Forms for the in-place actions on the partnership page.

Forms only shape input and narrow the choices to what makes sense for this
partnership; the service function they feed decides what is allowed and
validates again. Each form can carry its own ``auto_id`` so several copies on
one page (one per check-in or indicator) keep unique, well-labelled ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from partnerships import permissions as perms
from partnerships.models import Lever, Partnership
from playbook.models import Practice

if TYPE_CHECKING:
    from accounts.models import User as UserType


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _partner_organizations(partnership: Partnership) -> Any:
    allowed = partnership.partner_organization_ids() | {partnership.city_id}
    return Organization.objects.filter(pk__in=allowed).order_by("name")


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Shows a service's ValidationError on the form: per field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Several ids, each checked against the column's integer range before any query.

    Django hands an id like 99999999999999999999 to an ``__in`` lookup, which SQLite
    cannot bind (OverflowError) and PostgreSQL refuses: a 500 for something a person typed.
    """

    def _check_values(self, value: Any) -> Any:
        ops = connections[self.queryset.db].ops
        low, high = ops.integer_field_ranges.get(
            self.queryset.model._meta.pk.get_internal_type(), (None, None)
        )
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
        return super()._check_values(value)


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
        self.fields["attending_organizations"].queryset = organizations
        self.fields["attendees"].queryset = (
            User.objects.filter(memberships__organization__in=organizations, is_active=True)
            .distinct()
            .order_by("name", "email")
        )
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())


class ProgressForm(forms.Form):
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

    def __init__(self, *args: Any, user: UserType, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = perms.organizations_for(user, partnership)
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=allowed).order_by(
            "name"
        )
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            # Most people act for the partner they are in, not for the city.
            preferred = [pk for pk in allowed if pk != partnership.city_id] or allowed
            if preferred:
                self.initial.setdefault("organization", preferred[0])


class MeasurementForm(forms.Form):
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


class NeedForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization that needs it"),
        queryset=Organization.objects.none(),
        empty_label=None,
    )
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0.01)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        initial="USD",
        help_text=_("Three-letter code, such as USD, EUR or MXN."),
    )
    period = forms.CharField(
        label=_("Period"), max_length=100, help_text=_("e.g. 2027 or Q1 to Q2 2027.")
    )
    purpose = forms.CharField(
        label=_("What the money is for"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: UserType, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = perms.organizations_for(user, partnership)
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=allowed).order_by(
            "name"
        )
        preferred = [pk for pk in allowed if pk != partnership.city_id] or allowed
        if not self.is_bound and preferred:
            self.initial.setdefault("organization", preferred[0])
