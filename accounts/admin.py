from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import services
from accounts.forms import OrganizationDeclineForm
from accounts.models import (
    Invitation,
    InvitationQuerySet,
    Membership,
    Organization,
    OrganizationQuerySet,
    User,
)
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
    list_display = ["name", "kind", "country", "status", "created_at"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # The review is the services' to change: they log it and tell the city's administrators.
    readonly_fields = ["status", "review_note", "reviewed_at", "reviewed_by"]
    inlines = [MembershipInline]
    actions = ["approve", "decline"]

    @admin.action(description=_("Approve the selected registrations"), permissions=["change"])
    def approve(self, request: AuthenticatedHttpRequest, queryset: OrganizationQuerySet) -> None:
        count = 0
        for organization in queryset.exclude(status=Organization.Status.APPROVED):
            try:
                services.organization_approve(actor=request.user, organization=organization)
            except ValidationError:
                continue
            count += 1
        self.message_user(request, _("%(count)d organizations approved.") % {"count": count})

    @admin.action(description=_("Decline the selected registrations"), permissions=["change"])
    def decline(
        self, request: AuthenticatedHttpRequest, queryset: OrganizationQuerySet
    ) -> HttpResponse | None:
        """Asks for the reason first, on a page of its own, then declines each one."""
        pending = queryset.filter(status=Organization.Status.PENDING)
        form = OrganizationDeclineForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = 0
            for organization in pending:
                try:
                    services.organization_decline(
                        actor=request.user,
                        organization=organization,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError:
                    continue
                count += 1
            self.message_user(request, _("%(count)d organizations declined.") % {"count": count})
            return None
        return TemplateResponse(
            request,
            "admin/accounts/organization/decline.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Decline the selected registrations"),
                "organizations": pending,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )


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
