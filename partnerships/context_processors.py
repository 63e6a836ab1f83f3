"""Whether the navigation offers "My partnerships": to everyone who has one.

accounts' navigation knows organizations only; a participant belongs to none, so the
answer comes from here.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from partnerships.models import Partnership


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"has_partnerships": False}
    # Lazily evaluated, once, and only on pages that render the nav: at most three indexed
    # lookups. It reads the person's membership rows from the cache accounts' navigation
    # fills anyway.
    return {"has_partnerships": SimpleLazyObject(lambda: Partnership.objects.any_involving(user))}
