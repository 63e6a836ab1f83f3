from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import permissions, services
from accounts.forms import (
    InvitationForm,
    MembershipRoleForm,
    OrganizationCreateForm,
    OrganizationDeclineForm,
    OrganizationMFAForm,
    PreferencesForm,
)
from accounts.models import Invitation, Membership, Organization
from accounts.signals import INVITATION_SESSION_KEY
from core.forms import attempt, bind, handle, render_form, require_GET_or_POST
from core.http import AuthenticatedHttpRequest


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def _longest_rate_window_s() -> int:
    """The longest window of the configured sign-in limits ("5/5m/key" is five minutes): after
    it, every limit has forgotten the attempts that tripped it."""
    unit_s = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    longest = 60
    for rates in settings.ACCOUNT_RATE_LIMITS.values():
        for rate in str(rates or "").split(","):
            parts = rate.strip().split("/")
            if len(parts) < 2 or not parts[1] or parts[1][-1] not in unit_s:
                continue
            count = parts[1][:-1]
            longest = max(longest, int(float(count or 1) * unit_s[parts[1][-1]]))
    return longest


class LoginView(allauth_views.LoginView):
    """allauth's login, but a sign-in refused for too many failed attempts answers 429 with
    the page that says when to try again (allauth puts it on the form, answering 200)."""

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts"):
            return error_429(self.request)
        return super().form_invalid(form)


login = LoginView.as_view()


def error_429(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A rate limit tripped (allauth calls ``handler429``): say when to try again."""
    window_s = _longest_rate_window_s()
    response = render(
        request, "429.html", {"retry_minutes": max(1, -(-window_s // 60))}, status=429
    )
    response["Retry-After"] = str(window_s)
    return response


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


@require_safe
@login_required
def organization_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("organization").order_by(
        "organization__name"
    )
    return render(request, "accounts/organization_list.html", {"memberships": memberships})


@login_required
@require_GET_or_POST
def organization_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    # "Register your city" links here with ?kind=city, so the right kind is already chosen.
    kind = request.GET.get("kind", "")
    initial = {"kind": kind} if kind in Organization.Kind.values else {}
    form = bind(request, OrganizationCreateForm, user=request.user, initial=initial)
    return handle(
        request,
        form,
        lambda data: services.organization_create(actor=request.user, **data),
        template="accounts/organization_create.html",
        context=lambda _result: {"form": form},
        success_url=lambda organization: reverse(
            "accounts:organization_detail", args=[organization.pk]
        ),
        success_message=lambda organization: (
            _("Your city was registered. It stays private until the Tandem team approves it.")
            if organization.is_pending
            else _("Your organization was created.")
        ),
    )


# --- Reviewing the cities that registered themselves ------------------------------------


def _require_reviewer(request: AuthenticatedHttpRequest) -> None:
    # Anyone but site staff learns nothing, not even that the page exists.
    if not permissions.can_review_organization(request.user):
        raise Http404


def _review_context(
    request: AuthenticatedHttpRequest,
    *,
    failed: Organization | None = None,
    decline_form: OrganizationDeclineForm | None = None,
) -> dict[str, Any]:
    def with_registrants(organizations: Any) -> list[Organization]:
        rows = list(organizations.prefetch_related("memberships__user"))
        for organization in rows:
            organization.registrants = [
                m.user for m in organization.memberships.all() if m.role == Membership.Role.ADMIN
            ]
            organization.decline_form = (
                decline_form if failed is not None and failed.pk == organization.pk else None
            ) or OrganizationDeclineForm(auto_id=f"decline-{organization.pk}-%s")
        return rows

    return {
        "pending": with_registrants(Organization.objects.awaiting_review().order_by("created_at")),
        "declined": with_registrants(
            Organization.objects.filter(status=Organization.Status.DECLINED).order_by(
                "-reviewed_at"
            )[:20]
        ),
        "action_error": "",
    }


@require_safe
@login_required
def organization_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reviewer(request)
    return render(request, "accounts/organization_review.html", _review_context(request))


@login_required
def organization_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    organization = get_object_or_404(Organization, pk=pk)
    if response := _method_not_allowed_unless_post(request):
        return response
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        lambda _data: services.organization_approve(actor=request.user, organization=organization),
        template="accounts/organization_review.html",
        context=lambda _result: {**_review_context(request), "action_error": _error_text(form)},
        success_url=reverse("accounts:organization_review"),
        success_message=_("%(organization)s was approved.") % {"organization": organization.name},
    )


@login_required
def organization_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    organization = get_object_or_404(Organization, pk=pk)
    if response := _method_not_allowed_unless_post(request):
        return response
    form = bind(request, OrganizationDeclineForm, auto_id=f"decline-{organization.pk}-%s")
    return handle(
        request,
        form,
        lambda data: services.organization_decline(
            actor=request.user, organization=organization, **data
        ),
        template="accounts/organization_review.html",
        context=lambda _result: {
            **_review_context(request, failed=organization, decline_form=form),
            "action_error": " ".join(str(m) for m in form.non_field_errors()),
        },
        success_url=reverse("accounts:organization_review"),
        success_message=_("%(organization)s was declined.") % {"organization": organization.name},
    )


def _organization_for_member_or_404(request: AuthenticatedHttpRequest, pk: int) -> Organization:
    # Someone outside the organization learns nothing, not even that it exists.
    if not permissions.is_member(request.user, pk):
        raise Http404
    return get_object_or_404(Organization, pk=pk)


def _organization_for_admin_or_404(request: AuthenticatedHttpRequest, pk: int) -> Organization:
    organization = _organization_for_member_or_404(request, pk)
    if not permissions.is_organization_admin(request.user, organization):
        raise Http404
    return organization


def _method_not_allowed_unless_post(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    # Checked after the permission check, so a 405 never confirms that something exists.
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    return None


def _detail_context(
    request: AuthenticatedHttpRequest,
    organization: Organization,
    *,
    invite_form: InvitationForm | None = None,
    action_error: str = "",
) -> dict[str, Any]:
    is_admin = permissions.is_organization_admin(request.user, organization)
    memberships = list(organization.memberships.select_related("user").order_by("user__email"))
    admin_count = sum(1 for m in memberships if m.role == Membership.Role.ADMIN)
    own_membership = next((m for m in memberships if m.user_id == request.user.pk), None)
    context = {
        "organization": organization,
        "memberships": memberships,
        "is_admin": is_admin,
        "can_invite": permissions.can_invite(request.user, organization),
        "own_membership": own_membership,
        "can_leave": own_membership is not None
        and permissions.can_leave(request.user, own_membership, admin_count=admin_count),
        "role_choices": Membership.Role.choices,
        "action_error": action_error,
    }
    if is_admin:
        context["events"] = permissions.organization_events(request.user, organization)[:20]
        context["invitations"] = organization.invitations.pending().select_related("invited_by")
        context["invite_form"] = invite_form or InvitationForm()
    return context


def _error_text(form: forms.BaseForm) -> str:
    """A refused button's messages, for the one line at the top of the page."""
    return " ".join(
        str(message) for field_messages in form.errors.values() for message in field_messages
    )


def _organization_action(
    request: AuthenticatedHttpRequest,
    organization: Organization,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], object],
    *,
    success_url: str,
    success_message: str | Callable[[Any], str],
) -> HttpResponse:
    """A button on the organization's page: done and back, or the page with what went wrong."""
    return handle(
        request,
        form,
        action,
        template="accounts/organization_detail.html",
        context=lambda _result: _detail_context(
            request, organization, action_error=_error_text(form)
        ),
        success_url=success_url,
        success_message=success_message,
    )


