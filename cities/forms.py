"""Forms validate what people type; the services in cities.services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from cities.models import Introduction
from core.forms import OnceForm, VersionedForm
from playbook.models import ModelPathway, Practice


def _area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


OUT_OF_DATE = _("This page was out of date and nothing was saved: open it again.")


class _Versioned(VersionedForm):
    """An edit form whose fields may all be left empty: a missing version (an old page, a
    script) is said at the top of the form, where the person sees it."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.has_error("expected_version"):
            raise ValidationError(OUT_OF_DATE)
        return cleaned


class ContactForm(VersionedForm):
    person = forms.ModelChoiceField(
        label=_("Point of contact"), queryset=User.objects.none(), empty_label=None
    )
    public_email = forms.EmailField(
        label=_("Public e-mail address"),
        required=False,
        help_text=_("Shown on the city's public page. Leave empty to show none."),
    )
    how_to_reach = forms.CharField(
        label=_("How to reach them"),
        required=False,
        max_length=2000,
        widget=_area(3),
        help_text=_("Office hours, a phone number, what to send first: shown to the public."),
    )

    def __init__(self, *args: Any, city: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(memberships__organization=city).order_by("name")


class OfferForm(VersionedForm):
    who_we_are = forms.CharField(label=_("Who we are"), max_length=4000, widget=_area())
    value = forms.CharField(
        label=_("The value we bring"),
        max_length=4000,
        widget=_area(),
        help_text=_("What you can do, told plainly: no promise to solve everything."),
    )
    needs = forms.CharField(
        label=_("What we need to sustain our role"),
        max_length=4000,
        widget=_area(),
        help_text=_("Money, time, data, access: what keeps you in the partnership."),
    )
    beneficiaries = forms.CharField(
        label=_("The people we would bring along"),
        max_length=4000,
        required=False,
        widget=_area(3),
        help_text=_("The people you serve who would take part in the conversation."),
    )


class IntroductionForm(OnceForm):
    organization = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organization.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=_area(5),
        help_text=_("Why you would like to meet. Your offer is attached as it is now."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Organization.objects.filter(pk__in=user.organization_ids())
            .exclude(kind=Organization.Kind.CITY)
            .exclude(status=Organization.Status.DECLINED)
        )


class IntroductionStatusForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Introduction.Status.TALKING, Introduction.Status.TALKING.label),
            (Introduction.Status.DECLINED, Introduction.Status.DECLINED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=2000,
        widget=_area(3),
        help_text=_("Needed when you decline: the organization reads it."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=_area(3))


class OpenPartnershipForm(OnceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(
        label=_("Shared goal"),
        max_length=300,
        help_text=_("What the partners want to achieve together, and by when."),
    )
    problem_statement = forms.CharField(
        label=_("Problem statement"), max_length=10_000, widget=_area()
    )
    pathway = forms.ModelChoiceField(
        label=_("Model pathway"), queryset=ModelPathway.objects.all(), required=False
    )


class ExperienceForm(OnceForm):
    department = forms.CharField(label=_("Department"), max_length=200)
    organization_name = forms.CharField(label=_("Organization"), max_length=200)
    what_happened = forms.CharField(label=_("What happened"), max_length=10_000, widget=_area())
    what_was_learned = forms.CharField(
        label=_("What was learned"), max_length=10_000, widget=_area()
    )


class ExperienceEditForm(VersionedForm):
    department = forms.CharField(label=_("Department"), max_length=200)
    organization_name = forms.CharField(label=_("Organization"), max_length=200)
    what_happened = forms.CharField(label=_("What happened"), max_length=10_000, widget=_area())
    what_was_learned = forms.CharField(
        label=_("What was learned"), max_length=10_000, widget=_area()
    )


class SectionForm(_Versioned):
    body = forms.CharField(label=_("Text"), required=False, max_length=10_000, widget=_area(8))


def _partner_organizations() -> Any:
    return Organization.objects.listed().exclude(kind=Organization.Kind.CITY).order_by("name")


class StatementInviteForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        help_text=_("A local social enterprise, group or network."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _partner_organizations()


class _AsOrganization(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organization.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, organization_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organization.objects.filter(pk__in=organization_ids)


class CommentForm(_AsOrganization):
    text = forms.CharField(label=_("Your comment"), max_length=4000, widget=_area(3))


class EndorseForm(_AsOrganization):
    pass


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=2000,
        widget=_area(2),
        help_text=_("Needed from the second version on: one or two sentences for readers."),
    )


class ChecklistItemForm(_Versioned):
    done = forms.BooleanField(label=_("Done"), required=False)
    note = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=_area(3))
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        required=False,
        max_length=500,
        help_text=_("A document, a page or a decision that shows the step was taken."),
    )


class NetworkMemberForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )

    def __init__(self, *args: Any, network: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _partner_organizations().exclude(pk=network.pk)


class CityStoryForm(OnceForm):
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(
        label=_("The story"),
        max_length=10_000,
        widget=_area(8),
        help_text=_("Paragraphs separated by a blank line."),
    )
    practices = forms.ModelMultipleChoiceField(
        label=_("Practices it shows"),
        queryset=Practice.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pathways = forms.ModelMultipleChoiceField(
        label=_("Pathways it shows"),
        queryset=ModelPathway.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
