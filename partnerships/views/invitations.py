"""An organization's answer to an invitation into a partnership.

Only an administrator of the invited organization finds an open invitation here; to
anyone else, and once it is answered, it does not exist (404). The page shows just
enough to decide: the title, the city, the goal, who invited them and the role
proposed; the partnership's sections open once they accept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Organization, User
from core.forms import attempt, bind, render_form, require_GET_or_POST
from core.http import AuthenticatedHttpRequest
from partnerships import services
from partnerships.forms import PartnerDeclineForm
from partnerships.models import Partner

TEMPLATE = "partnerships/invitation_detail.html"


def awaiting(user: User) -> QuerySet[Partner]:
    """The open invitations this person answers for, with what the page shows of them."""
    return (
        Partner.objects.awaiting(user)
        .select_related("partnership__city", "organization", "added_by")
        .order_by("-invited_at", "-pk")
    )


def _invitation(request: AuthenticatedHttpRequest, partner_pk: int) -> Partner:
    return get_object_or_404(awaiting(request.user), pk=partner_pk)


def _page(
    request: AuthenticatedHttpRequest, partner: Partner, decline_form: PartnerDeclineForm
) -> dict[str, Any]:
    return {
        "partner": partner,
        "partnership": partner.partnership,
        "is_lead": partner.organization_id == partner.partnership.lead_id,
        "decline_form": decline_form,
    }


@require_safe
@login_required
def invitation(request: AuthenticatedHttpRequest, partner_pk: int) -> HttpResponse:
    partner = _invitation(request, partner_pk)
    return render(request, TEMPLATE, _page(request, partner, PartnerDeclineForm()))


@login_required
@require_GET_or_POST
def invitation_accept(request: AuthenticatedHttpRequest, partner_pk: int) -> HttpResponse:
    partner = _invitation(request, partner_pk)
    # A button: no fields, only what the service refuses.
    form = bind(request, forms.Form)
    ok, _result = (
        attempt(form, lambda _data: services.partner_accept(actor=request.user, partner=partner))
        if request.method == "POST"
        else (False, None)
    )
    if not ok:
        context = _page(request, partner, PartnerDeclineForm())
        context["accept_form"] = form
        return render_form(request, TEMPLATE, context)
    messages.success(
        request,
        _("%(organization)s is now a partner in “%(title)s”.")
        % {"organization": partner.organization.name, "title": partner.partnership.title},
    )
    return redirect(partner.partnership.get_absolute_url())


@login_required
@require_GET_or_POST
def invitation_decline(request: AuthenticatedHttpRequest, partner_pk: int) -> HttpResponse:
    partner = _invitation(request, partner_pk)
    form = bind(request, PartnerDeclineForm)
    ok, _result = (
        attempt(
            form,
            lambda data: services.partner_decline(
                actor=request.user, partner=partner, reason=data["reason"]
            ),
        )
        if request.method == "POST"
        else (False, None)
    )
    if not ok:
        return render_form(request, TEMPLATE, _page(request, partner, form))
    messages.success(request, _("You declined the invitation. The city has been told."))
    return redirect("partnerships:my")


@require_safe
@login_required
def organization_invitations(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    """An organization's open invitations, for its administrators."""
    if org_pk not in request.user.admin_organization_ids():
        raise Http404
    organization = get_object_or_404(Organization, pk=org_pk)
    context = {
        "organization": organization,
        "invitations": awaiting(request.user).filter(organization=organization),
    }
    return render(request, "partnerships/organization_invitations.html", context)
