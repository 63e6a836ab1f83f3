"""The bell, the list, preferences, unsubscribing and the calendar feeds, as people use them."""

from __future__ import annotations

from datetime import time, timedelta

import ical.calendar_stream
import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from notifications import kinds, services
from notifications.models import Notification, Preference
from partnerships import services as partnership_services
from partnerships.models import CheckIn
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _remind(world: World, days: int = 0) -> CheckIn:
    checkin = f.CheckInFactory(
        partnership=world.partnership,
        due_date=timezone.localdate() + timedelta(days=days),
        time=time(9, 30),
        place="Community kitchen, Main St",
    )
    services.reminders_sweep()
    services.dispatches_send_all()
    return checkin


def test_the_bell_counts_unread_notifications_and_marking_read_empties_it(
    world: World, client_as
) -> None:
    _remind(world)
    client: Client = client_as("entrepreneur")

    page = client.get("/notifications/").content.decode()
    assert 'class="badge">1<' in page
    assert "is due today" in page

    [notification] = Notification.objects.filter(recipient=world.entrepreneur)
    response = client.post("/notifications/read/", {"notification": notification.pk})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'class="badge">1<' not in client.get("/notifications/").content.decode()


def test_nobody_marks_another_persons_notification_read(world: World, client_as) -> None:
    _remind(world)
    [notification] = Notification.objects.filter(recipient=world.entrepreneur)
    client_as("city_staff").post("/notifications/read/", {"notification": notification.pk})
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_list_is_empty_with_a_sentence_and_reads_in_spanish(world: World, client_as) -> None:
    page = client_as("outsider").get("/es/notifications/").content.decode()
    assert "Nada todavía" in page


def test_preferences_are_rows_of_kind_channel_and_frequency(world: World, client_as) -> None:
    client = client_as("entrepreneur")
    assert client.get("/notifications/preferences/").status_code == 200
    data = {
        f"{kind}__{channel}": "immediately" for kind in kinds.KINDS for channel in ("app", "email")
    }
    data["stage_changed__email"] = "weekly"
    data["survey_open__app"] = "never"
    data["reminder_days"] = ["7", "0"]

    assert client.post("/notifications/preferences/", data).status_code == 302

    stored = dict(
        Preference.objects.filter(user=world.entrepreneur)
        .values_list("kind", "frequency")
        .filter(channel="email")
    )
    assert stored["stage_changed"] == "weekly"
    subscriber = services.subscriber_for(world.entrepreneur)
    assert subscriber.reminder_days == [7, 0]
    assert subscriber.next_weekly_digest_at is not None


def test_a_digest_is_not_offered_in_the_app(world: World, client_as) -> None:
    data = {
        f"{kind}__{channel}": "immediately" for kind in kinds.KINDS for channel in ("app", "email")
    }
    data["stage_changed__app"] = "daily"
    response = client_as("entrepreneur").post("/notifications/preferences/", data)
    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_one_click_unsubscribe_from_the_headers_of_a_reminder(world: World) -> None:
    _remind(world)
    message = next(m for m in mail.outbox if m.to == [world.entrepreneur.email])
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client(enforce_csrf_checks=True)

    # Opening the link (a scanner does) changes nothing; the mail client's POST does.
    assert anonymous.get(f"/{path}").status_code == 200
    assert not Preference.objects.filter(user=world.entrepreneur).exists()
    response = anonymous.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=world.entrepreneur, channel="email").frequency == "never"


def test_a_forged_unsubscribe_link_is_404(world: World, client) -> None:
    assert client.post("/notifications/unsubscribe/not-a-token/").status_code == 404


