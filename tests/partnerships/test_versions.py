"""Nobody loses another person's work: stale edits refused, create forms sent twice create
once, partnerships archived or deleted, measurements and progress corrected or withdrawn."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import Event, FormToken
from core.versioning import StaleEdit
from partnerships import services
from partnerships.events import Action
from partnerships.models import (
    FinancialNeed,
    Indicator,
    Measurement,
    Partnership,
    ProgressUpdate,
    Responsibility,
)
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
HTMX = {"HTTP_HX_REQUEST": "true"}
STALE = "Someone else saved this while you were editing."


def _url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"partnerships:{name}", kwargs={"pk": partnership.pk, **kwargs})


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden field {name}"
    return found[1]


# --- Stale edits --------------------------------------------------------------------------


def _edit_data(partnership: Partnership, contact: User, **overrides: Any) -> dict[str, Any]:
    return {
        "title": partnership.title,
        "goal": partnership.goal,
        "status": partnership.status,
        "cadence": partnership.cadence,
        "start_date": partnership.start_date.isoformat(),
        "point_of_contact": contact.pk,
        "visibility": partnership.visibility,
        "public_summary": partnership.public_summary,
        **overrides,
    }


def test_a_stale_partnership_edit_is_refused_and_shows_the_other_version(
    world: World, client_as: Callable[[str], Client]
) -> None:
    p = world.partnership
    client = client_as("city_staff")
    page = client.get(_url("edit", p)).content.decode()
    version = _hidden(page, "expected_version")
    # A colleague saves a new title while the form is open.
    services.partnership_update(actor=world.city_admin, partnership=p, title="Shared tables")

    response = client.post(
        _url("edit", p),
        _edit_data(p, world.city_staff, title="Meals for all", expected_version=version),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert STALE in html
    # The form now holds what is stored, and the version to save against next.
    assert 'value="Shared tables"' in html and 'value="Meals for all"' not in html
    assert _hidden(html, "expected_version") == "2"
    p.refresh_from_db()
    assert (p.title, p.version) == ("Shared tables", 2)
    assert Event.objects.filter(action=Action.UPDATED).count() == 1

    again = client.post(
        _url("edit", p), _edit_data(p, world.city_staff, title="Meals for all", expected_version=2)
    )

    assert again.status_code == 302
    p.refresh_from_db()
    assert (p.title, p.version) == ("Meals for all", 3)
    assert [h.title for h in p.history.order_by("history_date", "history_id")][-2:] == [
        "Shared tables",
        "Meals for all",
    ]


def test_a_stale_responsibility_update_is_refused(
    world: World, client_as: Callable[[str], Client]
) -> None:
    item = Responsibility.objects.create(
        partnership=world.partnership, organization=world.enterprise, description="Cook"
    )
    url = _url("responsibility_edit", world.partnership, responsibility_pk=item.pk)
    services.responsibility_update(
        actor=world.city_staff, responsibility=item, status=Responsibility.Status.DONE
    )

    response = client_as("entrepreneur").post(
        url, {"status": "dropped", "due_date": "", "expected_version": 1}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert STALE in html
    assert re.search(r'value="done"[^>]*checked', html)
    item.refresh_from_db()
    assert (item.status, item.version) == (Responsibility.Status.DONE, 2)


def test_a_stale_financial_need_update_is_refused(world: World) -> None:
    need = f.FinancialNeedFactory(partnership=world.partnership)
    stale = FinancialNeed.objects.get(pk=need.pk)
    services.need_update(actor=world.city_staff, need=need, status=FinancialNeed.Status.MET)

    with pytest.raises(StaleEdit) as caught:
        services.need_update(
            actor=world.entrepreneur, need=stale, status=FinancialNeed.Status.WITHDRAWN
        )

    current = caught.value.current
    assert isinstance(current, FinancialNeed) and current.status == FinancialNeed.Status.MET
    # The caller's copy still says what it said; the stored row is the first save's.
    assert stale.status == FinancialNeed.Status.OPEN
    need.refresh_from_db()
    assert (need.status, need.version) == (FinancialNeed.Status.MET, 2)


def _indicator_data(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Families supported",
        "unit": "families",
        "direction": "up",
        "baseline": "10",
        "target": "100",
        "target_date": (TODAY() + timedelta(days=365)).isoformat(),
        "expected_version": 1,
        **overrides,
    }


def test_an_indicator_is_edited_and_a_stale_edit_is_refused(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    url = _url("indicator_edit", world.partnership, indicator_pk=indicator.pk)
    client = client_as("entrepreneur")
    assert 'value="Families supported"' in client.get(url).content.decode()

    saved = client.post(url, _indicator_data(target="150"))
    stale = client_as("city_staff").post(url, _indicator_data(name="Households"))

    assert saved.status_code == 302
    assert stale.status_code == 400 and STALE in stale.content.decode()
    indicator.refresh_from_db()
    assert (indicator.name, indicator.target, indicator.version) == (
        "Families supported",
        Decimal("150"),
        2,
    )
    event = Event.objects.get(action=Action.INDICATOR_UPDATED)
    assert event.data["changes"] == {"target": ["100.00", "150.00"]}


def test_the_indicator_edit_page_shows_its_stored_options(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = f.IndicatorFactory(
        partnership=world.partnership, unit="%", allows_negative=True, allows_above_100=True
    )
    url = _url("indicator_edit", world.partnership, indicator_pk=indicator.pk)
    html = client_as("entrepreneur").get(url).content.decode()
    for name in ("allows_negative", "allows_above_100"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert tag is not None and "checked" in tag[0], name


def test_an_indicator_edit_keeps_the_rules_of_a_new_one(world: World) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)

    with pytest.raises(ValidationError) as caught:
        services.indicator_update(
            actor=world.entrepreneur,
            indicator=indicator,
            name="Families",
            unit="families",
            direction=Indicator.Direction.DOWN,
            baseline="10",
            target="100",
            target_date=TODAY(),
        )

    assert "target" in caught.value.message_dict
    indicator.refresh_from_db()
    assert indicator.version == 1


def _plan_post(number: int, heading: str) -> dict[str, str]:
    return {
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "1",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "50",
        "sections-0-heading": heading,
        "sections-0-body": "Text",
        "note": "",
        "expected_version": str(number),
    }


def test_publishing_a_plan_based_on_an_old_version_is_refused(
    world: World, client_as: Callable[[str], Client]
) -> None:
    p = world.partnership
    services.plan_publish(actor=world.city_staff, partnership=p, sections=[("Why", "One")])
    client = client_as("entrepreneur")
    assert _hidden(client.get(_url("plan_publish", p)).content.decode(), "expected_version") == "1"
    # Someone else publishes version 2 while this person edits version 1.
    services.plan_publish(actor=world.city_admin, partnership=p, sections=[("Who", "Two")])

    response = client.post(_url("plan_publish", p), _plan_post(1, "Mine"))

    assert response.status_code == 400
    html = response.content.decode()
    assert STALE in html
    assert 'value="Who"' in html and 'value="Mine"' not in html
    assert _hidden(html, "expected_version") == "2"
    assert list(p.plan_versions.values_list("number", flat=True)) == [2, 1]

    assert client.post(_url("plan_publish", p), _plan_post(2, "Mine")).status_code == 302
    assert p.plan_versions.first().sections.get().heading == "Mine"  # type: ignore[union-attr]


# --- Two saves at the same moment -----------------------------------------------------------


def _race(first: Callable[[], Any], second: Callable[[], Any]) -> list[str]:
    """Runs two saves in two threads, each on its own database connection, and says how
    each ended. On PostgreSQL the second UPDATE runs while the first transaction is still
    open and waits on its row lock; SQLite has one writer at a time, so there the second
    starts once the first committed. Both had loaded the object before either saved."""
    outcomes: dict[str, str] = {}
    wrote = threading.Event()
    loaded = threading.Barrier(2)
    overlap = connection.vendor == "postgresql"

    def run(name: str, save: Callable[[], Any], lead: bool) -> None:
        try:
            loaded.wait(timeout=10)
            if lead:
                with transaction.atomic():
                    save()
                    wrote.set()
                    if overlap:
                        # Hold the row lock while the other save reaches its UPDATE.
                        threading.Event().wait(0.5)
            else:
                wrote.wait(timeout=10)
                if not overlap:
                    while "first" not in outcomes:
                        threading.Event().wait(0.01)
                save()
            outcomes[name] = "saved"
        except StaleEdit:
            outcomes[name] = "refused"
        except Exception as error:  # reported, and fails the test below
            outcomes[name] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", first, True)),
        threading.Thread(target=run, args=("second", second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return [outcomes.get("first", "hung"), outcomes.get("second", "hung")]


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_partnership_at_once_one_wins_one_is_refused() -> None:
    city = f.CityFactory()
    alice, bob = f.UserFactory(), f.UserFactory()
    f.MembershipFactory(user=alice, organization=city, role="admin")
    f.MembershipFactory(user=bob, organization=city, role="admin")
    partnership = f.PartnershipFactory(city=city, point_of_contact=alice)
    pk = partnership.pk

    def save_as(user: User, title: str) -> Callable[[], Any]:
        # Each loads the partnership in its own thread, as its own request would.
        def save() -> Any:
            mine = Partnership.objects.get(pk=pk)
            return services.partnership_update(
                actor=user, partnership=mine, expected_version=1, title=title
            )

        return save

    outcomes = _race(save_as(alice, "Alice's title"), save_as(bob, "Bob's title"))

    assert outcomes == ["saved", "refused"]
    stored = Partnership.objects.get(pk=pk)
    assert (stored.title, stored.version) == ("Alice's title", 2)
    assert Event.objects.filter(action=Action.UPDATED, partnership_id=pk).count() == 1


# --- Create forms sent twice ------------------------------------------------------------------


def test_a_partnership_create_form_sent_twice_creates_one_partnership(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("city_staff")
    page = client.get(reverse("partnerships:create")).content.decode()
    data = {
        "city": world.city.pk,
        "lead": world.enterprise.pk,
        "title": "Warm homes",
        "goal": "No cold homes by 2030",
        "problem_statement": "Old houses lose heat.",
        "status": "exploring",
        "cadence": "monthly",
        "start_date": TODAY().isoformat(),
        "point_of_contact": world.city_staff.pk,
        "visibility": "private",
        "form_token": _hidden(page, "form_token"),
    }

    first = client.post(reverse("partnerships:create"), data)
    second = client.post(reverse("partnerships:create"), data, follow=True)

    created = Partnership.objects.get(title="Warm homes")
    assert first.status_code == 302 and first["Location"] == created.get_absolute_url()
    # The second submission lands on what the first one created, and says so.
    assert second.redirect_chain[0][0] == created.get_absolute_url()
    assert "This form had already been sent" in second.content.decode()
    assert Event.objects.filter(action=Action.CREATED, target_id=created.pk).count() == 1


def test_each_form_page_gets_a_fresh_token(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("city_staff")
    url = _url("responsibility_add", world.partnership)

    tokens = {_hidden(client.get(url).content.decode(), "form_token") for _ in range(2)}

    assert len(tokens) == 2


def test_a_refused_submission_frees_its_token(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("entrepreneur")
    url = _url("experiment_start", world.partnership)
    data = {
        "title": "Saturday lunches",
        "hypothesis": "More people come at weekends.",
        "what_is_tried": "Open on Saturdays.",
        "started_on": TODAY().isoformat(),
        "ends_on": (TODAY() - timedelta(days=3)).isoformat(),  # before the start: refused
        "form_token": "one-time-token-1",
    }

    refused = client.post(url, data)
    corrected = client.post(url, {**data, "ends_on": ""})
    again = client.post(url, {**data, "ends_on": ""})

    assert refused.status_code == 400
    assert corrected.status_code == 302 and again.status_code == 302
    assert world.partnership.experiments.count() == 1
    assert FormToken.objects.get(token="one-time-token-1").target() is not None


def test_an_htmx_progress_update_sent_twice_is_logged_once(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("entrepreneur")
    url = _url("progress_log", world.partnership)
    data = {
        "organization": world.enterprise.pk,
        "date": TODAY().isoformat(),
        "text": "Cooked for forty neighbours.",
        "form_token": "progress-token",
    }

    first = client.post(url, data, **HTMX)
    second = client.post(url, data, **HTMX)

    assert first.status_code == 200 and second.status_code == 200
    assert "This form had already been sent" in second.content.decode()
    assert ProgressUpdate.objects.filter(partnership=world.partnership).count() == 1
    # The refreshed fragment offers a new form, with a new token.
    assert _hidden(second.content.decode(), "form_token") != "progress-token"


@pytest.mark.parametrize(
    ("name", "kwargs", "data", "count"),
    [
        (
            "measurement_add",
            lambda w: {"indicator_pk": f.IndicatorFactory(partnership=w.partnership).pk},
            lambda w: {"date": TODAY().isoformat(), "value": "4", "source": "Tally"},
            lambda w: Measurement.objects.count(),
        ),
        (
            "need_state",
            lambda w: {},
            lambda w: {
                "organization": w.enterprise.pk,
                "amount": "100",
                "currency": "EUR",
                "period": "2027",
                "purpose": "A van",
            },
            lambda w: w.partnership.financial_needs.count(),
        ),
        (
            "checkin_schedule",
            lambda w: {},
            lambda w: {"due_date": (TODAY() + timedelta(days=9)).isoformat()},
            lambda w: w.partnership.checkins.count(),
        ),
        (
            "indicator_create",
            lambda w: {},
            lambda w: _indicator_data(expected_version=""),
            lambda w: w.partnership.indicators.count(),
        ),
        (
            "responsibility_add",
            lambda w: {},
            lambda w: {"organization": w.enterprise.pk, "description": "Find a hall"},
            lambda w: w.partnership.responsibilities.count(),
        ),
    ],
)
def test_create_forms_sent_twice_create_once(
    world: World,
    client_as: Callable[[str], Client],
    name: str,
    kwargs: Callable[[World], dict[str, Any]],
    data: Callable[[World], dict[str, Any]],
    count: Callable[[World], int],
) -> None:
    url = _url(name, world.partnership, **kwargs(world))
    client = client_as("entrepreneur")
    before = count(world)
    posted = {**data(world), "form_token": f"{name}-token"}

    statuses = [client.post(url, posted).status_code for _ in range(2)]

    assert statuses == [302, 302]
    assert count(world) == before + 1


# --- Archive and delete -----------------------------------------------------------------------


def test_an_archived_partnership_leaves_the_portfolio_until_asked_for(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("city_admin")
    title = world.partnership.title

    assert client.post(_url("archive", world.partnership)).status_code == 302

    assert title not in client.get(reverse("partnerships:dashboard")).content.decode()
    archived = client.get(reverse("partnerships:dashboard"), {"archive": "archived"})
    assert title in archived.content.decode()
    assert (
        title in client.get(reverse("partnerships:dashboard"), {"archive": "all"}).content.decode()
    )
    assert "Archived" in client.get(_url("detail", world.partnership)).content.decode()

    assert client.post(_url("unarchive", world.partnership)).status_code == 302
    assert title in client.get(reverse("partnerships:dashboard")).content.decode()
    assert list(
        Event.objects.filter(partnership_id=world.partnership.pk)
        .filter(action__in=[Action.ARCHIVED, Action.UNARCHIVED])
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [Action.ARCHIVED, Action.UNARCHIVED]


def test_archiving_twice_is_refused(world: World) -> None:
    services.partnership_archive(actor=world.city_admin, partnership=world.partnership)

    with pytest.raises(ValidationError):
        services.partnership_archive(actor=world.city_admin, partnership=world.partnership)


def test_the_point_of_contact_may_not_archive_or_delete(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("city_staff")

    for name in ("archive", "delete"):
        assert client.post(_url(name, world.partnership)).status_code == 403
    assert Partnership.objects.filter(pk=world.partnership.pk, archived_at=None).exists()


def test_a_partnership_created_by_mistake_is_deleted_and_the_log_keeps_it(
    world: World, client_as: Callable[[str], Client]
) -> None:
    p = world.partnership
    pk, title = p.pk, p.title
    client = client_as("city_admin")
    assert "created by mistake" in client.get(_url("delete", p)).content.decode()

    response = client.post(_url("delete", p))

    assert response.status_code == 302 and response["Location"] == reverse("partnerships:dashboard")
    assert not Partnership.objects.filter(pk=pk).exists()
    event = Event.objects.get(action=Action.DELETED)
    assert (event.partnership_id, event.actor) == (pk, world.city_admin)
    assert event.data == {"partnership_id": pk, "title": title}
    assert "deleted the partnership" in event.describe()


def test_a_partnership_with_recorded_work_is_archived_not_deleted(
    world: World, client_as: Callable[[str], Client]
) -> None:
    p = world.partnership
    f.MeasurementFactory(indicator=f.IndicatorFactory(partnership=p))
    client = client_as("city_admin")
    assert "Archive it instead" in client.get(_url("delete", p)).content.decode()

    response = client.post(_url("delete", p))

    assert response.status_code == 400
    assert "Archive it instead" in response.content.decode()
    assert Partnership.objects.filter(pk=p.pk).exists()
    assert not Event.objects.filter(action=Action.DELETED).exists()


# --- Corrections and withdrawals ------------------------------------------------------------


def test_the_author_corrects_a_measurement_and_history_keeps_the_old_value(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    m = services.measurement_add(
        actor=world.entrepreneur, indicator=indicator, on=TODAY(), value="40", source="Tally"
    )
    url = _url("measurement_correct", world.partnership, measurement_pk=m.pk)

    response = client_as("entrepreneur").post(
        url, {"date": TODAY().isoformat(), "value": "44", "source": "Tally, recounted"}
    )

    assert response.status_code == 302
    m.refresh_from_db()
    assert m.value == Decimal("44")
    assert [h.value for h in m.history.order_by("history_date", "history_id")] == [
        Decimal("40"),
        Decimal("44"),
    ]
    event = Event.objects.get(action=Action.MEASUREMENT_CORRECTED)
    assert event.data["value"] == ["40.00", "44.00"]
    assert "40.00" in event.describe() and "44.00" in event.describe()


def test_a_correction_meets_the_same_rules_as_a_new_measurement(world: World) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership, unit="meals")
    m = services.measurement_add(
        actor=world.entrepreneur, indicator=indicator, on=TODAY(), value="40", source="Tally"
    )
    for on, value, field in (
        (TODAY(), "-3", "value"),
        (world.partnership.start_date - timedelta(days=1), "41", "date"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.measurement_correct(
                actor=world.entrepreneur, measurement=m, on=on, value=value, source="Tally"
            )
        assert field in caught.value.error_dict
    m.refresh_from_db()
    assert m.value == Decimal("40")


def test_someone_else_who_only_contributes_cannot_correct_a_measurement(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    m = f.MeasurementFactory(indicator=indicator, entered_by=world.city_staff)

    response = client_as("entrepreneur").post(
        _url("measurement_withdraw", world.partnership, measurement_pk=m.pk)
    )

    assert response.status_code == 403
    m.refresh_from_db()
    assert m.withdrawn_at is None


def test_a_withdrawn_measurement_leaves_the_chart_table_and_export_but_not_the_timeline(
    world: World, client_as: Callable[[str], Client]
) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    kept = f.MeasurementFactory(indicator=indicator, value=Decimal("31"), source="Kept count")
    wrong = f.MeasurementFactory(indicator=indicator, value=Decimal("977"), source="Typo count")
    client = client_as("city_staff")  # the point of contact manages the partnership

    response = client.post(_url("measurement_withdraw", world.partnership, measurement_pk=wrong.pk))

    assert response.status_code == 302
    evidence = client.get(_url("evidence", world.partnership)).content.decode()
    assert "Kept count" in evidence and "Typo count" not in evidence
    export = client.get(_url("measurements_export", world.partnership)).content.decode()
    assert "Kept count" in export and "Typo count" not in export
    timeline = client.get(_url("timeline", world.partnership)).content.decode()
    assert "withdrew a measurement" in timeline and "977" in timeline
    wrong.refresh_from_db()
    assert wrong.withdrawn_by == world.city_staff
    assert wrong.history.count() == 2  # as entered, and as withdrawn
    # Withdrawn is final: it can no longer be corrected.
    again = client.get(_url("measurement_correct", world.partnership, measurement_pk=wrong.pk))
    assert again.status_code == 404
    assert kept.withdrawn_at is None


def test_a_progress_update_is_corrected_then_withdrawn_by_its_author(
    world: World, client_as: Callable[[str], Client]
) -> None:
    update = services.progress_log(
        actor=world.entrepreneur,
        partnership=world.partnership,
        organization=world.enterprise,
        text="Cooked for fourty neighbours.",
    )
    client = client_as("entrepreneur")
    progress = client.get(_url("progress", world.partnership)).content.decode()
    assert _url("progress_correct", world.partnership, update_pk=update.pk) in progress

    corrected = client.post(
        _url("progress_correct", world.partnership, update_pk=update.pk),
        {"date": TODAY().isoformat(), "text": "Cooked for forty neighbours."},
    )
    withdrawn = client.post(_url("progress_withdraw", world.partnership, update_pk=update.pk))

    assert corrected.status_code == 302 and withdrawn.status_code == 302
    page = client.get(_url("progress", world.partnership)).content.decode()
    assert "forty neighbours" not in page
    assert [h.text for h in update.history.order_by("history_date", "history_id")] == [
        "Cooked for fourty neighbours.",
        "Cooked for forty neighbours.",
        "Cooked for forty neighbours.",
    ]
    actions = set(Event.objects.values_list("action", flat=True))
    assert {Action.PROGRESS_CORRECTED, Action.PROGRESS_WITHDRAWN} <= actions


def test_a_beneficiary_sees_no_correction_links(
    world: World, client_as: Callable[[str], Client]
) -> None:
    update = f.ProgressUpdateFactory(partnership=world.partnership, author=world.entrepreneur)

    page = client_as("beneficiary").get(_url("progress", world.partnership)).content.decode()

    assert _url("progress_correct", world.partnership, update_pk=update.pk) not in page
