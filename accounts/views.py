from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts import permissions, services
from accounts.forms import (
    InvitationForm,
    MembershipRoleForm,
    OrganizationCreateForm,
    PreferencesForm,
)
from accounts.models import Invitation, Membership, Organization


def home(request: HttpRequest) -> HttpResponse:
    """The front door: a welcome for visitors, the right workspace for a signed-in person."""
    if request.user.is_authenticated:
        memberships = request.user.memberships.select_related("organization")
        if any(m.organization.is_city for m in memberships):
            return redirect("partnerships:dashboard")
        if memberships:
            return redirect("partnerships:my")
    return render(request, "home.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors here: the database may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """Stands in for the admin's own login form, which would check passwords without a rate limit.

    Everyone signs in through allauth's login; the admin only lets staff in afterwards.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_active and request.user.is_staff):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    return HttpResponseRedirect(target)


# --- Organizations ------------------------------------------------------------------


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("organization").order_by(
        "organization__name"
    )
    return render(request, "accounts/organization_list.html", {"memberships": memberships})


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    # An empty POST is a submitted form too: it must be bound to get its field messages.
    data = request.POST if request.method == "POST" else None
    form = OrganizationCreateForm(data, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                organization = services.organization_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your organization was created."))
                return redirect("accounts:organization_detail", pk=organization.pk)
        return render(request, "accounts/organization_create.html", {"form": form}, status=400)
    return render(request, "accounts/organization_create.html", {"form": form})


def _organization_for_member_or_404(request: HttpRequest, pk: int) -> Organization:
    # Someone outside the organization learns nothing, not even that it exists.
    if not permissions.is_member(request.user, pk):
        raise Http404
    return get_object_or_404(Organization, pk=pk)


def _organization_for_admin_or_404(request: HttpRequest, pk: int) -> Organization:
    organization = _organization_for_member_or_404(request, pk)
    if not permissions.is_organization_admin(request.user, organization):
        raise Http404
    return organization


def _method_not_allowed_unless_post(request: HttpRequest) -> HttpResponse | None:
    # Checked after the permission check, so a 405 never confirms that something exists.
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    return None


def _render_detail(
    request: HttpRequest,
    organization: Organization,
    *,
    invite_form: InvitationForm | None = None,
    action_error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    is_admin = permissions.is_organization_admin(request.user, organization)
    memberships = list(organization.memberships.select_related("user").order_by("user__email"))
    admin_count = sum(1 for m in memberships if m.role == Membership.Role.ADMIN)
    own_membership = next((m for m in memberships if m.user_id == request.user.pk), None)
    context = {
        "organization": organization,
        "memberships": memberships,
        "is_admin": is_admin,
        "own_membership": own_membership,
        "can_leave": own_membership is not None
        and permissions.can_leave(request.user, own_membership, admin_count=admin_count),
        "role_choices": Membership.Role.choices,
        "action_error": action_error,
    }
    if is_admin:
        context["invitations"] = organization.invitations.pending().select_related("invited_by")
        context["invite_form"] = invite_form or InvitationForm()
    return render(request, "accounts/organization_detail.html", context, status=status)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization_for_member_or_404(request, pk)
    return _render_detail(request, organization)


@login_required
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization_for_admin_or_404(request, pk)
    if response := _method_not_allowed_unless_post(request):
        return response
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:organization_detail", pk=organization.pk)
    return _render_detail(request, organization, invite_form=form, status=400)


@login_required
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organization = _organization_for_admin_or_404(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, organization=organization)
    if response := _method_not_allowed_unless_post(request):
        return response
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        return _render_detail(request, organization, action_error=_error_text(error), status=400)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("accounts:organization_detail", pk=organization.pk)


@login_required
def membership_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organization = _organization_for_admin_or_404(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, organization=organization)
    if response := _method_not_allowed_unless_post(request):
        return response
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        return _render_detail(
            request,
            organization,
            action_error=_("Choose one of the listed roles."),
            status=400,
        )
    try:
        services.membership_set_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        return _render_detail(request, organization, action_error=_error_text(error), status=400)
    messages.success(request, _("The role was changed."))
    return redirect("accounts:organization_detail", pk=organization.pk)


@login_required
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Administrators remove people; anyone may leave an organization themselves."""
    organization = _organization_for_member_or_404(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, organization=organization)
    if not permissions.can_remove_member(request.user, membership):
        raise Http404
    leaving = membership.user_id == request.user.pk
    if response := _method_not_allowed_unless_post(request):
        return response
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        return _render_detail(request, organization, action_error=_error_text(error), status=400)
    if leaving:
        messages.success(
            request, _("You left %(organization)s.") % {"organization": organization.name}
        )
        return redirect("accounts:organizations")
    messages.success(request, _("The member was removed."))
    return redirect("accounts:organization_detail", pk=organization.pk)


# --- Invitations ---------------------------------------------------------------------

# secrets.token_urlsafe's alphabet, at most as long as the column.
INVITATION_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    if not INVITATION_TOKEN.fullmatch(token):
        # Not a token we could have made; PostgreSQL would refuse one with a NUL byte.
        raise Http404
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization", "invited_by"), token=token
    )
    problem = services.invitation_problem(user=request.user, invitation=invitation)
    if request.method == "POST" and problem is None:
        try:
            membership = services.invitation_accept(user=request.user, token=token)
        except ValidationError as error:
            problem = _error_text(error)
        else:
            messages.success(
                request,
                _("Welcome to %(organization)s.") % {"organization": membership.organization.name},
            )
            return redirect("accounts:organization_detail", pk=membership.organization_id)
    context = {"invitation": invitation, "problem": problem}
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/invitation_accept.html", context, status=status)


# --- Preferences ---------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, instance=request.user)
    if request.method == "POST":
        if not form.is_valid():
            # ModelForm validation writes to the instance; the page must show what is stored.
            request.user.refresh_from_db()
            return render(request, "accounts/profile.html", {"form": form}, status=400)
        user = services.user_update_preferences(
            user=request.user,
            name=form.cleaned_data["name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        language = user.preferred_language
        translation.activate(language)
        messages.success(request, _("Your preferences were saved."))
        # Reversed after activation, so the redirect lands on the page in the new language;
        # the cookie keeps it for pages outside the language-prefixed URLs.
        response = redirect(reverse("accounts:profile"))
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})