@require_safe
@login_required
def organization_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = _organization_for_member_or_404(request, pk)
    return render(
        request, "accounts/organization_detail.html", _detail_context(request, organization)
    )


@login_required
def invitation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = _organization_for_admin_or_404(request, pk)
    if response := _method_not_allowed_unless_post(request):
        return response
    form = bind(request, InvitationForm)
    return handle(
        request,
        form,
        lambda data: services.invitation_create(
            actor=request.user, organization=organization, **data
        ),
        template="accounts/organization_detail.html",
        context=lambda _result: _detail_context(request, organization, invite_form=form),
        success_url=reverse("accounts:organization_detail", args=[organization.pk]),
        success_message=lambda invitation: (
            _("Invitation sent to %(email)s.") % {"email": invitation.email}
        ),
    )


@login_required
def organization_mfa(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The administrators' switch: every member signs in with two factors, or not."""
    organization = _organization_for_admin_or_404(request, pk)
    if response := _method_not_allowed_unless_post(request):
        return response
    return _organization_action(
        request,
        organization,
        bind(request, OrganizationMFAForm),
        lambda data: services.organization_set_requires_mfa(
            actor=request.user, organization=organization, **data
        ),
        success_url=reverse("accounts:organization_detail", args=[organization.pk]),
        success_message=lambda org: (
            _("Every member now signs in with two-factor authentication.")
            if org.requires_mfa
            else _("Two-factor authentication is no longer required.")
        ),
    )


@login_required
def invitation_revoke(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    organization = _organization_for_admin_or_404(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, organization=organization)
    if response := _method_not_allowed_unless_post(request):
        return response
    return _organization_action(
        request,
        organization,
        bind(request, forms.Form),
        lambda _data: services.invitation_revoke(actor=request.user, invitation=invitation),
        success_url=reverse("accounts:organization_detail", args=[organization.pk]),
        success_message=_("The invitation was withdrawn."),
    )


@login_required
def membership_role(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organization = _organization_for_admin_or_404(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, organization=organization)
    if response := _method_not_allowed_unless_post(request):
        return response
    return _organization_action(
        request,
        organization,
        bind(request, MembershipRoleForm),
        lambda data: services.membership_set_role(
            actor=request.user, membership=membership, **data
        ),
        success_url=reverse("accounts:organization_detail", args=[organization.pk]),
        success_message=_("The role was changed."),
    )


@login_required
def membership_remove(
    request: AuthenticatedHttpRequest, pk: int, membership_pk: int
) -> HttpResponse:
    """Administrators remove people; anyone may leave an organization themselves."""
    organization = _organization_for_member_or_404(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, organization=organization)
    if not permissions.can_remove_member(request.user, membership):
        raise Http404
    leaving = membership.user_id == request.user.pk
    if response := _method_not_allowed_unless_post(request):
        return response
    if leaving:
        success_url = reverse("accounts:organizations")
        message = _("You left %(organization)s.") % {"organization": organization.name}
    else:
        success_url = reverse("accounts:organization_detail", args=[organization.pk])
        message = _("The member was removed.")
    return _organization_action(
        request,
        organization,
        bind(request, forms.Form),
        lambda _data: services.membership_remove(actor=request.user, membership=membership),
        success_url=success_url,
        success_message=message,
    )


# --- Invitations ---------------------------------------------------------------------

# secrets.token_urlsafe's alphabet, at most as long as the column.
INVITATION_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _invitation_for_visitor(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """Someone not signed in: who invites them to what, and how to get in with one step.

    They learn only what the invitation e-mail says (who, which organization, which role),
    and nothing about whether an account with that address exists: both ways in are shown.
    """
    problem = services.invitation_problem_for_anyone(invitation=invitation)
    context: dict[str, Any] = {"invitation": invitation, "problem": problem, "visitor": True}
    if problem is None:
        # Following the link proved the address: a sign-up with it needs no confirmation,
        # and signing in (either way) accepts the invitation (accounts.signals).
        get_account_adapter(request).stash_verified_email(request, invitation.email)
        request.session[INVITATION_SESSION_KEY] = invitation.token
        signup_form = SignupForm(initial={"email": invitation.email}, auto_id="signup-%s")
        signup_form.fields["email"].widget.attrs["readonly"] = True
        context["signup_form"] = signup_form
        context["login_form"] = LoginForm(
            request=request, initial={"login": invitation.email}, auto_id="login-%s"
        )
        context["next"] = request.path
    return render(request, "accounts/invitation_accept.html", context)


@require_GET_or_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    if not INVITATION_TOKEN.fullmatch(token):
        # Not a token we could have made; PostgreSQL would refuse one with a NUL byte.
        raise Http404
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization", "invited_by"), token=token
    )
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return _invitation_for_visitor(request, invitation)
    user = request.user
    if invitation.accepted_by_id == user.pk:
        # Accepted as they signed in from this page: straight into the organization.
        return redirect("accounts:organization_detail", invitation.organization_id)
    form = bind(request, forms.Form)
    return handle(
        cast("AuthenticatedHttpRequest", request),
        form,
        # The service checks again what the page shows as the problem, if any.
        lambda _data: services.invitation_accept(user=user, token=token),
        template="accounts/invitation_accept.html",
        context=lambda _result: {
            "invitation": invitation,
            "problem": _error_text(form)
            or services.invitation_problem(user=user, invitation=invitation),
        },
        success_url=lambda membership: reverse(
            "accounts:organization_detail", args=[membership.organization_id]
        ),
        success_message=lambda membership: (
            _("Welcome to %(organization)s.") % {"organization": membership.organization.name}
        ),
    )


# --- Preferences ---------------------------------------------------------------------


@login_required
@require_GET_or_POST
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = bind(request, PreferencesForm, instance=request.user)
    saved, _user = attempt(
        form, lambda data: services.user_update_preferences(user=request.user, **data)
    )
    if not saved:
        if form.is_bound:
            # ModelForm validation writes to the instance; the page must show what is stored.
            request.user.refresh_from_db()
        return render_form(request, "accounts/profile.html", {"form": form})
    language = request.user.preferred_language
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