def _feed(client: Client, world: World) -> bytes:
    token = services.subscriber_for(world.entrepreneur).calendar_token
    response = client.get(f"/notifications/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content


def test_the_calendar_feed_parses_with_two_parsers_and_follows_a_move(world: World, client) -> None:
    checkin = f.CheckInFactory(
        partnership=world.partnership,
        due_date=timezone.localdate() + timedelta(days=4),
        time=time(9, 30),
        place="Community kitchen",
    )
    f.CheckInFactory(partnership=world.other_partnership)  # another city's: never in the feed

    first = icalendar.Calendar.from_ical(_feed(client, world))
    [entry] = first.walk("VEVENT")
    assert entry["LOCATION"] == "Community kitchen"
    assert entry["SEQUENCE"] == 0
    assert "REFRESH-INTERVAL" in first
    uid = str(entry["UID"])

    partnership_services.checkin_move(
        actor=world.city_staff,
        checkin=checkin,
        due_date=timezone.localdate() + timedelta(days=6),
        time=time(10, 0),
        place="Town hall",
    )
    body = _feed(client, world)
    [moved] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(moved["UID"]) == uid
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART").date() == timezone.localdate() + timedelta(days=6)

    [parsed] = ical.calendar_stream.IcsCalendarStream.calendar_from_ics(body.decode()).events
    assert parsed.uid == uid
    assert parsed.sequence == 1
    assert parsed.location == "Town hall"


def test_resetting_the_calendar_address_retires_the_old_one(world: World, client_as) -> None:
    old = services.subscriber_for(world.entrepreneur).calendar_token
    response = client_as("entrepreneur").post("/notifications/calendar/reset/")
    assert response.status_code == 302
    assert Client().get(f"/notifications/calendar/{old}.ics").status_code == 404
    new = services.subscriber_for(world.entrepreneur).calendar_token
    assert Client().get(f"/notifications/calendar/{new}.ics").status_code == 200


def test_a_partnership_offers_its_next_checkin_as_ics(world: World, client_as) -> None:
    f.CheckInFactory(partnership=world.partnership)
    mine = client_as("beneficiary").get(
        f"/notifications/partnerships/{world.partnership.pk}/next-checkin.ics"
    )
    assert mine.status_code == 200
    [entry] = icalendar.Calendar.from_ical(mine.content).walk("VEVENT")
    assert world.partnership.title in str(entry["SUMMARY"])
    other = client_as("beneficiary").get(
        f"/notifications/partnerships/{world.other_partnership.pk}/next-checkin.ics"
    )
    assert other.status_code == 404


def test_a_checkin_is_scheduled_with_a_time_and_a_place(world: World, client_as) -> None:
    due = timezone.localdate() + timedelta(days=9)
    response = client_as("entrepreneur").post(
        f"/partnerships/{world.partnership.pk}/checkins/schedule/",
        {"due_date": due.isoformat(), "time": "18:15", "place": "Library"},
    )
    assert response.status_code == 302
    checkin = world.partnership.checkins.get(due_date=due)
    assert (checkin.time, checkin.place) == (time(18, 15), "Library")
    page = client_as("entrepreneur").get(f"/partnerships/{world.partnership.pk}/checkins/")
    assert "Library" in page.content.decode()


def test_moving_a_checkin_from_its_page_moves_it_in_the_calendar(world: World, client_as) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership)
    client = client_as("entrepreneur")
    url = f"/partnerships/{world.partnership.pk}/checkins/{checkin.pk}/move/"
    assert client.get(url).status_code == 200
    due = timezone.localdate() + timedelta(days=11)

    response = client.post(url, {"due_date": due.isoformat(), "time": "08:45", "place": "Park"})

    assert response.status_code == 302
    checkin.refresh_from_db()
    assert (checkin.due_date, checkin.time, checkin.place, checkin.sequence) == (
        due,
        time(8, 45),
        "Park",
        1,
    )
    assert client_as("beneficiary").get(url).status_code == 403
    assert client_as("other_city_staff").get(url).status_code == 404


def test_a_participant_sees_check_in_reminders_off_until_they_ask(world: World, client_as) -> None:
    client = client_as("beneficiary")
    page = client.get("/notifications/preferences/").content.decode()
    assert '<option value="never" selected>' in page
    [row] = [
        r for r in services.preference_table(world.beneficiary) if r["kind"].slug == "checkin_due"
    ]
    assert (row["app"], row["email"]) == ("never", "never")
