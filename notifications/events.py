"""The notifications room's own actions, and how the timeline says them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.events import renders
from core.models import Event


@renders("notifications.preferences.updated")
def _preferences_updated(event: Event) -> str:
    return _("changed their notification preferences")


@renders("notifications.unsubscribed")
def _unsubscribed(event: Event) -> str:
    return _("unsubscribed from an e-mail")


@renders("notifications.calendar.reset")
def _calendar_reset(event: Event) -> str:
    return _("reset their calendar address")


@renders("notifications.dispatch.resolved")
def _dispatch_resolved(event: Event) -> str:
    if event.data.get("resend"):
        return _("sent an interrupted notification again")
    return _("set aside an interrupted notification")
