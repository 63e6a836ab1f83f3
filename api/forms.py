"""The forms of the Developers pages: make a token, add a webhook endpoint."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from api import webhooks
from api.models import Scope
from core.forms import OnceForm


class TokenForm(OnceForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses it, e.g. “Data warehouse”."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.READ)
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        help_text=_("Optional. After this moment the token no longer works."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class WebhookForm(OnceForm):
    url = forms.URLField(
        label=_("Address"), max_length=500, assume_scheme="https", help_text=_("An https address.")
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=list(webhooks.TYPE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
