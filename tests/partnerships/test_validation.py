"""Data that makes sense: dates, counts, percentages and currencies the services refuse,
and the numbers the pages show in the reader's language."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core import numbers
from partnerships import services
from partnerships.models import CheckIn, FinancialNeed, Indicator, Measurement, Responsibility
from tests import factories as f
from tests.conftest import World
from tests.partnerships.test_services import assert_invalid, nothing_changes

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
HTMX = {"HTTP_HX_REQUEST": "true"}
START = date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _english() -> None:
    translation.activate("en")


@pytest.fixture
def started(world: World) -> World:
    """The partnership started on 1 March 2024."""
    world.partnership.start_date = START
    world.partnership.save()
    return world


def _indicator(world: World, **fields: object) -> Indicator:
    return f.IndicatorFactory(partnership=world.partnership, **fields)


# --- Dates: not before the partnership, not before 1950 ---------------------------------


def test_a_measurement_before_the_partnership_started_is_refused(started: World) -> None:
    indicator = _indicator(started)
    error = assert_invalid(
        "date",
        lambda: services.measurement_add(
            actor=started.entrepreneur,
            indicator=indicator,
            on=START - timedelta(days=1),
            value="3",
            source="Case records",
        ),
    )
    assert "before the partnership started" in error.message_dict["date"][0]


def test_a_measurement_on_the_first_day_is_taken(started: World) -> None:
    measurement = services.measurement_add(
        actor=started.entrepreneur,
        indicator=_indicator(started),
        on=START,
        value="3",
        source="Case records",
    )
    assert measurement.date == START


def test_a_responsibility_due_before_the_partnership_started_is_refused(started: World) -> None:
    assert_invalid(
        "due_date",
        lambda: services.responsibility_add(
            actor=started.city_staff,
            partnership=started.partnership,
            organization=started.enterprise,
            description="Book the hall",
            due_date=START - timedelta(days=1),
        ),
    )


def test_a_responsibility_cannot_be_moved_before_the_start(started: World) -> None:
    responsibility = services.responsibility_add(
        actor=started.city_staff,
        partnership=started.partnership,
        organization=started.enterprise,
        description="Book the hall",
        due_date=START + timedelta(days=30),
    )
    assert_invalid(
        "due_date",
        lambda: services.responsibility_update(
            actor=started.city_staff,
            responsibility=responsibility,
            status=Responsibility.Status.DONE,
            due_date=date(2020, 1, 1),
        ),
    )


def test_a_stored_early_due_date_kept_as_it_is_does_not_block_a_status_change(
    started: World,
) -> None:
    responsibility = Responsibility.objects.create(
        partnership=started.partnership,
        organization=started.enterprise,
        description="From before the rule",
        due_date=date(2020, 1, 1),
    )
    services.responsibility_update(
        actor=started.city_staff,
        responsibility=responsibility,
        status=Responsibility.Status.DONE,
        due_date=date(2020, 1, 1),
    )
    responsibility.refresh_from_db()
    assert responsibility.status == Responsibility.Status.DONE


def test_the_start_cannot_move_past_what_is_already_dated(started: World) -> None:
    f.MeasurementFactory(indicator=_indicator(started), date=START + timedelta(days=10))
    assert_invalid(
        "start_date",
        lambda: services.partnership_update(
            actor=started.city_staff,
            partnership=started.partnership,
            start_date=START + timedelta(days=11),
        ),
    )
    started.partnership.refresh_from_db()
    assert started.partnership.start_date == START


def test_the_start_may_move_earlier(started: World) -> None:
    f.MeasurementFactory(indicator=_indicator(started), date=START + timedelta(days=10))
    services.partnership_update(
        actor=started.city_staff, partnership=started.partnership, start_date=date(2023, 1, 1)
    )
    started.partnership.refresh_from_db()
    assert started.partnership.start_date == date(2023, 1, 1)


def test_a_partnership_cannot_start_before_1950(world: World) -> None:
    error = assert_invalid(
        "start_date",
        lambda: services.partnership_create(
            actor=world.city_staff,
            city=world.city,
            lead=world.enterprise,
            title="Old times",
            goal="A goal",
            problem_statement="A problem",
            start_date=date(1949, 12, 31),
        ),
    )
    assert error.message_dict["start_date"] == ["Choose a date in 1950 or later."]
    assert_invalid(
        "start_date",
        lambda: services.partnership_update(
            actor=world.city_staff, partnership=world.partnership, start_date=date(1900, 1, 1)
        ),
    )


EARLY = date(1949, 12, 31)


@pytest.mark.parametrize(
    ("field", "call"),
    [
        (
            "held_on",
            lambda w, checkin, indicator: services.checkin_record(
                actor=w.city_staff,
                checkin=checkin,
                held=True,
                held_on=EARLY,
            ),
        ),
        (
            "reframed_on",
            lambda w, checkin, indicator: services.partnership_reframe(
                actor=w.city_staff,
                partnership=w.partnership,
                statement="A new view",
                learned="We listened",
                reframed_on=EARLY,
            ),
        ),
        (
            "started_on",
            lambda w, checkin, indicator: services.experiment_start(
                actor=w.entrepreneur,
                partnership=w.partnership,
                title="Saturday lunches",
                hypothesis="If we cook, they come",
                what_is_tried="Cooking",
                started_on=EARLY,
            ),
        ),
        (
            "date",
            lambda w, checkin, indicator: services.progress_log(
                actor=w.entrepreneur,
                partnership=w.partnership,
                organization=w.enterprise,
                text="We cooked",
                on=EARLY,
            ),
        ),
        (
            "target_date",
            lambda w, checkin, indicator: services.indicator_create(
                actor=w.entrepreneur,
                partnership=w.partnership,
                name="Meals",
                unit="meals",
                direction="up",
                baseline="0",
                target="100",
                target_date=EARLY,
            ),
        ),
        (
            "date",
            lambda w, checkin, indicator: services.measurement_add(
                actor=w.entrepreneur,
                indicator=indicator,
                on=EARLY,
                value="1",
                source="Records",
            ),
        ),
    ],
    ids=["check-in", "reframing", "experiment", "progress", "indicator target", "measurement"],
)
def test_no_date_before_1950_anywhere(world: World, field, call) -> None:
    # Made before the snapshot, so that only the call itself is watched.
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=TODAY() + timedelta(days=3))
    indicator = _indicator(world)
    error = assert_invalid(field, lambda: call(world, checkin, indicator))
    assert error.message_dict[field] == ["Choose a date in 1950 or later."]


def test_a_responsibility_due_before_1950_is_refused(world: World) -> None:
    assert_invalid(
        "due_date",
        lambda: services.responsibility_add(
            actor=world.city_staff,
            partnership=world.partnership,
            organization=world.enterprise,
            description="Book the hall",
            due_date=EARLY,
        ),
    )


# --- Check-ins: missed only once due ------------------------------------------------------


def test_a_check_in_cannot_be_missed_before_its_date(world: World) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=TODAY() + timedelta(days=1))
    error = assert_invalid(
        "held", lambda: services.checkin_record(actor=world.city_staff, checkin=checkin, held=False)
    )
    assert "not due yet" in error.message_dict["held"][0]


def test_a_check_in_can_be_missed_on_its_date(world: World) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=TODAY())
    services.checkin_record(actor=world.city_staff, checkin=checkin, held=False)
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.MISSED


def test_a_check_in_can_be_held_before_its_date(world: World) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=TODAY() + timedelta(days=5))
    services.checkin_record(actor=world.city_staff, checkin=checkin, held=True, held_on=TODAY())
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.HELD


# --- Counts and percentages ---------------------------------------------------------------


def _measure(world: World, indicator: Indicator, value: str) -> Measurement:
    return services.measurement_add(
        actor=world.entrepreneur, indicator=indicator, on=TODAY(), value=value, source="Records"
    )


def test_a_count_below_zero_is_refused(world: World) -> None:
    indicator = _indicator(world, unit="people")
    error = assert_invalid("value", lambda: _measure(world, indicator, "-1"))
    assert error.message_dict["value"] == ["This indicator does not take values below zero."]


def test_an_indicator_that_allows_negatives_takes_them(world: World) -> None:
    indicator = _indicator(world, unit="°C", allows_negative=True)
    assert _measure(world, indicator, "-2.5").value == Decimal("-2.50")


@pytest.mark.parametrize("unit", ["%", "% of families", "percent", "por ciento"])
def test_a_percentage_above_100_is_refused(world: World, unit: str) -> None:
    indicator = _indicator(world, unit=unit, baseline=10, target=50)
    error = assert_invalid("value", lambda: _measure(world, indicator, "100.01"))
    assert error.message_dict["value"] == ["This percentage cannot be above 100."]
    assert _measure(world, indicator, "100").value == Decimal("100")


def test_a_percentage_below_zero_is_refused(world: World) -> None:
    indicator = _indicator(world, unit="%", baseline=10, target=50)
    assert_invalid("value", lambda: _measure(world, indicator, "-0.5"))


def test_a_percentage_that_may_go_above_100_does(world: World) -> None:
    indicator = _indicator(world, unit="%", baseline=100, target=150, allows_above_100=True)
    assert _measure(world, indicator, "140").value == Decimal("140")


def test_a_count_above_100_is_fine(world: World) -> None:
    assert _measure(world, _indicator(world, unit="people"), "4500").value == Decimal("4500")


def _create_indicator(world: World, **overrides: object) -> Indicator:
    fields: dict[str, object] = {
        "name": "Families reached",
        "unit": "%",
        "direction": "up",
        "baseline": "10",
        "target": "80",
        "target_date": TODAY() + timedelta(days=365),
        **overrides,
    }
    return services.indicator_create(
        actor=world.entrepreneur,
        partnership=world.partnership,
        **fields,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("target", {"target": "120"}),
        ("baseline", {"baseline": "-5", "unit": "people"}),
        ("baseline", {"baseline": "101", "target": "102"}),
    ],
)
def test_an_indicator_outside_its_range_is_refused(world: World, field, overrides) -> None:
    assert_invalid(field, lambda: _create_indicator(world, **overrides))


def test_an_indicator_says_what_it_allows(world: World) -> None:
    indicator = _create_indicator(
        world,
        baseline="-20",
        target="120",
        allows_negative=True,
        allows_above_100=True,
    )
    assert (indicator.allows_negative, indicator.allows_above_100) == (True, True)


# --- Currencies ---------------------------------------------------------------------------


def _state_need(world: World, currency: str) -> FinancialNeed:
    return services.need_state(
        actor=world.entrepreneur,
        partnership=world.partnership,
        organization=world.enterprise,
        amount="12500",
        currency=currency,
        period="2027",
        purpose="A second cook",
    )


@pytest.mark.parametrize("currency", ["ABC", "XXX", "DEM", "US", "ÉUR", ""])
def test_a_currency_that_is_not_in_use_is_refused(world: World, currency: str) -> None:
    error = assert_invalid("currency", lambda: _state_need(world, currency))
    assert error.message_dict["currency"] == ["Choose a currency from the list."]


@pytest.mark.parametrize(("given", "stored"), [("eur", "EUR"), (" MXN ", "MXN"), ("JPY", "JPY")])
def test_a_currency_code_in_use_is_taken(world: World, given: str, stored: str) -> None:
    assert _state_need(world, given).currency == stored


def test_the_currency_list_is_named_in_the_reader_language() -> None:
    with translation.override("es"):
        spanish = dict(numbers.currency_choices())
    with translation.override("en"):
        english = dict(numbers.currency_choices())
    assert spanish["MXN"] == "peso mexicano (MXN)"
    assert english["MXN"] == "Mexican Peso (MXN)"
    assert set(spanish) == set(english) == numbers.currency_codes()
    assert {"USD", "EUR", "COP"} <= numbers.currency_codes()
    assert not {"XXX", "DEM", "XTS"} & numbers.currency_codes()


# --- The forms: a field message, a 400, nothing changed -----------------------------------


def _url(world: World, name: str, **kwargs: int) -> str:
    return reverse(f"partnerships:{name}", kwargs={"pk": world.partnership.pk, **kwargs})


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_the_form_refuses_a_measurement_before_the_start(started: World, client_as, headers):
    indicator = _indicator(started)
    url = _url(started, "measurement_add", indicator_pk=indicator.pk)
    data = {"date": "2024-02-29", "value": "3", "source": "Case records"}
    with nothing_changes():
        response = client_as("entrepreneur").post(url, data, **headers)
    assert response.status_code == 400
    assert "This date is before the partnership started" in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_form_refuses_a_negative_count(world: World, client_as) -> None:
    indicator = _indicator(world, unit="people")
    url = _url(world, "measurement_add", indicator_pk=indicator.pk)
    data = {"date": TODAY().isoformat(), "value": "-4", "source": "Case records"}
    with nothing_changes():
        response = client_as("entrepreneur").post(url, data)
    assert response.status_code == 400
    assert "This indicator does not take values below zero." in response.content.decode()


def test_the_form_refuses_to_miss_a_check_in_before_its_date(world: World, client_as) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=TODAY() + timedelta(days=2))
    url = _url(world, "checkin_record", checkin_pk=checkin.pk)
    with nothing_changes():
        response = client_as("city_staff").post(url, {"held": "no"})
    assert response.status_code == 400
    assert "This check-in is not due yet" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.SCHEDULED


def test_the_indicator_form_keeps_what_the_indicator_allows(world: World, client_as) -> None:
    data = {
        "name": "Growth",
        "unit": "%",
        "direction": "up",
        "baseline": "100",
        "target": "130",
        "target_date": (TODAY() + timedelta(days=200)).isoformat(),
    }
    with nothing_changes():
        refused = client_as("entrepreneur").post(_url(world, "indicator_create"), data)
    assert refused.status_code == 400
    assert "This percentage cannot be above 100." in refused.content.decode()

    accepted = client_as("entrepreneur").post(
        _url(world, "indicator_create"), {**data, "allows_above_100": "on"}
    )
    assert accepted.status_code == 302
    assert Indicator.objects.get(name="Growth").allows_above_100


def test_the_need_form_offers_currencies_by_name(world: World, client_as) -> None:
    html = client_as("entrepreneur").get("/es" + _url(world, "need_state")).content.decode()
    assert '<select name="currency"' in html
    assert '<option value="MXN">peso mexicano (MXN)</option>' in html
    assert '<option value="USD" selected>' in html


# --- Numbers in the reader's language -----------------------------------------------------


def _need(world: World) -> None:
    f.FinancialNeedFactory(
        partnership=world.partnership,
        organization=world.enterprise,
        amount=Decimal("12500"),
        currency="USD",
    )


def test_the_money_page_shows_amounts_as_the_reader_writes_them(world: World, client_as) -> None:
    _need(world)
    client = client_as("entrepreneur")
    english = client.get(_url(world, "money")).content.decode()
    spanish = client.get("/es" + _url(world, "money")).content.decode()
    assert "$12,500.00" in english
    assert "12.500,00\xa0US$" in spanish


def test_the_evidence_page_shows_measurements_as_the_reader_writes_them(
    world: World, client_as
) -> None:
    indicator = _indicator(world, unit="meals", baseline=0, target=20000)
    f.MeasurementFactory(indicator=indicator, value=Decimal("12345.5"))
    client = client_as("entrepreneur")
    english = client.get(_url(world, "evidence")).content.decode()
    spanish = client.get("/es" + _url(world, "evidence")).content.decode()
    assert "12,345.5 meals" in english
    assert "20,000 meals" in english
    assert "12.345,5 meals" in spanish
    assert "12,345.5" not in spanish


def test_the_timeline_shows_amounts_as_the_reader_writes_them(world: World, client_as) -> None:
    _state_need(world, "EUR")
    client = client_as("entrepreneur")
    assert "€12,500.00" in client.get(_url(world, "timeline")).content.decode()
    assert "12.500,00\xa0€" in client.get("/es" + _url(world, "timeline")).content.decode()


def test_the_measurement_export_stays_machine_readable(world: World, client_as) -> None:
    indicator = _indicator(world, unit="meals", baseline=0, target=20000)
    f.MeasurementFactory(indicator=indicator, value=Decimal("12345.5"))
    csv = client_as("city_staff").get("/es" + _url(world, "measurements_export"))
    assert ",12345.50," in csv.content.decode()
