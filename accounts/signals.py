"""Accepting the invitation a person opened, the moment they sign in or sign up from it."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import User

#: Where the invitation a visitor opened waits while they sign up or log in.
INVITATION_SESSION_KEY = "accounts_invitation_token"


def accept_opened_invitation(
    sender: type, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """Connected to ``user_logged_in``: the invitation page left its token in the session.

    One that cannot be accepted (another address, expired meanwhile) is left alone: the
    invitation page, where the person lands next, says why.
    """
    if request is None or not hasattr(request, "session"):
        return
    token = request.session.pop(INVITATION_SESSION_KEY, None)
    if not token:
        return
    # The address the link proved belongs to this sign-in only.
    get_adapter(request).unstash_verified_email(request)
    try:
        membership = services.invitation_accept(user=user, token=token)
    except (ValidationError, PermissionDenied):
        return
    messages.success(
        request, _("Welcome to %(organization)s.") % {"organization": membership.organization.name}
    )
