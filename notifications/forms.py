"""The preference page's form: a choice per kind and channel, and the reminder days."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.models import Channel, Frequency
from notifications.services import allowed_frequencies

REMINDER_DAY_CHOICES = [
    (0, _("On the day")),
    (1, _("1 day before")),
    (3, _("3 days before")),
    (7, _("A week before")),
    (14, _("Two weeks before")),
]


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    reminder_days = forms.TypedMultipleChoiceField(
        label=_("Remind me of a check-in"),
        choices=REMINDER_DAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Overdue check-ins are reminded of the day after and a week after."),
    )

    def __init__(self, *args: Any, table: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Frequency.choices)
        self.rows: list[tuple[kinds.Kind, list[forms.BoundField]]] = []
        for row in table:
            kind: kinds.Kind = row["kind"]
            bound = []
            for channel, channel_label in Channel.choices:
                name = field_name(kind.slug, channel)
                self.fields[name] = forms.ChoiceField(
                    label=f"{kind.label}: {channel_label}",
                    choices=[(value, labels[value]) for value in allowed_frequencies(channel)],
                    initial=row[channel],
                )
                bound.append(self[name])
            self.rows.append((kind, bound))

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "frequencies": {
                (kind.slug, channel): data[field_name(kind.slug, channel)]
                for kind, _bound in self.rows
                for channel in Channel.values
            },
            "reminder_days": data["reminder_days"],
        }
