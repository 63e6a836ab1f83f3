"""Forms validate what people type; the services in beneficiaries.services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from beneficiaries.models import COMMENT_MAX_LENGTH, Comment, CommentReport
from beneficiaries.services import Moderation
from core.forms import DateInput, OnceForm, VersionedForm, model_choice
from partnerships.models import CheckIn, Participant, PlanSection, PlanVersion


class ParticipantInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the invitation there; nobody else in the partnership sees it."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Participant.Role.choices, initial=Participant.Role.ADVISOR
    )


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanVersion) -> str:
        label = _gettext("Version %(number)d") % {"number": obj.number}
        return f"{label} · {obj.note}" if obj.note else label


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanSection) -> str:
        return obj.heading


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return obj.user.display_name


class CommentForm(OnceForm):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text. Everyone in the partnership can read it."),
    )


class CommentEditForm(VersionedForm):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Moderation.HIDE, _("Hide the comment")),
            (Moderation.RESTORE, _("Show the comment again")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        help_text=_("Kept in the partnership's history with your name."),
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what you did with it, or why not."),
    )
    changed_version = VersionChoiceField(
        label=_("The plan version it changed"),
        queryset=PlanVersion.objects.none(),
        required=False,
        empty_label=_("It did not change the plan"),
    )

    def __init__(self, *args: Any, comment: Comment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "changed_version").queryset = PlanVersion.objects.filter(
            partnership_id=comment.partnership_id, number__gt=comment.section.version.number
        ).order_by("-number")


class VoiceForm(OnceForm):
    section = forms.ModelChoiceField(
        label=_("Section of the plan"), queryset=PlanSection.objects.none()
    )
    body = forms.CharField(
        label=_("What was said"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In their words, as closely as you can."),
    )
    spoken_on = forms.DateField(label=_("Day it was said"), widget=DateInput())
    spoken_by = forms.CharField(
        label=_("Who said it (optional)"),
        max_length=200,
        required=False,
        help_text=_(
            "Leave empty to write “residents at the meeting” of that day. Name a person only "
            "if they agreed to it."
        ),
    )
    named_with_consent = forms.BooleanField(
        label=_("This person agreed to be named"), required=False
    )
    organization = forms.ModelChoiceField(
        label=_("Recorded for"), queryset=Organization.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        sections: models.QuerySet[PlanSection],
        organizations: models.QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "section").queryset = sections
        model_choice(self, "organization").queryset = organizations
        if len(organizations) == 1:
            self.initial.setdefault("organization", organizations[0].pk)


class AttendanceForm(forms.Form):
    participants = ParticipantChoiceField(
        label=_("Beneficiaries who took part"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, checkin: CheckIn, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice(self, "participants")
        field.queryset = checkin.partnership.participants.select_related("user")
        self.initial.setdefault(
            "participants",
            list(checkin.beneficiary_attendance.values_list("participant_id", flat=True)),
        )
