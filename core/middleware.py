"""Responses for a signed-in person are theirs alone: no shared cache may keep them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """Marks every answer to a signed-in person ``Cache-Control: private, no-store``.

    A proxy or the browser's back-forward cache would otherwise keep a portfolio or a
    money page after the person logged out, for the next user of a shared computer.
    Answers that already forbid storing (exports, the login page) keep their own header,
    with ``private`` added.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
