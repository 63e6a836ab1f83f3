"""Deployment checks of our own, shown by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def plain_http(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """The one switch that turns secure cookies off must never be on by accident."""
    if not getattr(settings, "TANDEM_PLAIN_HTTP", False):
        return []
    return [
        Warning(
            "TANDEM_PLAIN_HTTP is on: session and CSRF cookies travel over plain http, "
            "HTTPS redirects and HSTS are off.",
            hint=(
                "Only for a deployment that really serves plain http on a private network. "
                "Unset TANDEM_PLAIN_HTTP anywhere people reach Tandem over the internet."
            ),
            id="tandem.W001",
        )
    ]
