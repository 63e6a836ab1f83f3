"""Site staff's view of the partnership records, with their history where they keep one.

The admin is for support and repair; people run their partnerships through the
pages and the API, which go through the services. Records that the services
treat as immutable (published plan versions, stage changes, the timeline) are
read-only here too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Measurement,
    Participant,
    Partner,
    Partnership,
    PlanSection,
    PlanVersion,
    ProgressUpdate,
    Reframing,
    Responsibility,
    StageChange,
)


class ReadOnlyMixin:
    """Shows a record without letting anyone add, change or delete it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    raw_id_fields = ["organization", "added_by"]


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    raw_id_fields = ["organization", "created_by"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["title", "city", "lead", "status", "stage", "last_activity_at"]
    list_filter = ["status", "visibility", "cadence", "pathway"]
    list_select_related = ["city", "lead", "stage"]
    search_fields = ["title", "city__name", "lead__name"]
    raw_id_fields = ["city", "lead", "point_of_contact"]
    date_hierarchy = "created_at"
    inlines = [PartnerInline, ResponsibilityInline]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["user", "partnership", "role", "consent_given_at", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "partnership__title"]
    list_select_related = ["user", "partnership"]
    autocomplete_fields = ["user", "invited_by"]
    raw_id_fields = ["partnership"]


@admin.register(Reframing)
class ReframingAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "reframed_on", "author"]
    list_select_related = ["partnership", "author"]
    search_fields = ["partnership__title", "statement"]
    raw_id_fields = ["partnership", "author"]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["partnership", "from_stage", "to_stage", "changed_at", "changed_by"]
    list_select_related = ["partnership", "from_stage", "to_stage", "changed_by"]
    search_fields = ["partnership__title"]


@admin.register(CheckIn)
class CheckInAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "due_date", "status", "held_on", "recorded_by"]
    list_filter = ["status"]
    list_select_related = ["partnership", "recorded_by"]
    search_fields = ["partnership__title"]
    raw_id_fields = ["partnership", "recorded_by", "attendees", "attending_organizations"]
    date_hierarchy = "due_date"


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "organization", "date", "author"]
    list_select_related = ["partnership", "organization", "author"]
    search_fields = ["partnership__title", "text"]
    raw_id_fields = ["partnership", "organization", "author"]
    date_hierarchy = "date"


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    raw_id_fields = ["entered_by"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership", "unit", "baseline", "target", "target_date"]
    list_select_related = ["partnership"]
    search_fields = ["name", "partnership__title"]
    raw_id_fields = ["partnership", "created_by"]
    inlines = [MeasurementInline]


@admin.register(Experiment)
class ExperimentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "started_on", "ends_on", "decision"]
    list_filter = ["decision"]
    list_select_related = ["partnership"]
    search_fields = ["title", "partnership__title"]
    raw_id_fields = ["partnership", "created_by"]


@admin.register(FinancialNeed)
class FinancialNeedAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "organization", "amount", "currency", "period", "status"]
    list_filter = ["status", "currency"]
    list_select_related = ["partnership", "organization"]
    search_fields = ["partnership__title", "organization__name"]
    raw_id_fields = ["partnership", "organization", "stated_by"]


class PlanSectionInline(ReadOnlyMixin, admin.StackedInline):
    model = PlanSection
    extra = 0
    fields = ["order", "heading", "body"]
    readonly_fields = ["order", "heading", "body"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Published plans never change; a correction is a new version published by the partners."""

    list_display = ["partnership", "number", "note", "published_at", "published_by"]
    list_select_related = ["partnership", "published_by"]
    search_fields = ["partnership__title", "note"]
    inlines = [PlanSectionInline]
