from django.contrib import admin

from core.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The log is written by the services only: here it is read, never changed."""

    list_display = ["created_at", "action", "actor_kind", "actor", "partnership_id", "private"]
    list_filter = ["actor_kind", "private", "action"]
    list_select_related = ["actor"]
    search_fields = ["action"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Event._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
