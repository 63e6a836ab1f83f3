"""What a partnership's events are called, and how the timeline says them.

Services write these actions with :func:`partnerships.services._common.record`;
each renderer below turns an event's data into a phrase in the reader's
language, at display time. Events migrated from the old timeline carry only the
text that was stored then, under ``summary``; the renderers show it as it was.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from core.events import renders, when
from core.models import Event
from core.numbers import money, number


class Action:
    CREATED = "partnerships.partnership.created"
    UPDATED = "partnerships.partnership.updated"
    REFRAMED = "partnerships.partnership.reframed"
    ARCHIVED = "partnerships.partnership.archived"
    UNARCHIVED = "partnerships.partnership.unarchived"
    DELETED = "partnerships.partnership.deleted"
    STAGE_MOVED = "partnerships.stage.moved"
    PARTNER_ADDED = "partnerships.partner.added"
    PARTNER_INVITED = "partnerships.partner.invited"
    PARTNER_ACCEPTED = "partnerships.partner.accepted"
    PARTNER_DECLINED = "partnerships.partner.declined"
    PARTNER_UPDATED = "partnerships.partner.updated"
    PARTNER_REMOVED = "partnerships.partner.removed"
    PARTICIPANT_ADDED = "partnerships.participant.added"
    RESPONSIBILITY_ADDED = "partnerships.responsibility.added"
    RESPONSIBILITY_UPDATED = "partnerships.responsibility.updated"
    PLAN_PUBLISHED = "partnerships.plan.published"
    CHECKIN_SCHEDULED = "partnerships.checkin.scheduled"
    CHECKIN_RECORDED = "partnerships.checkin.recorded"
    CHECKIN_MOVED = "partnerships.checkin.moved"
    PROGRESS_LOGGED = "partnerships.progress.logged"
    PROGRESS_CORRECTED = "partnerships.progress.corrected"
    PROGRESS_WITHDRAWN = "partnerships.progress.withdrawn"
    INDICATOR_ADDED = "partnerships.indicator.added"
    INDICATOR_UPDATED = "partnerships.indicator.updated"
    MEASUREMENT_ADDED = "partnerships.measurement.added"
    MEASUREMENT_CORRECTED = "partnerships.measurement.corrected"
    MEASUREMENT_WITHDRAWN = "partnerships.measurement.withdrawn"
    EXPERIMENT_STARTED = "partnerships.experiment.started"
    EXPERIMENT_CLOSED = "partnerships.experiment.closed"
    NEED_STATED = "partnerships.need.stated"
    NEED_UPDATED = "partnerships.need.updated"


def _with(phrase: str, detail: Any) -> str:
    return f"{phrase}: {detail}" if detail not in (None, "") else phrase


def _legacy(event: Event) -> str:
    return str(event.data.get("summary", ""))


def _label(choices: Any, value: str | None) -> str:
    """A choice's label in the reader's language; an unknown value as it was stored."""
    if value in choices.values:
        return str(choices(value).label)
    return value or ""


def _stage_name(stage_id: int | None, stored: str) -> str:
    # The cached names, in the reader's language: no query per event on a timeline page.
    from playbook.names import PlaybookNames

    return PlaybookNames.load().stages.get(stage_id or 0, stored)


@renders(Action.CREATED)
def _created(event: Event) -> str:
    return _with(_("created the partnership"), event.data.get("title", _legacy(event)))


@renders(Action.UPDATED)
def _updated(event: Event) -> str:
    from partnerships.models import Partnership

    changes: dict[str, list[Any]] = event.data.get("changes", {})
    if not changes:
        return _with(_("updated the partnership"), _legacy(event))
    parts = []
    for name, (old, new) in sorted(changes.items()):
        try:
            field = Partnership._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        label = str(field.verbose_name) if isinstance(field, models.Field) else name
        if name in ("status", "cadence", "visibility"):
            choices = {
                "status": Partnership.Status,
                "cadence": Partnership.Cadence,
                "visibility": Partnership.Visibility,
            }[name]
            parts.append(
                _("%(field)s from “%(old)s” to “%(new)s”")
                % {"field": label, "old": _label(choices, old), "new": _label(choices, new)}
            )
        elif name == "start_date":
            parts.append(
                _("%(field)s from %(old)s to %(new)s")
                % {"field": label, "old": when(old), "new": when(new)}
            )
        else:
            parts.append(label)
    return _("updated the partnership: %(changes)s") % {"changes": ", ".join(parts)}


@renders(Action.ARCHIVED)
def _archived(event: Event) -> str:
    return _with(_("archived the partnership"), event.data.get("title", ""))


@renders(Action.UNARCHIVED)
def _unarchived(event: Event) -> str:
    return _with(_("took the partnership out of the archive"), event.data.get("title", ""))


@renders(Action.DELETED)
def _deleted(event: Event) -> str:
    return _with(_("deleted the partnership"), event.data.get("title", ""))


@renders(Action.REFRAMED)
def _reframed(event: Event) -> str:
    return _with(_("reframed the problem"), event.data.get("learned", _legacy(event)))


@renders(Action.STAGE_MOVED)
def _stage_moved(event: Event) -> str:
    data = event.data
    if "to_stage_id" not in data:
        return _with(_("moved the stage"), _legacy(event))
    return _("moved the partnership to the stage “%(stage)s”") % {
        "stage": _stage_name(data["to_stage_id"], data.get("to_stage", ""))
    }


@renders(Action.PARTNER_ADDED)
def _partner_added(event: Event) -> str:
    return _with(_("added a partner"), event.data.get("organization", _legacy(event)))


@renders(Action.PARTNER_INVITED)
def _partner_invited(event: Event) -> str:
    if event.data.get("lead"):
        return _("invited %(organization)s to lead the partnership") % {
            "organization": event.data.get("organization", "")
        }
    return _("invited %(organization)s to join as a partner") % {
        "organization": event.data.get("organization", "")
    }


@renders(Action.PARTNER_ACCEPTED)
def _partner_accepted(event: Event) -> str:
    return _("accepted the invitation for %(organization)s") % {
        "organization": event.data.get("organization", "")
    }


@renders(Action.PARTNER_DECLINED)
def _partner_declined(event: Event) -> str:
    return _("declined the invitation for %(organization)s") % {
        "organization": event.data.get("organization", "")
    }


@renders(Action.PARTNER_UPDATED)
def _partner_updated(event: Event) -> str:
    return _with(_("changed a partner's role"), event.data.get("organization", _legacy(event)))


@renders(Action.PARTNER_REMOVED)
def _partner_removed(event: Event) -> str:
    return _with(_("removed a partner"), event.data.get("organization", _legacy(event)))


@renders(Action.PARTICIPANT_ADDED)
def _participant_added(event: Event) -> str:
    from partnerships.models import Participant

    # No name in the data: the actor is named by the timeline, and a participant who joined
    # through an invitation is the actor.
    role = _label(Participant.Role, event.data["role"]).lower()
    if event.data.get("joined"):
        return _("joined the partnership as %(role)s") % {"role": role}
    return _("added a participant as %(role)s") % {"role": role}


@renders(Action.RESPONSIBILITY_ADDED)
def _responsibility_added(event: Event) -> str:
    return _with(_("added a responsibility"), event.data.get("description", _legacy(event)))


@renders(Action.RESPONSIBILITY_UPDATED)
def _responsibility_updated(event: Event) -> str:
    from partnerships.models import Responsibility

    data = event.data
    if "status" not in data:
        return _with(_("updated a responsibility"), _legacy(event))
    return _("updated a responsibility: %(what)s is now “%(status)s”") % {
        "what": data.get("description", ""),
        "status": _label(Responsibility.Status, data["status"][1]),
    }


@renders(Action.PLAN_PUBLISHED)
def _plan_published(event: Event) -> str:
    if "number" not in event.data:
        return _with(_("published a plan version"), _legacy(event))
    return _("published version %(number)d of the plan") % {"number": event.data["number"]}


@renders(Action.CHECKIN_SCHEDULED)
def _checkin_scheduled(event: Event) -> str:
    if "due_date" not in event.data:
        return _with(_("scheduled a check-in"), _legacy(event))
    return _("scheduled a check-in for %(date)s") % {"date": when(event.data["due_date"])}


@renders(Action.CHECKIN_RECORDED)
def _checkin_recorded(event: Event) -> str:
    data = event.data
    if "held" not in data:
        return _with(_("recorded a check-in"), _legacy(event))
    if data["held"]:
        return _("recorded the check-in held on %(date)s") % {"date": when(data["held_on"])}
    return _("recorded that the check-in due %(date)s was missed") % {
        "date": when(data["due_date"])
    }


@renders(Action.CHECKIN_MOVED)
def _checkin_moved(event: Event) -> str:
    return _("moved the check-in of %(from)s to %(date)s") % {
        "from": when(event.data["from"]),
        "date": when(event.data["due_date"]),
    }


@renders(Action.PROGRESS_LOGGED)
def _progress_logged(event: Event) -> str:
    return _with(_("logged progress"), event.data.get("excerpt", _legacy(event)))


@renders(Action.INDICATOR_ADDED)
def _indicator_added(event: Event) -> str:
    return _with(_("added an indicator"), event.data.get("name", _legacy(event)))


@renders(Action.MEASUREMENT_ADDED)
def _measurement_added(event: Event) -> str:
    data = event.data
    if "value" not in data:
        return _with(_("added a measurement"), _legacy(event))
    return _("added a measurement: %(indicator)s %(value)s %(unit)s on %(date)s") % {
        "indicator": data["indicator"],
        "value": number(data["value"]),
        "unit": data["unit"],
        "date": when(data["date"]),
    }


@renders(Action.INDICATOR_UPDATED)
def _indicator_updated(event: Event) -> str:
    return _with(_("edited an indicator"), event.data.get("name", ""))


@renders(Action.MEASUREMENT_CORRECTED)
def _measurement_corrected(event: Event) -> str:
    data = event.data
    old, new = data["value"]
    return _(
        "corrected a measurement of %(indicator)s: %(old)s %(unit)s is now %(new)s %(unit)s "
        "on %(date)s"
    ) % {
        "indicator": data["indicator"],
        "old": old,
        "new": new,
        "unit": data["unit"],
        "date": when(data["date"][1]),
    }


@renders(Action.MEASUREMENT_WITHDRAWN)
def _measurement_withdrawn(event: Event) -> str:
    data = event.data
    return _("withdrew a measurement: %(indicator)s %(value)s %(unit)s on %(date)s") % {
        "indicator": data["indicator"],
        "value": data["value"],
        "unit": data["unit"],
        "date": when(data["date"]),
    }


@renders(Action.PROGRESS_CORRECTED)
def _progress_corrected(event: Event) -> str:
    return _with(_("corrected a progress update"), event.data.get("excerpt", ""))


@renders(Action.PROGRESS_WITHDRAWN)
def _progress_withdrawn(event: Event) -> str:
    return _with(_("withdrew a progress update"), event.data.get("excerpt", ""))


@renders(Action.EXPERIMENT_STARTED)
def _experiment_started(event: Event) -> str:
    return _with(_("started an experiment"), event.data.get("title", _legacy(event)))


@renders(Action.EXPERIMENT_CLOSED)
def _experiment_closed(event: Event) -> str:
    from partnerships.models import Experiment

    data = event.data
    if "decision" not in data:
        return _with(_("closed an experiment"), _legacy(event))
    return _("closed the experiment “%(title)s” with the decision “%(decision)s”") % {
        "title": data["title"],
        "decision": _label(Experiment.Decision, data["decision"]),
    }


@renders(Action.NEED_STATED)
def _need_stated(event: Event) -> str:
    data = event.data
    if "amount" not in data:
        return _with(_("stated a financial need"), _legacy(event))
    return _("stated a financial need for %(organization)s: %(amount)s") % {
        "organization": data["organization"],
        "amount": money(data["amount"], data["currency"]),
    }


@renders(Action.NEED_UPDATED)
def _need_updated(event: Event) -> str:
    from partnerships.models import FinancialNeed

    data = event.data
    if "status" not in data:
        return _with(_("updated a financial need"), _legacy(event))
    return _("marked the financial need of %(organization)s as “%(status)s”") % {
        "organization": data["organization"],
        "status": _label(FinancialNeed.Status, data["status"][1]),
    }
