"""Forms validate what people type; the services in accounts.services do the work."""

from __future__ import annotations

from typing import Any

from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.models import Membership, Organization, User
from core.forms import choice


class OrganizationCreateForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "country", "languages", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choice(self, "kind").choices = [
            (value, label)
            for value, label in Organization.Kind.choices
            if permissions.can_create_organization(user, value)
        ]
        self.fields["country"].widget.attrs.update(
            {"maxlength": 2, "autocomplete": "country", "class": "short"}
        )

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(_("Enter a two-letter country code, e.g. US, BR, MX."))
        return country


class OrganizationDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The people who registered read this."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class OrganizationMFAForm(forms.Form):
    # One button sends "yes" (require it) or "no" (stop requiring it).
    requires_mfa = forms.TypedChoiceField(
        label=_("Two-factor authentication"),
        choices=[("yes", _("Required")), ("no", _("Not required"))],
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
    )


class MembershipRoleForm(forms.Form):
    # Any text: the service says "choose one of the listed roles", the one message the
    # organization's page shows at its top for a refused role.
    role = forms.CharField(label=_("Role"), required=False)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "preferred_language"]
        labels = {"name": _("Your name")}
        help_texts = {
            "name": _("Shown to the people you work with."),
            "preferred_language": _("Tandem shows its pages to you in this language."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        choice(self, "preferred_language").choices = settings.LANGUAGES


# allauth's passkey forms, with the labels its Spanish lacks (settings.MFA_FORMS).
class AddPasskeyForm(AddWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name")
        self.fields["name"].help_text = _("To tell your keys apart, e.g. “Work laptop”.")
        if "passwordless" in self.fields:
            self.fields["passwordless"].label = _("Use it to sign in without a password")


class EditPasskeyForm(EditWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name")
