from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from notifications import services
from notifications.models import Dispatch, Notification, Preference, Subscriber


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    """Where a person looks at the e-mails cut off while sending (status "Needs attention")."""

    list_display = ["pk", "kind", "channel", "status", "occasion", "due_at", "sent_at", "attempts"]
    list_filter = ["status", "kind", "channel"]
    readonly_fields = [field.name for field in Dispatch._meta.fields]
    actions = ["send_again", "set_aside"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Send again (it had not gone out)")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Dispatch]) -> None:
        for dispatch in queryset.filter(status=Dispatch.Status.ATTENTION):
            services.dispatch_resolve(actor=request.user, dispatch=dispatch, resend=True)  # type: ignore[arg-type]
        messages.success(request, "Queued again.")

    @admin.action(description="Set aside (it had gone out)")
    def set_aside(self, request: HttpRequest, queryset: QuerySet[Dispatch]) -> None:
        for dispatch in queryset.filter(status=Dispatch.Status.ATTENTION):
            services.dispatch_resolve(actor=request.user, dispatch=dispatch, resend=False)  # type: ignore[arg-type]
        messages.success(request, "Set aside.")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "recipient", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "dispatch"]


admin.site.register(Preference)
admin.site.register(Subscriber)
