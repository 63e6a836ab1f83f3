"""The Developers pages: an organization's administrators make and revoke API tokens and
manage webhook endpoints. Every write goes through api/services.py."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Organization
from api import services
from api.forms import TokenForm, WebhookForm
from api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from api.permissions import can_manage_api
from core.forms import attempt, bind, handle, render_form, require_GET_or_POST
from core.http import AuthenticatedHttpRequest


def _post_only(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    # After the permission check, so a 405 never confirms that something exists.
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    return None


def _organization_or_404(request: AuthenticatedHttpRequest, pk: int) -> Organization:
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None or not can_manage_api(request.user, organization):
        raise Http404
    return organization


@require_safe
@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    organizations = Organization.objects.filter(
        pk__in=request.user.admin_organization_ids()
    ).order_by("name")
    return render(request, "api/developers.html", {"organizations": organizations})


def _tokens_context(organization: Organization, form: forms.Form) -> dict[str, object]:
    return {
        "organization": organization,
        "tokens": ApiToken.objects.of_organization(organization.pk).select_related("created_by"),
        "form": form,
    }


@require_GET_or_POST
@login_required
def tokens(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    organization = _organization_or_404(request, org_pk)
    form = bind(request, TokenForm)
    if request.method == "POST":
        ok, made = attempt(
            form,
            lambda data: services.token_create(
                actor=request.user, organization=organization, **data
            ),
        )
        if ok:
            # The secret is on this answer only: it is stored hashed. (Sent again, the form
            # finds its one-time token used and says so instead of making a second token.)
            context = _tokens_context(organization, TokenForm())
            context["made"] = made
            return render(request, "api/tokens.html", context, status=201)
    return render_form(request, "api/tokens.html", _tokens_context(organization, form))


@login_required
def token_revoke(request: AuthenticatedHttpRequest, org_pk: int, pk: int) -> HttpResponse:
    organization = _organization_or_404(request, org_pk)
    token = get_object_or_404(ApiToken, pk=pk, organization=organization)
    if response := _post_only(request):
        return response
    return handle(
        request,
        bind(request, forms.Form),
        lambda data: services.token_revoke(actor=request.user, token=token),
        template="api/tokens.html",
        context=lambda _r: _tokens_context(organization, TokenForm()),
        success_url=reverse("developers:tokens", args=[organization.pk]),
        success_message=_("The token was revoked: it no longer works."),
    )


def _webhooks_context(organization: Organization, form: forms.Form) -> dict[str, object]:
    return {
        "organization": organization,
        "endpoints": WebhookEndpoint.objects.filter(organization=organization),
        "form": form,
    }


@require_GET_or_POST
@login_required
def webhooks(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    organization = _organization_or_404(request, org_pk)
    form = bind(request, WebhookForm)
    return handle(
        request,
        form,
        lambda data: services.webhook_create(actor=request.user, organization=organization, **data),
        template="api/webhooks.html",
        context=lambda _r: _webhooks_context(organization, form),
        success_url=lambda endpoint: reverse(
            "developers:webhook", args=[organization.pk, endpoint.pk]
        ),
        success_message=_("The endpoint was added. Its signing secret is shown below."),
    )


def _endpoint_or_404(organization: Organization, pk: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=pk, organization=organization)


@require_safe
@login_required
def webhook(request: AuthenticatedHttpRequest, org_pk: int, pk: int) -> HttpResponse:
    organization = _organization_or_404(request, org_pk)
    endpoint = _endpoint_or_404(organization, pk)
    deliveries = Paginator(endpoint.deliveries.prefetch_related("attempt_log"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "api/webhook.html",
        {"organization": organization, "endpoint": endpoint, "deliveries": deliveries},
    )


@login_required
def webhook_rotate(request: AuthenticatedHttpRequest, org_pk: int, pk: int) -> HttpResponse:
    organization = _organization_or_404(request, org_pk)
    endpoint = _endpoint_or_404(organization, pk)
    if response := _post_only(request):
        return response
    return handle(
        request,
        bind(request, forms.Form),
        lambda data: services.webhook_rotate_secret(actor=request.user, endpoint=endpoint),
        template="api/webhook.html",
        context=lambda _r: {"organization": organization, "endpoint": endpoint},
        success_url=reverse("developers:webhook", args=[organization.pk, endpoint.pk]),
        success_message=_("A new secret signs from now on; the old one also signs for a day."),
    )


@login_required
def webhook_remove(request: AuthenticatedHttpRequest, org_pk: int, pk: int) -> HttpResponse:
    organization = _organization_or_404(request, org_pk)
    endpoint = _endpoint_or_404(organization, pk)
    if response := _post_only(request):
        return response
    return handle(
        request,
        bind(request, forms.Form),
        lambda data: services.webhook_remove(actor=request.user, endpoint=endpoint),
        template="api/webhook.html",
        context=lambda _r: {"organization": organization, "endpoint": endpoint},
        success_url=reverse("developers:webhooks", args=[organization.pk]),
        success_message=_("The endpoint was removed."),
    )


@login_required
def delivery_replay(
    request: AuthenticatedHttpRequest, org_pk: int, pk: int, delivery_pk: int
) -> HttpResponse:
    organization = _organization_or_404(request, org_pk)
    endpoint = _endpoint_or_404(organization, pk)
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_pk, endpoint=endpoint)
    if response := _post_only(request):
        return response
    return handle(
        request,
        bind(request, forms.Form),
        lambda data: services.webhook_replay(actor=request.user, delivery=delivery),
        template="api/webhook.html",
        context=lambda _r: {"organization": organization, "endpoint": endpoint},
        success_url=reverse("developers:webhook", args=[organization.pk, endpoint.pk]),
        success_message=_("The delivery is being sent again."),
    )
