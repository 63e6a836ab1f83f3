"""What the API room records in the event log, and how it reads."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.events import renders
from core.models import Event


class Action:
    TOKEN_CREATED = "api.token.created"
    TOKEN_REVOKED = "api.token.revoked"
    WEBHOOK_CREATED = "api.webhook.created"
    WEBHOOK_SECRET_ROTATED = "api.webhook.secret_rotated"
    WEBHOOK_REMOVED = "api.webhook.removed"
    WEBHOOK_REPLAYED = "api.webhook.replayed"


@renders(Action.TOKEN_CREATED)
def _token_created(event: Event) -> str:
    return _("made the API token “%(name)s”") % {"name": event.data["name"]}


@renders(Action.TOKEN_REVOKED)
def _token_revoked(event: Event) -> str:
    return _("revoked the API token “%(name)s”") % {"name": event.data["name"]}


@renders(Action.WEBHOOK_CREATED)
def _webhook_created(event: Event) -> str:
    return _("added a webhook endpoint")


@renders(Action.WEBHOOK_SECRET_ROTATED)
def _webhook_rotated(event: Event) -> str:
    return _("rotated a webhook endpoint's signing secret")


@renders(Action.WEBHOOK_REMOVED)
def _webhook_removed(event: Event) -> str:
    return _("removed a webhook endpoint")


@renders(Action.WEBHOOK_REPLAYED)
def _webhook_replayed(event: Event) -> str:
    return _("sent a webhook delivery again")
