"""Forms validate what people type; the services in beneficiaries.services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Training, TrainingSignup
from core.forms import OnceForm
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


class PrintedInvitationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=Participant.Role.choices, initial=Participant.Role.ADVISOR
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("The eight letters and digits on your paper invitation, like BCDF-2345."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class WelcomeForm(forms.Form):
    name = forms.CharField(
        label=_("What should we call you?"),
        max_length=150,
        required=False,
        help_text=_("Your first name or a nickname: the partners see it."),
    )


class ConsentForm(forms.Form):
    agree = forms.BooleanField(label=_("I agree"), required=True)


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my account and what Tandem stores about me are deleted for good."),
        required=True,
    )
    delete_authored = forms.BooleanField(
        label=_("Also delete what I wrote (otherwise it stays, signed “a former participant”)."),
        required=False,
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class TrainingForm(OnceForm):
    topic = forms.ChoiceField(label=_("Topic"), choices=Training.Topic.choices)
    own_topic = forms.CharField(
        label=_("Your own topic"),
        max_length=120,
        required=False,
        help_text=_("Only when you chose “Another topic”."),
    )
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=12)


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label=_("Who came"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, signups: list[TrainingSignup], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["attended"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(s.pk, s.user.display_name) for s in signups]
        self.initial["attended"] = [s.pk for s in signups if s.attended]
