from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import Event, OutboundEmail
from core.outbox import outbound_email_retry


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


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox, read only: what waits, what was sent, what failed and why."""

    list_display = ["created_at", "status", "attempts", "subject", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["message_id", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        # The rows stay read only; sending one again is a change to the outbox.
        return request.user.has_perm("core.change_outboundemail")

    @admin.action(description=_("Try the failed e-mails again"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        count = outbound_email_retry(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed e-mail will be sent again.",
                "%(count)d failed e-mails will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
