"""The in-place forms of the partnership page, with and without htmx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Event
from partnerships.events import Action
from partnerships.models import CheckIn, FinancialNeed, Measurement, ProgressUpdate
from playbook.models import Practice
from tests import factories as f
from tests.conftest import World

TODAY = timezone.localdate()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english() -> None:
    translation.activate("en")


def _url(world: World, name: str, **kwargs: int) -> str:
    return reverse(f"partnerships:{name}", kwargs={"pk": world.partnership.pk, **kwargs})


def _is_fragment(response) -> bool:
    return b"<html" not in response.content and b"section-nav" not in response.content


# --- Progress ----------------------------------------------------------------------


def _progress_data(world: World, **overrides: object) -> dict[str, object]:
    data = {
        "organization": world.enterprise.pk,
        "date": TODAY.isoformat(),
        "text": "Cooked for forty neighbours.",
        "practices": [Practice.objects.first().pk],
        "levers": ["data", "training"],
    }
    data.update(overrides)
    return data


def test_plain_post_logs_progress_and_redirects_with_a_message(world: World, client_as) -> None:
    response = client_as("entrepreneur").post(
        _url(world, "progress_log"), _progress_data(world), follow=True
    )
    assert response.redirect_chain[-1][0] == _url(world, "progress")
    update = ProgressUpdate.objects.get()
    assert update.author == world.entrepreneur
    assert update.organization == world.enterprise
    assert update.levers == ["data", "training"]
    assert list(update.practices.all()) == [Practice.objects.first()]
    assert b"Your progress update was logged." in response.content


def test_htmx_post_logs_progress_and_answers_the_fragment(world: World, client_as) -> None:
    response = client_as("entrepreneur").post(
        _url(world, "progress_log"), _progress_data(world), **HTMX
    )
    assert response.status_code == 200
    assert _is_fragment(response)
    html = response.content.decode()
    assert 'id="progress-panel"' in html
    assert "Cooked for forty neighbours." in html
    # A fresh, empty form for the next update.
    assert 'name="text"' in html
    assert "Cooked for forty neighbours.</textarea>" not in html
    assert ProgressUpdate.objects.count() == 1


def test_city_staff_can_log_progress_for_the_city(world: World, client_as) -> None:
    response = client_as("city_staff").post(
        _url(world, "progress_log"), _progress_data(world, organization=world.city.pk)
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().organization == world.city


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_progress_without_text_is_rejected_and_nothing_is_logged(
    world: World, client_as, headers
) -> None:
    response = client_as("entrepreneur").post(
        _url(world, "progress_log"), _progress_data(world, text=""), **headers
    )
    assert response.status_code == 400
    assert b"This field is required." in response.content
    assert ProgressUpdate.objects.count() == 0
    assert Event.objects.filter(action=Action.PROGRESS_LOGGED).count() == 0
    assert _is_fragment(response) == bool(headers)


def test_progress_dated_in_the_future_gets_the_service_message_on_the_date(
    world: World, client_as
) -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = client_as("entrepreneur").post(
        _url(world, "progress_log"), _progress_data(world, date=tomorrow), **HTMX
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This date is in the future." in html
    assert 'aria-invalid="true"' in html
    assert ProgressUpdate.objects.count() == 0


def test_progress_for_an_organization_outside_the_partnership_is_rejected(
    world: World, client_as
) -> None:
    response = client_as("entrepreneur").post(
        _url(world, "progress_log"), _progress_data(world, organization=world.outsider_org.pk)
    )
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert ProgressUpdate.objects.count() == 0


def test_entrepreneur_cannot_log_progress_for_the_city(world: World, client_as) -> None:
    response = client_as("entrepreneur").post(
        _url(world, "progress_log"), _progress_data(world, organization=world.city.pk)
    )
    assert response.status_code == 400
    assert ProgressUpdate.objects.count() == 0


def test_unknown_lever_is_rejected(world: World, client_as) -> None:
    response = client_as("entrepreneur").post(
        _url(world, "progress_log"), _progress_data(world, levers=["bribery"])
    )
    assert response.status_code == 400
    assert ProgressUpdate.objects.count() == 0


def test_get_on_the_progress_form_url_shows_the_form_on_a_full_page(
    world: World, client_as
) -> None:
    response = client_as("entrepreneur").get(_url(world, "progress_log"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert f'action="{_url(world, "progress_log")}"' in html
    # Standalone: a plain form, no htmx target missing from the page.
    assert "hx-post" not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [("beneficiary", 403), ("other_city_staff", 404), ("outsider", 404)],
)
def test_only_contributors_may_log_progress(world: World, client_as, persona, status) -> None:
    client = client_as(persona)
    assert client.post(_url(world, "progress_log"), _progress_data(world)).status_code == status
    assert client.get(_url(world, "progress_log")).status_code == status
    assert ProgressUpdate.objects.count() == 0


def test_anonymous_post_is_sent_to_log_in(world: World, client_as) -> None:
    response = client_as("anonymous").post(_url(world, "progress_log"), _progress_data(world))
    assert response.status_code == 302
    assert ProgressUpdate.objects.count() == 0


# --- Check-ins ---------------------------------------------------------------------


@pytest.fixture
def scheduled(world: World) -> CheckIn:
    return f.CheckInFactory(partnership=world.partnership, due_date=TODAY - timedelta(days=1))


def _checkin_data(world: World, **overrides: object) -> dict[str, object]:
    data = {
        "held": "yes",
        "held_on": TODAY.isoformat(),
        "attendees": [world.entrepreneur.pk, world.city_staff.pk],
        "attending_organizations": [world.enterprise.pk, world.city.pk],
        "notes": "Talked about the winter menu.",
        "decisions": "Add soup on Fridays.",
        "follow_ups": "Eli checks the budget.",
    }
    data.update(overrides)
    return data


def test_plain_post_records_a_held_checkin(world: World, client_as, scheduled) -> None:
    url = _url(world, "checkin_record", checkin_pk=scheduled.pk)
    response = client_as("city_staff").post(url, _checkin_data(world))
    assert response.status_code == 302
    assert response["Location"] == _url(world, "checkins")
    scheduled.refresh_from_db()
    assert scheduled.status == CheckIn.Status.HELD
    assert scheduled.held_on == TODAY
    assert set(scheduled.attendees.all()) == {world.entrepreneur, world.city_staff}
    assert set(scheduled.attending_organizations.all()) == {world.enterprise, world.city}
    assert scheduled.decisions == "Add soup on Fridays."


def test_htmx_post_records_a_missed_checkin_and_answers_the_fragment(
    world: World, client_as, scheduled
) -> None:
    url = _url(world, "checkin_record", checkin_pk=scheduled.pk)
    response = client_as("entrepreneur").post(
        url, _checkin_data(world, held="no", held_on=""), **HTMX
    )
    assert response.status_code == 200
    assert _is_fragment(response)
    html = response.content.decode()
    assert 'id="checkins-panel"' in html
    assert "Missed" in html
    scheduled.refresh_from_db()
    assert scheduled.status == CheckIn.Status.MISSED
    # The service keeps the next check-in scheduled, and the panel offers its form.
    next_one = world.partnership.checkins.get(status=CheckIn.Status.SCHEDULED)
    assert _url(world, "checkin_record", checkin_pk=next_one.pk) in html


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_held_checkin_without_a_date_is_rejected(
    world: World, client_as, scheduled, headers
) -> None:
    url = _url(world, "checkin_record", checkin_pk=scheduled.pk)
    response = client_as("entrepreneur").post(url, _checkin_data(world, held_on=""), **headers)
    assert response.status_code == 400
    assert b"Say when the check-in was held." in response.content
    assert _is_fragment(response) == bool(headers)
    scheduled.refresh_from_db()
    assert scheduled.status == CheckIn.Status.SCHEDULED
    assert not scheduled.attendees.exists()


def test_attendee_outside_the_partners_is_rejected(world: World, client_as, scheduled) -> None:
    url = _url(world, "checkin_record", checkin_pk=scheduled.pk)
    response = client_as("entrepreneur").post(
        url, _checkin_data(world, attendees=[world.outsider.pk])
    )
    assert response.status_code == 400
    scheduled.refresh_from_db()
    assert scheduled.status == CheckIn.Status.SCHEDULED


def test_recording_a_checkin_twice_shows_a_message(world: World, client_as, scheduled) -> None:
    url = _url(world, "checkin_record", checkin_pk=scheduled.pk)
    client = client_as("entrepreneur")
    assert client.post(url, _checkin_data(world)).status_code == 302
    response = client.post(url, _checkin_data(world, notes="Second try"), **HTMX)
    assert response.status_code == 400
    assert b"already been recorded" in response.content
    scheduled.refresh_from_db()
    assert scheduled.notes == "Talked about the winter menu."


def test_get_on_the_record_url_shows_the_form_on_a_full_page(
    world: World, client_as, scheduled
) -> None:
    url = _url(world, "checkin_record", checkin_pk=scheduled.pk)
    response = client_as("entrepreneur").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert f'action="{url}"' in html
    assert "Eli Founder" in html


def test_checkin_of_another_partnership_is_not_found(world: World, client_as) -> None:
    foreign = f.CheckInFactory(partnership=world.other_partnership)
    url = _url(world, "checkin_record", checkin_pk=foreign.pk)
    assert client_as("entrepreneur").post(url, _checkin_data(world)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == CheckIn.Status.SCHEDULED


@pytest.mark.parametrize(("persona", "status"), [("beneficiary", 403), ("outsider", 404)])
def test_only_contributors_may_record_checkins(
    world: World, client_as, scheduled, persona, status
) -> None:
    url = _url(world, "checkin_record", checkin_pk=scheduled.pk)
    assert client_as(persona).post(url, _checkin_data(world)).status_code == status
    scheduled.refresh_from_db()
    assert scheduled.status == CheckIn.Status.SCHEDULED


# --- Measurements ---------------------------------------------------------------------


@pytest.fixture
def indicator(world: World):
    return f.IndicatorFactory(partnership=world.partnership, name="Meals served", unit="meals")


def _measurement_data(**overrides: object) -> dict[str, object]:
    data = {"date": TODAY.isoformat(), "value": "42.5", "source": "Kitchen tally"}
    data.update(overrides)
    return data


def test_plain_post_adds_a_measurement(world: World, client_as, indicator) -> None:
    url = _url(world, "measurement_add", indicator_pk=indicator.pk)
    response = client_as("entrepreneur").post(url, _measurement_data())
    assert response.status_code == 302
    assert response["Location"].startswith(_url(world, "evidence"))
    measurement = Measurement.objects.get()
    assert measurement.indicator == indicator
    assert str(measurement.value) == "42.50"
    assert measurement.entered_by == world.entrepreneur


def test_htmx_post_adds_a_measurement_and_answers_the_indicator_card(
    world: World, client_as, indicator
) -> None:
    other = f.IndicatorFactory(partnership=world.partnership, name="Volunteers")
    url = _url(world, "measurement_add", indicator_pk=indicator.pk)
    response = client_as("city_staff").post(url, _measurement_data(), **HTMX)
    assert response.status_code == 200
    assert _is_fragment(response)
    html = response.content.decode()
    assert f'id="indicator-{indicator.pk}"' in html
    assert f'id="indicator-{other.pk}"' not in html
    assert "Kitchen tally" in html
    assert "<svg" in html
    assert Measurement.objects.count() == 1


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_measurement_that_is_not_a_number_is_rejected(
    world: World, client_as, indicator, headers
) -> None:
    url = _url(world, "measurement_add", indicator_pk=indicator.pk)
    response = client_as("entrepreneur").post(url, _measurement_data(value="lots"), **headers)
    assert response.status_code == 400
    assert b"Enter a number." in response.content
    assert _is_fragment(response) == bool(headers)
    assert Measurement.objects.count() == 0


def test_measurement_in_the_future_is_rejected(world: World, client_as, indicator) -> None:
    url = _url(world, "measurement_add", indicator_pk=indicator.pk)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = client_as("entrepreneur").post(url, _measurement_data(date=tomorrow), **HTMX)
    assert response.status_code == 400
    assert b"This date is in the future." in response.content
    assert Measurement.objects.count() == 0


def test_measurement_for_an_indicator_of_another_partnership_is_not_found(
    world: World, client_as
) -> None:
    foreign = f.IndicatorFactory(partnership=world.other_partnership)
    url = _url(world, "measurement_add", indicator_pk=foreign.pk)
    assert client_as("entrepreneur").post(url, _measurement_data()).status_code == 404
    assert Measurement.objects.count() == 0


def test_get_on_the_measurement_url_shows_the_form_on_a_full_page(
    world: World, client_as, indicator
) -> None:
    url = _url(world, "measurement_add", indicator_pk=indicator.pk)
    response = client_as("entrepreneur").get(url)
    assert response.status_code == 200
    assert b"<html" in response.content
    assert f'action="{url}"'.encode() in response.content


@pytest.mark.parametrize(("persona", "status"), [("beneficiary", 403), ("other_city_staff", 404)])
def test_only_contributors_may_add_measurements(
    world: World, client_as, indicator, persona, status
) -> None:
    url = _url(world, "measurement_add", indicator_pk=indicator.pk)
    assert client_as(persona).post(url, _measurement_data()).status_code == status
    assert Measurement.objects.count() == 0


# --- Financial needs -----------------------------------------------------------------


def _need_data(world: World, **overrides: object) -> dict[str, object]:
    data = {
        "organization": world.enterprise.pk,
        "amount": "12000",
        "currency": "usd",
        "period": "2027",
        "purpose": "A second cook",
    }
    data.update(overrides)
    return data


def test_plain_post_states_a_need(world: World, client_as) -> None:
    response = client_as("entrepreneur").post(_url(world, "need_state"), _need_data(world))
    assert response.status_code == 302
    assert response["Location"] == _url(world, "money")
    need = FinancialNeed.objects.get()
    assert need.currency == "USD"
    assert need.stated_by == world.entrepreneur
    assert Event.objects.get(action=Action.NEED_STATED).private


def test_htmx_post_states_a_need_and_answers_the_fragment(world: World, client_as) -> None:
    response = client_as("entrepreneur").post(_url(world, "need_state"), _need_data(world), **HTMX)
    assert response.status_code == 200
    assert _is_fragment(response)
    assert b'id="money-panel"' in response.content
    assert b"A second cook" in response.content
    assert FinancialNeed.objects.count() == 1


@pytest.mark.parametrize("currency", ["U$1", "ABC"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_need_with_a_bad_currency_is_rejected(world: World, client_as, headers, currency) -> None:
    response = client_as("entrepreneur").post(
        _url(world, "need_state"), _need_data(world, currency=currency), **headers
    )
    assert response.status_code == 400
    assert b"Choose a currency from the list." in response.content
    assert _is_fragment(response) == bool(headers)
    assert FinancialNeed.objects.count() == 0


def test_need_of_zero_is_rejected(world: World, client_as) -> None:
    response = client_as("entrepreneur").post(
        _url(world, "need_state"), _need_data(world, amount="0")
    )
    assert response.status_code == 400
    assert FinancialNeed.objects.count() == 0


@pytest.mark.parametrize("persona", ["beneficiary", "outsider", "other_city_staff"])
def test_people_who_cannot_see_money_get_not_found_when_stating_a_need(
    world: World, client_as, persona
) -> None:
    client = client_as(persona)
    assert client.post(_url(world, "need_state"), _need_data(world)).status_code == 404
    assert client.post(_url(world, "need_state"), _need_data(world), **HTMX).status_code == 404
    assert FinancialNeed.objects.count() == 0
