"""What happens in a city's own playbook, and how the event log says it.

The data holds ids and plain values; names are looked up or were stored as they were.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.events import renders
from core.models import Event


class Action:
    CONTACT_NAMED = "cities.contact.named"
    OFFER_SAVED = "cities.offer.saved"
    INTRODUCTION_SENT = "cities.introduction.sent"
    INTRODUCTION_STATUS = "cities.introduction.status_changed"
    INTRODUCTION_NOTED = "cities.introduction.noted"
    INTRODUCTION_OPENED = "cities.introduction.partnership_opened"
    EXPERIENCE_RECORDED = "cities.experience.recorded"
    EXPERIENCE_UPDATED = "cities.experience.updated"
    SECTION_EDITED = "cities.statement.section_edited"
    STATEMENT_INVITED = "cities.statement.invited"
    STATEMENT_COMMENTED = "cities.statement.commented"
    STATEMENT_ENDORSED = "cities.statement.endorsed"
    STATEMENT_PUBLISHED = "cities.statement.published"
    STEP_TICKED = "cities.checklist.ticked"
    STEP_UPDATED = "cities.checklist.updated"
    NETWORK_MEMBER_ADDED = "cities.network.member_added"
    NETWORK_MEMBER_REMOVED = "cities.network.member_removed"
    STORY_ADDED = "cities.story.added"


def _status(value: str) -> str:
    from cities.models import Introduction

    if value in Introduction.Status.values:
        return str(Introduction.Status(value).label)
    return value


@renders(Action.CONTACT_NAMED)
def _contact_named(event: Event) -> str:
    return _("named the city's point of contact")


@renders(Action.OFFER_SAVED)
def _offer_saved(event: Event) -> str:
    return _("updated the organization's offer to cities")


@renders(Action.INTRODUCTION_SENT)
def _introduction_sent(event: Event) -> str:
    return _("sent an introduction from %(organization)s") % {
        "organization": event.data["organization"]
    }


@renders(Action.INTRODUCTION_STATUS)
def _introduction_status(event: Event) -> str:
    return _("moved an introduction from “%(old)s” to “%(new)s”") % {
        "old": _status(event.data["from"]),
        "new": _status(event.data["to"]),
    }


@renders(Action.INTRODUCTION_NOTED)
def _introduction_noted(event: Event) -> str:
    return _("added a note to an introduction")


@renders(Action.INTRODUCTION_OPENED)
def _introduction_opened(event: Event) -> str:
    return _("opened a partnership from an introduction")


@renders(Action.EXPERIENCE_RECORDED)
def _experience_recorded(event: Event) -> str:
    return _("recorded an experience of %(department)s") % {"department": event.data["department"]}


@renders(Action.EXPERIENCE_UPDATED)
def _experience_updated(event: Event) -> str:
    return _("updated an experience of %(department)s") % {"department": event.data["department"]}


@renders(Action.SECTION_EDITED)
def _section_edited(event: Event) -> str:
    return _("edited a section of the draft engagement statement")


@renders(Action.STATEMENT_INVITED)
def _statement_invited(event: Event) -> str:
    return _("invited %(organization)s to comment on the engagement statement") % {
        "organization": event.data["organization"]
    }


@renders(Action.STATEMENT_COMMENTED)
def _statement_commented(event: Event) -> str:
    return _("commented on the draft engagement statement")


@renders(Action.STATEMENT_ENDORSED)
def _statement_endorsed(event: Event) -> str:
    return _("endorsed the engagement statement for %(organization)s") % {
        "organization": event.data["organization"]
    }


@renders(Action.STATEMENT_PUBLISHED)
def _statement_published(event: Event) -> str:
    return _("published version %(number)s of the engagement statement") % {
        "number": event.data["number"]
    }


@renders(Action.STEP_TICKED)
def _step_ticked(event: Event) -> str:
    return _("completed a getting-started step")


@renders(Action.STEP_UPDATED)
def _step_updated(event: Event) -> str:
    return _("updated a getting-started step")


@renders(Action.NETWORK_MEMBER_ADDED)
def _member_added(event: Event) -> str:
    return _("added %(organization)s to the network") % {"organization": event.data["organization"]}


@renders(Action.NETWORK_MEMBER_REMOVED)
def _member_removed(event: Event) -> str:
    return _("removed %(organization)s from the network") % {
        "organization": event.data["organization"]
    }


@renders(Action.STORY_ADDED)
def _story_added(event: Event) -> str:
    return _("added a story of the city's own")
