from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import services
from accounts.models import Invitation, InvitationQuerySet, Membership, Organization, User
from core.http import AuthenticatedHttpRequest


class TandemUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class TandemUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users sign in with their e-mail address; there is no username."""

    form = TandemUserChangeForm
    add_form = TandemUserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "preferred_language", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("name", "preferred_language")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = [MembershipInline]

    def get_inlines(
        self, request: HttpRequest, obj: User | None
    ) -> list[type[InlineModelAdmin[Any, Any]]] | tuple[type[InlineModelAdmin[Any, Any]], ...]:
        # Adding a user is just e-mail and password; memberships come once they exist.
        return [] if obj is None else super().get_inlines(request, obj)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "created_at"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization__kind"]
    search_fields = ["user__email", "user__name", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "expires_at", "status"]
    list_filter = ["role"]
    search_fields = ["email", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization", "invited_by", "accepted_by"]
    # The token is a secret capability: it is never shown, even to staff.
    exclude = ["token"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by"]
    actions = ["revoke"]

    @admin.display(description=_("status"))
    def status(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return str(_("accepted"))
        if invitation.revoked_at:
            return str(_("withdrawn"))
        if invitation.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("pending"))

    @admin.action(description=_("Withdraw the selected invitations"), permissions=["change"])
    def revoke(self, request: AuthenticatedHttpRequest, queryset: InvitationQuerySet) -> None:
        # Only invitations nobody has used yet; accepted ones are history. Each goes through
        # the service, which checks again under a lock: one accepted meanwhile is left alone.
        count = 0
        for invitation in queryset.pending():
            try:
                services.invitation_revoke(actor=request.user, invitation=invitation)
            except ValidationError:
                continue
            count += 1
        self.message_user(request, _("%(count)d invitations withdrawn.") % {"count": count})
