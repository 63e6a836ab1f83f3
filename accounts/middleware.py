"""A member of an organization that requires two-factor sign-in sets it up first."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import User

# The pages a person who still has to enrol may open: the enrolment itself (allauth's MFA
# pages, and the password check some of them ask for first), signing out, the language
# switch and the health check.
ALLOWED_NAMES = frozenset({"account_logout", "account_reauthenticate", "set_language", "healthz"})
ALLOWED_PREFIXES = ("mfa_",)
# The authenticators that are a second factor; recovery codes only stand in for one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def _allowed(request: HttpRequest) -> bool:
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        name = resolve(request.path_info).url_name or ""
    except Resolver404:
        return False
    return name in ALLOWED_NAMES or name.startswith(ALLOWED_PREFIXES)


def has_second_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


class RequireMFAMiddleware:
    """Sends a signed-in member of an organization that requires two-factor authentication,
    who has not set up an authenticator app or a passkey, to do so before anything else.

    Whether any of the person's organizations requires it comes from their membership rows,
    which the request reads once anyway (``User._membership_rows``); the authenticators are
    looked up only for those who must have one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and user.mfa_required()
            and not _allowed(request)
            and not has_second_factor(user)
        ):
            messages.warning(
                request,
                _(
                    "Your organization requires two-factor authentication. Set up an "
                    "authenticator app or a passkey to continue."
                ),
            )
            url = reverse("mfa_index")
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(url)
            return redirect(url)
        return self.get_response(request)
