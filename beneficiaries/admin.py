from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries.models import Participant


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["user", "partnership", "role", "consent_given_at", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "partnership__title"]
    list_select_related = ["user", "partnership"]
    autocomplete_fields = ["user", "invited_by"]
    raw_id_fields = ["partnership"]
