"""What the API shows of each object, and the bodies its writes take.

Writes only shape the input (types, lengths, lists); the rules are the services', whose
messages come back per field (api/errors.py).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.models import Organization
from beneficiaries.models import COMMENT_MAX_LENGTH, Comment, CommentAnswer
from health.models import RoundScore
from notifications.models import Notification
from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Lever,
    Measurement,
    Partner,
    Partnership,
    PlanSection,
    PlanVersion,
    ProgressUpdate,
    Responsibility,
    StageChange,
)
from playbook.models import ModelPathway, Practice, Stage

# Bulk requests beyond this are refused: split them.
BULK_LIMIT = 10_000


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "kind", "country", "website", "description", "status"]


class PartnershipSerializer(serializers.ModelSerializer[Partnership]):
    class Meta:
        model = Partnership
        fields = [
            "id",
            "title",
            "city",
            "lead",
            "goal",
            "problem_statement",
            "status",
            "pathway",
            "stage",
            "start_date",
            "cadence",
            "point_of_contact",
            "visibility",
            "created_at",
            "last_activity_at",
            "archived_at",
            "version",
        ]


class PartnerSerializer(serializers.ModelSerializer[Partner]):
    class Meta:
        model = Partner
        fields = ["id", "organization", "role_description", "status", "joined_on", "invited_at"]


class ResponsibilitySerializer(serializers.ModelSerializer[Responsibility]):
    class Meta:
        model = Responsibility
        fields = ["id", "organization", "description", "due_date", "status", "version"]


class StageChangeSerializer(serializers.ModelSerializer[StageChange]):
    class Meta:
        model = StageChange
        fields = ["id", "from_stage", "to_stage", "changed_at", "reason"]


class PlanSectionSerializer(serializers.ModelSerializer[PlanSection]):
    class Meta:
        model = PlanSection
        fields = ["order", "heading", "body"]


class PlanVersionSerializer(serializers.ModelSerializer[PlanVersion]):
    sections = PlanSectionSerializer(many=True, read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["id", "partnership", "number", "note", "published_at", "sections"]


class CheckInSerializer(serializers.ModelSerializer[CheckIn]):
    class Meta:
        model = CheckIn
        fields = [
            "id",
            "partnership",
            "due_date",
            "status",
            "held_on",
            "notes",
            "decisions",
            "follow_ups",
            "attendees",
            "attending_organizations",
            "recorded_at",
            "version",
        ]


class ProgressUpdateSerializer(serializers.ModelSerializer[ProgressUpdate]):
    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "partnership",
            "organization",
            "author",
            "date",
            "text",
            "practices",
            "levers",
            "created_at",
            "version",
        ]


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "partnership",
            "name",
            "unit",
            "direction",
            "baseline",
            "target",
            "target_date",
            "allows_negative",
            "allows_above_100",
            "version",
        ]


class MeasurementSerializer(serializers.ModelSerializer[Measurement]):
    class Meta:
        model = Measurement
        fields = ["id", "indicator", "date", "value", "source", "entered_by", "created_at"]


class ExperimentSerializer(serializers.ModelSerializer[Experiment]):
    class Meta:
        model = Experiment
        fields = [
            "id",
            "partnership",
            "title",
            "hypothesis",
            "what_is_tried",
            "started_on",
            "ends_on",
            "result",
            "decision",
        ]


class FinancialNeedSerializer(serializers.ModelSerializer[FinancialNeed]):
    class Meta:
        model = FinancialNeed
        fields = [
            "id",
            "partnership",
            "organization",
            "amount",
            "currency",
            "period",
            "purpose",
            "status",
            "created_at",
            "version",
        ]


class PracticeSerializer(serializers.ModelSerializer[Practice]):
    class Meta:
        model = Practice
        fields = ["id", "slug", "number", "name", "short_description"]


class StageSerializer(serializers.ModelSerializer[Stage]):
    class Meta:
        model = Stage
        fields = ["id", "pathway", "order", "slug", "name", "what_to_expect", "city_support"]


class PathwaySerializer(serializers.ModelSerializer[ModelPathway]):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = ModelPathway
        fields = ["id", "slug", "endgame", "order", "name", "description", "stages"]


class HiddenSerializer(serializers.Serializer[Any]):
    """A figure the health page hides, with the page's reason."""

    hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()


