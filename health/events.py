"""What the health room's events are called, and how the timeline says them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.events import renders
from core.models import Event


class Action:
    ROUND_OPENED = "health.round.opened"
    ROUND_CLOSED = "health.round.closed"
    SURVEY_ANSWERED = "health.survey.answered"
    VALUES_WRITTEN = "health.values.written"
    VALUES_AGREED = "health.values.agreed"
    SCORE_CHANGED = "health.score.changed"


@renders(Action.ROUND_OPENED)
def _round_opened(event: Event) -> str:
    return _("opened round %(number)s of the practice survey") % {"number": event.data["number"]}


@renders(Action.ROUND_CLOSED)
def _round_closed(event: Event) -> str:
    return _("closed round %(number)s of the practice survey") % {"number": event.data["number"]}


@renders(Action.SURVEY_ANSWERED)
def _survey_answered(event: Event) -> str:
    # Who answered is known; what they answered never appears.
    return _("answered the practice survey")


@renders(Action.VALUES_WRITTEN)
def _values_written(event: Event) -> str:
    return _("wrote version %(number)s of the shared values") % {"number": event.data["number"]}


@renders(Action.VALUES_AGREED)
def _values_agreed(event: Event) -> str:
    return _("agreed to version %(number)s of the shared values for %(organization)s") % {
        "number": event.data["number"],
        "organization": event.data.get("organization_name", ""),
    }


@renders(Action.SCORE_CHANGED)
def _score_changed(event: Event) -> str:
    return _("practice scores were recomputed")
