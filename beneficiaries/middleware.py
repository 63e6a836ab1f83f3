"""A participant agrees to the consent text before anything else of the partnerships.

A signed-in person who takes part in a partnership as a participant and has not agreed to
the current text (``beneficiaries.models.CONSENT_VERSION``) is sent to the consent page from
every page of the partnerships and beneficiaries rooms, but for the ones that let them
agree, take their data away, leave, or come in with an invitation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from beneficiaries.models import Consent
from partnerships.models import Participant

if TYPE_CHECKING:
    from accounts.models import User

GATED_NAMESPACES = frozenset({"partnerships", "beneficiaries"})
OPEN_WITHOUT_CONSENT = frozenset(
    {
        "consent",
        "consent_withdraw",
        "my_data",
        "data_export",
        "account_delete",
        "join",
        "join_welcome",
        "invitation_accept",
    }
)


def needs_consent(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return (
        Participant.objects.filter(user=user).exists()
        and not Consent.objects.current().filter(user=user).exists()
    )


class ConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.namespace not in GATED_NAMESPACES:
            return None
        if match.namespace == "beneficiaries" and match.url_name in OPEN_WITHOUT_CONSENT:
            return None
        if not needs_consent(request.user):
            return None
        return redirect(
            reverse("beneficiaries:consent") + "?" + urlencode({"next": request.get_full_path()})
        )
