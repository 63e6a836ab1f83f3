"""What partnerships do when something elsewhere has happened (``core.events.event_committed``)."""

from __future__ import annotations

from typing import Any

from core.models import Event
from partnerships import mail

CITY_APPROVED = "accounts.organization.approved"


def city_approved(sender: type[Event], event: Event, **kwargs: Any) -> None:
    """A city that prepared partnerships while it waited for review: its invitations leave."""
    if event.action == CITY_APPROVED and event.organization_id is not None:
        mail.held_invitations_send(city_id=event.organization_id)
