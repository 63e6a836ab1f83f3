"""Typed requests: what the middleware puts on a request, as the type checker should see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """Any request once django-htmx's middleware has run."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request behind ``login_required``: ``user`` is a signed-in :class:`accounts.User`."""

    user: User
