"""The front door: it knows every room, so it lives here rather than in one of them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from accounts.models import Invitation
from partnerships.models import Partnership


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """A welcome for visitors; the right workspace for a signed-in person, or, for someone
    with nothing yet, what they can do next."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home.html")
    if user.city_ids():
        return redirect("partnerships:dashboard")
    if user.organization_ids() or Partnership.objects.involving(user).exists():
        return redirect("partnerships:my")
    invitations = (
        Invitation.objects.pending()
        .addressed_to(user)
        .select_related("organization", "invited_by")
        .order_by("-created_at")
    )
    return render(request, "next_steps.html", {"invitations": invitations})
