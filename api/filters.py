"""The filters each list takes (django-filter): by partnership, status, dates."""

from __future__ import annotations

import django_filters as df

from beneficiaries.models import Comment
from notifications.models import Notification
from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Measurement,
    Partnership,
    PlanVersion,
    ProgressUpdate,
)
from playbook.models import Stage


class PartnershipFilter(df.FilterSet):
    class Meta:
        model = Partnership
        fields = ["status", "city", "lead", "pathway", "stage", "visibility"]


class PlanVersionFilter(df.FilterSet):
    class Meta:
        model = PlanVersion
        fields = ["partnership"]


class CheckInFilter(df.FilterSet):
    due_after = df.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = df.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = CheckIn
        fields = ["partnership", "status"]


class ProgressUpdateFilter(df.FilterSet):
    since = df.DateFilter(field_name="date", lookup_expr="gte")
    until = df.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = ProgressUpdate
        fields = ["partnership", "organization"]


class IndicatorFilter(df.FilterSet):
    class Meta:
        model = Indicator
        fields = ["partnership", "direction"]


class MeasurementFilter(df.FilterSet):
    partnership = df.NumberFilter(field_name="indicator__partnership")
    since = df.DateFilter(field_name="date", lookup_expr="gte")
    until = df.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Measurement
        fields = ["indicator", "partnership"]


class ExperimentFilter(df.FilterSet):
    class Meta:
        model = Experiment
        fields = ["partnership", "decision"]


class FinancialNeedFilter(df.FilterSet):
    class Meta:
        model = FinancialNeed
        fields = ["partnership", "organization", "status"]


class StageFilter(df.FilterSet):
    class Meta:
        model = Stage
        fields = ["pathway"]


class CommentFilter(df.FilterSet):
    answered = df.BooleanFilter(field_name="answer", lookup_expr="isnull", exclude=True)
    since = df.DateFilter(field_name="created_at", lookup_expr="date__gte")

    class Meta:
        model = Comment
        fields = ["partnership", "section", "parent", "source"]


class NotificationFilter(df.FilterSet):
    unread = df.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["kind"]
