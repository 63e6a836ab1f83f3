"""Forms validate what people type; the services in beneficiaries.services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from beneficiaries.models import (
    COMMENT_MAX_LENGTH,
    Comment,
    CommentReport,
    Training,
    TrainingSignup,
)
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


class TrainingAttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label=_("Who came"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, signups: list[TrainingSignup], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["attended"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(s.pk, s.user.display_name) for s in signups]
        self.initial["attended"] = [s.pk for s in signups if s.attended]
