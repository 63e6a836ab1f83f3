"""Check-ins: always one scheduled ahead, and each recorded as held or missed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from datetime import time as dt_time
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Organization
from core.history import attribute
from core.versioning import save_versioned
from partnerships import permissions as perms
from partnerships.events import Action
from partnerships.models import CheckIn, Partnership, PartnershipQuerySet
from partnerships.services._common import (
    moment,
    not_in_future,
    not_too_early,
    not_too_far_ahead,
    record,
    require,
)

if TYPE_CHECKING:
    from accounts.models import User


def checkin_ensure_next(*, partnership: Partnership, at: datetime | None = None) -> CheckIn | None:
    """Keeps one check-in scheduled ahead for every partnership that is not closed.

    Idempotent: called after a check-in is recorded and by the periodic sweep.
    """
    with transaction.atomic():
        # The sweep and a recorded check-in may race: the row lock makes the second caller
        # wait and then find the check-in the first one scheduled. The status is read under
        # the lock too, so a partnership closed meanwhile gets nothing new.
        status = (
            Partnership.objects.select_for_update()
            .filter(pk=partnership.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status is None or status == Partnership.Status.CLOSED:
            return None
        return _schedule_next(partnership, at=at)


def _next_due(
    partnership: Partnership, last: tuple[date | None, date] | None, today: date
) -> date | None:
    """The date the next check-in falls due: a cadence after the last one (or the start)."""
    base = (last[0] or last[1]) if last else max(partnership.start_date, today)
    try:
        due = base + partnership.cadence_interval()
    except OverflowError:
        # A date stored before dates were bounded, at the end of the calendar: nothing follows.
        return None
    if due < today:
        due = today + partnership.cadence_interval()
    return due


def _schedule_next(partnership: Partnership, *, at: datetime | None) -> CheckIn | None:
    today = timezone.localdate(moment(at))
    if partnership.checkins.filter(status=CheckIn.Status.SCHEDULED).exists():
        return None
    last = (
        partnership.checkins.exclude(status=CheckIn.Status.SCHEDULED)
        .order_by("-due_date")
        .values_list("held_on", "due_date")
        .first()
    )
    due = _next_due(partnership, last, today)
    if due is None:
        return None
    checkin = attribute(CheckIn(partnership=partnership, due_date=due), None, at)
    checkin.save()
    return checkin


def _missing_a_checkin() -> PartnershipQuerySet:
    scheduled = CheckIn.objects.filter(partnership=OuterRef("pk"), status=CheckIn.Status.SCHEDULED)
    return (
        Partnership.objects.active()
        .exclude(status=Partnership.Status.CLOSED)
        .filter(~Exists(scheduled))
    )


def checkins_ensure_next_bulk(
    *, after_pk: int = 0, limit: int = 500, at: datetime | None = None
) -> tuple[int, int | None]:
    """The sweep's step: the next ``limit`` partnerships (by id, after ``after_pk``) that lack
    a scheduled check-in get one, in a fixed number of statements whatever their number.

    Returns how many were scheduled and the last id looked at (None when none was left).
    The partnership rows are locked first, then read again, so a check-in recorded at the
    same moment (whose ``checkin_ensure_next`` takes the same lock) is seen, never doubled.
    """
    now = moment(at)
    today = timezone.localdate(now)
    with transaction.atomic():
        ids = list(
            _missing_a_checkin()
            .filter(pk__gt=after_pk)
            .order_by("pk")
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return 0, None
        last_recorded = (
            CheckIn.objects.filter(partnership=OuterRef("pk"))
            .exclude(status=CheckIn.Status.SCHEDULED)
            .order_by("-due_date")
        )
        # Read again under the lock: each statement sees what committed before it began.
        partnerships = (
            _missing_a_checkin()
            .filter(pk__in=ids)
            .only("pk", "start_date", "cadence")
            .annotate(
                last_held_on=Subquery(last_recorded.values("held_on")[:1]),
                last_due_date=Subquery(last_recorded.values("due_date")[:1]),
            )
        )
        new: list[CheckIn] = []
        for partnership in partnerships:
            last_due = partnership.last_due_date
            last = (partnership.last_held_on, last_due) if last_due else None
            due = _next_due(partnership, last, today)
            if due is not None:
                new.append(CheckIn(partnership_id=partnership.pk, due_date=due))
        bulk_create_with_history(new, CheckIn, default_date=now)
    return len(new), ids[-1]


def _clean_place(place: str) -> str:
    place = place.strip()
    if len(place) > 200:
        raise ValidationError({"place": _("Keep the place under 200 characters.")})
    return place


@transaction.atomic
def checkin_schedule(
    *,
    actor: User,
    partnership: Partnership,
    due_date: date,
    time: dt_time | None = None,
    place: str = "",
    at: datetime | None = None,
) -> CheckIn:
    now = moment(at)
    today = timezone.localdate(now)
    require(perms.can_contribute(actor, partnership))
    if due_date < today:
        raise ValidationError({"due_date": _("Choose today or a later date.")})
    not_too_far_ahead(due_date, "due_date", today=today)
    if partnership.checkins.filter(status=CheckIn.Status.SCHEDULED, due_date=due_date).exists():
        raise ValidationError({"due_date": _("A check-in is already scheduled on this date.")})
    checkin = attribute(
        CheckIn(partnership=partnership, due_date=due_date, time=time, place=_clean_place(place)),
        actor,
        at,
    )
    checkin.save()
    record(
        partnership,
        actor,
        Action.CHECKIN_SCHEDULED,
        target=checkin,
        data={"due_date": due_date, "time": time.isoformat("minutes") if time else None},
        at=now,
    )
    return checkin


@transaction.atomic
def checkin_move(
    *,
    actor: User,
    checkin: CheckIn,
    due_date: date,
    time: dt_time | None = None,
    place: str = "",
    at: datetime | None = None,
) -> CheckIn:
    """Moves a scheduled check-in to another date, time or place; calendars follow."""
    now = moment(at)
    today = timezone.localdate(now)
    partnership = checkin.partnership
    require(perms.can_contribute(actor, partnership))
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.status != CheckIn.Status.SCHEDULED:
        raise ValidationError(_("This check-in has already been recorded."))
    if due_date < today:
        raise ValidationError({"due_date": _("Choose today or a later date.")})
    not_too_far_ahead(due_date, "due_date", today=today)
    if (
        partnership.checkins.filter(status=CheckIn.Status.SCHEDULED, due_date=due_date)
        .exclude(pk=checkin.pk)
        .exists()
    ):
        raise ValidationError({"due_date": _("A check-in is already scheduled on this date.")})
    place = _clean_place(place)
    if (checkin.due_date, checkin.time, checkin.place) == (due_date, time, place):
        return checkin
    moved_from = checkin.due_date
    checkin.due_date, checkin.time, checkin.place = due_date, time, place
    checkin.sequence += 1
    attribute(checkin, actor, at).save()
    record(
        partnership,
        actor,
        Action.CHECKIN_MOVED,
        target=checkin,
        data={"from": moved_from, "due_date": due_date},
        at=now,
    )
    return checkin


@transaction.atomic
def checkin_record(
    *,
    actor: User,
    checkin: CheckIn,
    held: bool,
    held_on: date | None = None,
    attendees: Iterable[User] = (),
    attending_organizations: Iterable[Organization] = (),
    notes: str = "",
    decisions: str = "",
    follow_ups: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> CheckIn:
    """Records a scheduled check-in as held or missed; with ``expected_version``, only if
    nobody recorded or changed it since that version (a stale one raises ``StaleEdit``)."""
    now = moment(at)
    partnership = checkin.partnership
    require(perms.can_contribute(actor, partnership))
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.status != CheckIn.Status.SCHEDULED:
        raise ValidationError(_("This check-in has already been recorded."))
    if held:
        if held_on is None:
            raise ValidationError({"held_on": _("Say when the check-in was held.")})
        not_in_future(held_on, "held_on", today=timezone.localdate(now))
        not_too_early(held_on, "held_on")
    elif checkin.due_date > timezone.localdate(now):
        raise ValidationError(
            {"held": _("This check-in is not due yet: it can only be missed from its date on.")}
        )
    allowed_orgs = partnership.partner_organization_ids() | {partnership.city_id}
    orgs = list(attending_organizations)
    if any(org.pk not in allowed_orgs for org in orgs):
        raise ValidationError({"attending_organizations": _("Choose partner organizations only.")})
    # A check-in's attendees read its notes later: only people of the partnership qualify.
    people = list(attendees)
    if any(not perms.can_view(person, partnership) for person in people):
        raise ValidationError({"attendees": _("Choose people of this partnership only.")})
    checkin.status = CheckIn.Status.HELD if held else CheckIn.Status.MISSED
    checkin.held_on = held_on if held else None
    checkin.notes = notes.strip()
    checkin.decisions = decisions.strip()
    checkin.follow_ups = follow_ups.strip()
    checkin.recorded_by = actor
    checkin.recorded_at = now
    save_versioned(
        attribute(checkin, actor, at),
        fields=[
            "status",
            "held_on",
            "notes",
            "decisions",
            "follow_ups",
            "recorded_by",
            "recorded_at",
        ],
        expected_version=expected_version,
    )
    checkin.attendees.set(people)
    checkin.attending_organizations.set(orgs)
    record(
        partnership,
        actor,
        Action.CHECKIN_RECORDED,
        target=checkin,
        data={
            "held": held,
            "held_on": checkin.held_on,
            "due_date": checkin.due_date,
            "attendees": len(people),
            "organizations": len(orgs),
        },
        at=now,
    )
    checkin_ensure_next(partnership=partnership, at=now)
    return checkin
