"""Forms validate what people type; the services in beneficiaries.services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Participant


class ParticipantInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the invitation there; nobody else in the partnership sees it."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Participant.Role.choices, initial=Participant.Role.ADVISOR
    )
