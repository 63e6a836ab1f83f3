"""The survey form, built from the statements a person is asked, and the small forms of
rounds and shared values."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from playbook.models import SurveyStatement

DONT_KNOW = "dk"
RATING_CHOICES = [
    ("1", _("Strongly disagree")),
    ("2", _("Disagree")),
    ("3", _("Neither agree nor disagree")),
    ("4", _("Agree")),
    ("5", _("Strongly agree")),
    (DONT_KNOW, _("Don't know")),
]


class SurveyForm(forms.Form):
    remark = forms.CharField(
        label=_("Anything else you want to tell the partners? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        statements: list[SurveyStatement],
        initial_ratings: dict[int, int | None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.statements = statements
        remark = self.fields.pop("remark")
        for statement in statements:
            name = f"s{statement.pk}"
            self.fields[name] = forms.ChoiceField(
                label=statement.tr("text"),
                choices=RATING_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            if initial_ratings and statement.pk in initial_ratings:
                value = initial_ratings[statement.pk]
                self.initial[name] = DONT_KNOW if value is None else str(value)
        self.fields["remark"] = remark

    def statement_fields(self) -> list[tuple[SurveyStatement, forms.BoundField]]:
        return [(s, self[f"s{s.pk}"]) for s in self.statements]

    def ratings(self) -> dict[int, int | None]:
        """Only what was answered: a statement left blank is neither a rating nor "don't know"."""
        out: dict[int, int | None] = {}
        for statement in self.statements:
            value = self.cleaned_data.get(f"s{statement.pk}")
            if value == DONT_KNOW:
                out[statement.pk] = None
            elif value:
                out[statement.pk] = int(value)
        return out


class RoundOpenForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("closes_on", timezone.localdate() + timedelta(days=14))


class ValuesForm(forms.Form):
    text = forms.CharField(
        label=_("Our shared values"),
        help_text=_(
            "A few lines: how the partners work together and what they put first — the people "
            "served, evidence, the long haul."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AgreeForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Agree for"), coerce=int)

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = organizations
