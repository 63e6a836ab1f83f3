"""Absolute links for e-mails: the site's real address, never a stale Sites row."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from allauth.core import context
from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` on the site's public address.

    ``SITE_URL`` (from the environment) wins; without it, the host of the request being
    answered (the one passed, or the one allauth's middleware remembers). The Sites row is
    only a last resort, for mail sent outside any request with no ``SITE_URL`` set.
    """
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    request = request or context.request
    if request is not None:
        return request.build_absolute_uri(path)
    from allauth.utils import build_absolute_uri

    return build_absolute_uri(None, path)


def rebase(url: str) -> str:
    """An absolute ``url`` moved onto ``SITE_URL``, when that is set."""
    if not settings.SITE_URL:
        return url
    site = urlsplit(settings.SITE_URL)
    bits = urlsplit(url)
    return urlunsplit((site.scheme, site.netloc, bits.path, bits.query, bits.fragment))


def site_domain(request: HttpRequest | None = None) -> str:
    """The host people know the site by, for the sentences of an e-mail."""
    if settings.SITE_URL:
        return urlsplit(settings.SITE_URL).netloc
    request = request or context.request
    if request is not None:
        return request.get_host()
    from django.contrib.sites.models import Site

    return Site.objects.get_current().domain
