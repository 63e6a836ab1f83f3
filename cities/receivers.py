"""What the cities room does when something has happened (``core.events.event_committed``):
the getting-started steps that Tandem can see tick themselves, once."""

from __future__ import annotations

from typing import Any

from accounts.models import Organization
from cities import services
from cities.events import Action
from core.models import Event
from playbook.models import GettingStartedStep

NEED_STATED = "partnerships.need.stated"
BENEFICIARY_INVITED = "beneficiaries.invitation.sent"

Signal = GettingStartedStep.Signal


def _organizations(event: Event) -> tuple[str, list[Organization]]:
    """The step this event shows, and the organizations that took it."""
    if event.action == Action.CONTACT_NAMED and event.organization_id is not None:
        return Signal.POINT_OF_CONTACT, list(Organization.objects.filter(pk=event.organization_id))
    if event.action == Action.STATEMENT_PUBLISHED and event.organization_id is not None:
        return Signal.STATEMENT_PUBLISHED, list(
            Organization.objects.filter(pk=event.organization_id)
        )
    if event.action == NEED_STATED:
        return Signal.NEED_STATED, list(
            Organization.objects.filter(pk=event.data.get("organization_id")).exclude(
                kind=Organization.Kind.CITY
            )
        )
    if event.action == BENEFICIARY_INVITED and event.actor_id and event.partnership_id:
        # The inviter's own organizations among the partnership's accepted partners.
        from partnerships.models import Partner

        ids = Partner.objects.accepted().filter(
            partnership_id=event.partnership_id,
            organization__memberships__user_id=event.actor_id,
        )
        return Signal.BENEFICIARY_INVITED, list(
            Organization.objects.filter(pk__in=ids.values("organization_id")).exclude(
                kind=Organization.Kind.CITY
            )
        )
    return "", []


def tick_checklists(sender: type[Event], event: Event, **kwargs: Any) -> None:
    signal, organizations = _organizations(event)
    for organization in organizations:
        services.checklist_tick_seen(
            organization=organization, signal=signal, event_id=event.pk, at=event.created_at
        )