class GroupFigureSerializer(HiddenSerializer):
    group = serializers.CharField()
    name = serializers.CharField()
    # Both null when the figure is hidden (or nobody in the group answered).
    n = serializers.IntegerField(allow_null=True)
    score = serializers.IntegerField(allow_null=True)


class ContributionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    sentence = serializers.CharField()
    points = serializers.IntegerField()
    possible_points = serializers.IntegerField()


class PracticeScoreSerializer(serializers.Serializer[Any]):
    """One practice's current score with its explanation, as the health page shows it."""

    practice = serializers.IntegerField()
    practice_slug = serializers.CharField()
    combined = serializers.IntegerField(allow_null=True)
    perception = serializers.IntegerField(allow_null=True)
    behaviour = serializers.IntegerField(allow_null=True)
    band = serializers.CharField()
    confidence = serializers.FloatField()
    spread = serializers.IntegerField(allow_null=True)
    formula_version = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    overall = HiddenSerializer()
    groups = GroupFigureSerializer(many=True)
    contributions = ContributionSerializer(many=True)
    would_raise = serializers.ListField(child=serializers.CharField())


class RoundScoreSerializer(serializers.ModelSerializer[RoundScore]):
    """A practice's score as it stood when a round closed: one point of the trend."""

    round_number = serializers.IntegerField(source="round.number", read_only=True)
    closed_at = serializers.DateTimeField(source="round.closed_at", read_only=True)

    class Meta:
        model = RoundScore
        fields = [
            "id",
            "round",
            "round_number",
            "closed_at",
            "practice",
            "combined",
            "perception",
            "behaviour",
            "band",
            "confidence",
            "formula_version",
        ]


class CommentAnswerSerializer(serializers.ModelSerializer[CommentAnswer]):
    class Meta:
        model = CommentAnswer
        fields = ["body", "changed_version", "answered_by", "answered_at"]


class CommentSerializer(serializers.ModelSerializer[Comment]):
    plan_version = serializers.IntegerField(source="section.version_id", read_only=True)
    hidden = serializers.BooleanField(source="is_hidden", read_only=True)
    # Null until a partner answers ("you said, we did").
    answer = CommentAnswerSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "partnership",
            "plan_version",
            "section",
            "parent",
            "author",
            "source",
            "spoken_by",
            "spoken_on",
            "body",
            "created_at",
            "edited_at",
            "hidden",
            "answer",
            "version",
        ]


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    partnership = serializers.IntegerField(source="partnership_id", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "partnership", "url", "data", "created_at", "read_at"]


# --- Bodies of writes -------------------------------------------------------------------


class MeasurementCreateSerializer(serializers.Serializer[Any]):
    indicator = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    date = serializers.DateField()
    # Text or a JSON number; the service rounds and bounds it.
    value = serializers.DecimalField(max_digits=30, decimal_places=10, coerce_to_string=True)
    source = serializers.CharField(max_length=200)  # type: ignore[assignment]


class MeasurementBulkSerializer(serializers.Serializer[Any]):
    measurements = MeasurementCreateSerializer(  # type: ignore[call-arg]
        many=True, allow_empty=False, max_length=BULK_LIMIT
    )


class MeasurementBulkResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class CheckInRecordSerializer(serializers.Serializer[Any]):
    held = serializers.BooleanField()
    held_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    decisions = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    follow_ups = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    attendees = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=200,
    )
    attending_organizations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=200,
    )


class ProgressUpdateCreateSerializer(serializers.Serializer[Any]):
    partnership = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    organization = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    text = serializers.CharField(max_length=20_000)
    date = serializers.DateField(required=False, allow_null=True)
    practices = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=8,
    )
    levers = serializers.ListField(
        child=serializers.ChoiceField(choices=Lever.choices), required=False, max_length=20
    )


class ProgressUpdateEditSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=20_000, required=False)
    date = serializers.DateField(required=False)


class CommentAnswerCreateSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH)
    changed_version = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, allow_null=True
    )


class MarkReadSerializer(serializers.Serializer[Any]):
    # None of them: all the caller's unread notifications.
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
    )


class MarkReadResultSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField()
