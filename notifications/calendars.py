"""iCalendar feeds (the ``icalendar`` package): a person's check-ins, and a partnership's next.

Each check-in keeps one UID for life, and its ``SEQUENCE`` is the check-in's own counter,
raised when it moves, so a calendar replaces the entry it holds. A check-in without a time
is an all-day entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from core.links import absolute_url
from partnerships.models import CheckIn

REFRESH = timedelta(hours=6)
MEETING_LENGTH = timedelta(hours=1)


def checkin_uid(checkin: CheckIn) -> str:
    # Never the request's host: a feed fetched under another name must keep its UIDs.
    return f"checkin-{checkin.pk}@tandem"


def calendar_for(checkins: Iterable[CheckIn], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Tandem//Check-ins//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # How often a calendar should fetch the feed again (RFC 7986 and the common extension).
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    stamp = timezone.now()
    for checkin in checkins:
        entry = CalendarEvent()
        entry.add("uid", checkin_uid(checkin))
        entry.add("dtstamp", stamp)
        entry.add("sequence", checkin.sequence)
        entry.add("summary", f"{checkin.partnership.title} · check-in")
        if checkin.time is None:
            entry.add("dtstart", checkin.due_date)
            entry.add("dtend", checkin.due_date + timedelta(days=1))
        else:
            start = timezone.make_aware(
                datetime.combine(checkin.due_date, checkin.time),
                timezone.get_default_timezone(),
            )
            entry.add("dtstart", start)
            entry.add("dtend", start + MEETING_LENGTH)
        if checkin.place:
            entry.add("location", checkin.place)
        entry.add(
            "url",
            absolute_url(reverse("partnerships:checkins", args=[checkin.partnership_id])),
        )
        entry.add("status", "CONFIRMED")
        calendar.add_component(entry)
    return calendar.to_ical()
