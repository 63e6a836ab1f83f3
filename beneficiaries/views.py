"""The partnership's people page (participants and their invitations) and the page where an
invited person accepts.

The people page is for those who may invite (``beneficiaries.permissions``): anyone who may
not see the partnership gets "not found", a participant gets "forbidden". The acceptance page
is reached with the invitation's token, the one secret it needs, by visitors too.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from beneficiaries import permissions, services
from beneficiaries.forms import ParticipantInvitationForm
from beneficiaries.models import ParticipantInvitation
from core.forms import bind, handle, require_GET_or_POST
from core.http import AuthenticatedHttpRequest, HtmxHttpRequest
from partnerships import permissions as partnership_perms
from partnerships.models import Partnership

PEOPLE_TEMPLATE = "beneficiaries/people.html"
# secrets.token_urlsafe's alphabet, at most as long as the column.
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _inviting_partnership(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    """Unknown to those who may not see it (404), forbidden to those who only read (403)."""
    partnership = partnership_perms.get_visible_partnership_or_404(request.user, pk)
    if not permissions.can_invite_participants(request.user, partnership):
        raise PermissionDenied
    return partnership


def _people_context(
    partnership: Partnership,
    *,
    invite_form: ParticipantInvitationForm | None = None,
    action_error: str = "",
) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "participants": partnership.participants.select_related("user", "invited_by"),
        "invitations": partnership.participant_invitations.pending().select_related("invited_by"),
        "invite_form": invite_form or ParticipantInvitationForm(),
        "action_error": action_error,
    }


@login_required
@require_GET_or_POST
def people(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _inviting_partnership(request, pk)
    form = bind(request, ParticipantInvitationForm)
    url = reverse("beneficiaries:people", args=[partnership.pk])
    return handle(
        request,
        form,
        lambda data: services.participant_invitation_send(
            actor=request.user, partnership=partnership, **data
        ),
        template=PEOPLE_TEMPLATE,
        context=lambda _result: _people_context(partnership, invite_form=form),
        success_url=url,
        success_message=lambda invitation: (
            _("Invitation sent to %(email)s.") % {"email": invitation.email}
        ),
    )


@login_required
def invitation_revoke(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    partnership = _inviting_partnership(request, pk)
    invitation = get_object_or_404(ParticipantInvitation, pk=invitation_pk, partnership=partnership)
    # Checked after the permission check, so a 405 never confirms that something exists.
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        lambda _data: services.participant_invitation_revoke(
            actor=request.user, invitation=invitation
        ),
        template=PEOPLE_TEMPLATE,
        context=lambda _result: _people_context(
            partnership, action_error=" ".join(str(m) for m in form.non_field_errors())
        ),
        success_url=reverse("beneficiaries:people", args=[partnership.pk]),
        success_message=_("The invitation was withdrawn."),
    )


@require_GET_or_POST
def invitation_accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    if not TOKEN.fullmatch(token):
        # Not a token we could have made; PostgreSQL would refuse one with a NUL byte.
        raise Http404
    invitation = get_object_or_404(
        ParticipantInvitation.objects.select_related(
            "partnership", "partnership__city", "invited_by"
        ),
        token=token,
    )
    here = reverse("beneficiaries:invitation_accept", kwargs={"token": token})
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(here)
        problem = services.participant_invitation_state_problem(invitation)
        if problem is None:
            # Whoever opened the link received it at this address: signing up with it needs
            # no second confirmation (allauth's verified-e-mail stash).
            get_adapter(request).stash_verified_email(request, invitation.email)
        context = {
            "invitation": invitation,
            "problem": problem,
            "signup_url": reverse("account_signup")
            + "?"
            + urlencode({"email": invitation.email, "next": here}),
            "login_url": reverse("account_login") + "?" + urlencode({"next": here}),
        }
        return render(request, "beneficiaries/invitation_accept.html", context)
    signed_in: AuthenticatedHttpRequest = request  # type: ignore[assignment]
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        # The service checks again what the page shows as the problem, if any.
        lambda _data: services.participant_invitation_accept(user=signed_in.user, token=token),
        template="beneficiaries/invitation_accept.html",
        context=lambda _result: {
            "invitation": invitation,
            "problem": " ".join(str(m) for m in form.non_field_errors())
            or services.participant_invitation_problem(user=signed_in.user, invitation=invitation),
        },
        success_url=lambda participant: reverse(
            "partnerships:detail", args=[participant.partnership_id]
        ),
        success_message=lambda participant: (
            _("Welcome to %(partnership)s.") % {"partnership": participant.partnership.title}
        ),
    )
