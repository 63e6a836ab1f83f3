"""Who is asking: an API token (``Authorization: Bearer tdm_…``) or a browser session.

A token is found by its prefix and checked against the hash of its secret; a revoked or
expired token, or one whose person left its organization, is refused on the very next
request (nothing about tokens is cached). The scope decides the methods: a read token
reads, a write token also writes. Rate limits count per token (per person for a session)
in the shared cache.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

from api.models import ApiToken

TOKEN_PREFIX = "tdm_"
# How stale the "last used" time may get: one UPDATE a minute per token at most.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewSecret:
    prefix: str
    secret_hash: str
    plain: str


def hash_secret(secret: str) -> str:
    # A random 32-byte secret needs no slow hash: nobody can guess it from its SHA-256.
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> NewSecret:
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return NewSecret(
        prefix=prefix, secret_hash=hash_secret(secret), plain=f"{TOKEN_PREFIX}{prefix}_{secret}"
    )


def find_token(raw: str) -> ApiToken | None:
    """The token a presented string names, if its secret matches; usable or not."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret or len(prefix) > 16:
        return None
    token = (
        ApiToken.objects.select_related("created_by", "organization").filter(prefix=prefix).first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        return None
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        token = find_token(raw.strip())
        now = timezone.now()
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        if not token.is_usable(now):
            raise exceptions.AuthenticationFailed(_("This token was revoked or has expired."))
        user = token.created_by
        if not user.is_active or token.organization_id not in user.organization_ids():
            raise exceptions.AuthenticationFailed(
                _("The person who made this token is no longer in its organization.")
            )
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class TokenScope(permissions.BasePermission):
    """A read token may only read; sessions and write tokens may also write."""

    message = _("This token may only read: ask for a token with the write scope.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth
        if isinstance(token, ApiToken) and request.method not in permissions.SAFE_METHODS:
            return token.can_write
        return True


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """So many requests a minute per token (per person for a browser session).

    A counter per fixed window, two cache calls a request, rather than DRF's list of
    every request's time, which grows with the rate and is read and written whole."""

    scope = "api"
    wait_seconds = 0.0

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        limit, duration = self.parse_rate(self.rate)
        if limit is None or duration is None:
            return True
        now = self.timer()
        window = int(now // duration)
        counter = f"{key}:{window}"
        self.cache.add(counter, 0, duration + 1)
        try:
            count = self.cache.incr(counter)
        except ValueError:  # expired between the two calls
            self.cache.set(counter, 1, duration + 1)
            count = 1
        if count > limit:
            self.wait_seconds = (window + 1) * duration - now
            return False
        return True

    def wait(self) -> float:
        return max(1.0, math.ceil(self.wait_seconds))

    def get_rate(self) -> str | None:
        # Read when asked, not when the class was defined, so a changed setting applies.
        return str(api_settings.DEFAULT_THROTTLE_RATES[self.scope])

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made by an organization's administrator "
            "(Developers page): `Authorization: Bearer tdm_…`.",
        }
