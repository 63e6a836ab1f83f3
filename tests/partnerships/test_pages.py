"""The partnership page, section by section, for every persona."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Event
from partnerships.events import Action
from partnerships.models import (
    CheckIn,
    Experiment,
    PlanSection,
    PlanVersion,
    Reframing,
    Responsibility,
)
from partnerships.views.pages import csv_safe
from playbook.models import ModelPathway, Practice
from tests import factories as f
from tests.conftest import World

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english() -> None:
    translation.activate("en")


@pytest.fixture
def rich(world: World) -> World:
    """The partnership with something recorded in every section."""
    p = world.partnership
    pathway = ModelPathway.objects.order_by("order").first()
    stages = list(pathway.stages.order_by("order"))
    p.pathway, p.stage = pathway, stages[1]
    p.save()
    Reframing.objects.create(
        partnership=p,
        previous_statement="Older people eat alone.",
        statement=p.problem_statement,
        learned="Loneliness, not food, was the first problem.",
    )
    Responsibility.objects.create(
        partnership=p, organization=world.enterprise, description="Run the Tuesday lunches"
    )
    v1 = PlanVersion.objects.create(partnership=p, number=1, note="First draft")
    PlanSection.objects.create(version=v1, order=1, heading="Old heading", body="Old body")
    v2 = PlanVersion.objects.create(partnership=p, number=2, note="After the check-in")
    PlanSection.objects.create(version=v2, order=1, heading="Who we serve", body="Neighbours")
    f.CheckInFactory(partnership=p, due_date=TODAY - timedelta(days=3))
    held = f.CheckInFactory(
        partnership=p,
        due_date=TODAY - timedelta(days=40),
        status=CheckIn.Status.HELD,
        held_on=TODAY - timedelta(days=39),
        decisions="Open a second kitchen",
    )
    held.attendees.add(world.entrepreneur)
    held.attending_organizations.add(world.enterprise)
    update = f.ProgressUpdateFactory(partnership=p, author=world.entrepreneur, levers=["data"])
    update.practices.add(Practice.objects.first())
    indicator = f.IndicatorFactory(partnership=p, name="Meals served", unit="meals")
    f.MeasurementFactory(indicator=indicator, date=TODAY - timedelta(days=10), value=Decimal(15))
    f.MeasurementFactory(indicator=indicator, date=TODAY, value=Decimal(30))
    f.ExperimentFactory(partnership=p, title="Evening office hours")
    f.ExperimentFactory(
        partnership=p,
        title="Sunday brunch",
        result="Few came",
        decision=Experiment.Decision.ABANDON,
        ends_on=TODAY,
    )
    f.FinancialNeedFactory(partnership=p, purpose="A refrigerated van")
    Event.objects.create(
        partnership_id=p.pk,
        actor=world.entrepreneur,
        action=Action.PROGRESS_LOGGED,
        data={"summary": "Lunch"},
    )
    Event.objects.create(
        partnership_id=p.pk,
        actor=world.entrepreneur,
        action=Action.NEED_STATED,
        data={"summary": "Van money 25000 USD"},
        private=True,
    )
    return world


SECTIONS = [
    ("partnerships:detail", {}),
    ("partnerships:plan", {}),
    ("partnerships:plan_version", {"number": 1}),
    ("partnerships:checkins", {}),
    ("partnerships:progress", {}),
    ("partnerships:evidence", {}),
    ("partnerships:experiments", {}),
    ("partnerships:timeline", {}),
]
MONEY = [("partnerships:money", {}), ("partnerships:need_state", {})]
EXPORT = [("partnerships:measurements_export", {})]


def _url(world: World, name: str, kwargs: dict[str, int], language: str = "en") -> str:
    # Reversing depends on the active language, which a previous request may have changed.
    with translation.override(language):
        return reverse(name, kwargs={"pk": world.partnership.pk, **kwargs})


@pytest.mark.parametrize(("name", "kwargs"), SECTIONS + MONEY + EXPORT)
@pytest.mark.parametrize("persona", ["city_staff", "city_admin", "entrepreneur"])
def test_partners_can_open_every_section(rich: World, client_as, persona, name, kwargs) -> None:
    response = client_as(persona).get(_url(rich, name, kwargs))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), SECTIONS)
def test_beneficiary_reads_the_shared_sections(rich: World, client_as, name, kwargs) -> None:
    response = client_as("beneficiary").get(_url(rich, name, kwargs))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), MONEY + EXPORT)
def test_beneficiary_gets_not_found_for_money_and_exports(
    rich: World, client_as, name, kwargs
) -> None:
    response = client_as("beneficiary").get(_url(rich, name, kwargs))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), SECTIONS + MONEY + EXPORT)
@pytest.mark.parametrize("persona", ["other_city_staff", "outsider"])
def test_people_outside_the_partnership_get_not_found(
    rich: World, client_as, persona, name, kwargs
) -> None:
    response = client_as(persona).get(_url(rich, name, kwargs))
    assert response.status_code == 404
    assert b"Meals served" not in response.content


@pytest.mark.parametrize(("name", "kwargs"), SECTIONS + MONEY + EXPORT)
def test_anonymous_is_sent_to_log_in(rich: World, client_as, name, kwargs) -> None:
    url = _url(rich, name, kwargs)
    response = client_as("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_unknown_partnership_is_not_found(world: World, client_as) -> None:
    response = client_as("city_staff").get(reverse("partnerships:detail", args=[999999]))
    assert response.status_code == 404


def test_section_navigation_marks_the_current_section(rich: World, client_as) -> None:
    html = client_as("entrepreneur").get(_url(rich, "partnerships:evidence", {})).content.decode()
    evidence_url = _url(rich, "partnerships:evidence", {})
    assert f'href="{evidence_url}" aria-current="page"' in html
    assert html.count('aria-current="page"') == 1
    for name in ("detail", "plan", "checkins", "progress", "experiments", "money", "timeline"):
        assert f'href="{_url(rich, f"partnerships:{name}", {})}"' in html


def test_money_tab_is_hidden_from_the_beneficiary(rich: World, client_as) -> None:
    money_url = _url(rich, "partnerships:money", {})
    assert (
        money_url
        not in client_as("beneficiary").get(_url(rich, "partnerships:detail", {})).content.decode()
    )
    assert (
        money_url
        in client_as("city_staff").get(_url(rich, "partnerships:detail", {})).content.decode()
    )


def test_overview_shows_goal_reframings_partners_and_stage(rich: World, client_as) -> None:
    html = client_as("beneficiary").get(_url(rich, "partnerships:detail", {})).content.decode()
    p = rich.partnership
    assert p.goal in html
    assert "Loneliness, not food, was the first problem." in html
    assert "Older people eat alone." in html
    assert "Second Harvest Kitchens" in html
    assert "Run the Tuesday lunches" in html
    assert 'aria-current="step"' in html
    for stage in p.pathway.stages.all():
        assert stage.name in html
    assert p.stage.what_to_expect.splitlines()[0][:40] in html
    assert p.stage.city_support.splitlines()[0][:40] in html
    assert "Rosa Contact" in html
    assert "Overdue" in html


def test_overview_shows_stage_texts_in_spanish(rich: World, client_as) -> None:
    stage = rich.partnership.stage
    spanish = stage.translations.get("es", {}).get("what_to_expect")
    assert spanish
    html = (
        client_as("entrepreneur").get(_url(rich, "partnerships:detail", {}, "es")).content.decode()
    )
    assert spanish.splitlines()[0][:40] in html


def test_overview_links_management_pages_for_the_point_of_contact(rich: World, client_as) -> None:
    html = client_as("city_staff").get(_url(rich, "partnerships:detail", {})).content.decode()
    for name in ("edit", "reframe", "stage_move", "partner_add", "responsibility_add"):
        assert _url(rich, f"partnerships:{name}", {}) in html
    lead_partner = rich.partnership.partners.get(organization=rich.enterprise)
    assert _url(rich, "partnerships:partner_edit", {"partner_pk": lead_partner.pk}) in html
    # The lead cannot be removed, so no link is offered.
    assert _url(rich, "partnerships:partner_remove", {"partner_pk": lead_partner.pk}) not in html


def test_entrepreneur_gets_contributor_links_but_not_manager_links(rich: World, client_as) -> None:
    html = client_as("entrepreneur").get(_url(rich, "partnerships:detail", {})).content.decode()
    assert _url(rich, "partnerships:reframe", {}) in html
    assert _url(rich, "partnerships:responsibility_add", {}) in html
    assert _url(rich, "partnerships:edit", {}) not in html
    assert _url(rich, "partnerships:stage_move", {}) not in html
    assert _url(rich, "partnerships:partner_add", {}) not in html


def test_beneficiary_sees_no_management_links(rich: World, client_as) -> None:
    html = client_as("beneficiary").get(_url(rich, "partnerships:detail", {})).content.decode()
    assert _url(rich, "partnerships:reframe", {}) not in html
    assert _url(rich, "partnerships:responsibility_add", {}) not in html


def test_plan_shows_the_latest_version_and_lists_older_ones(rich: World, client_as) -> None:
    html = client_as("beneficiary").get(_url(rich, "partnerships:plan", {})).content.decode()
    assert "Who we serve" in html
    assert "Old heading" not in html
    assert _url(rich, "partnerships:plan_version", {"number": 1}) in html


def test_an_older_plan_version_stays_readable(rich: World, client_as) -> None:
    html = (
        client_as("beneficiary")
        .get(_url(rich, "partnerships:plan_version", {"number": 1}))
        .content.decode()
    )
    assert "Old heading" in html
    assert "older version" in html


def test_unknown_plan_version_is_not_found(rich: World, client_as) -> None:
    response = client_as("city_staff").get(_url(rich, "partnerships:plan_version", {"number": 9}))
    assert response.status_code == 404


def test_empty_plan_invites_contributors_to_publish(world: World, client_as) -> None:
    html = client_as("entrepreneur").get(_url(world, "partnerships:plan", {})).content.decode()
    assert "No plan yet" in html
    assert _url(world, "partnerships:plan_publish", {}) in html
    beneficiary_html = client_as("beneficiary").get(_url(world, "partnerships:plan", {})).content
    assert _url(world, "partnerships:plan_publish", {}).encode() not in beneficiary_html


def test_checkins_show_overdue_scheduled_and_past_details(rich: World, client_as) -> None:
    html = client_as("entrepreneur").get(_url(rich, "partnerships:checkins", {})).content.decode()
    assert "Overdue" in html
    assert "Open a second kitchen" in html
    assert "Eli Founder" in html
    assert 'hx-post="' in html
    assert _url(rich, "partnerships:checkin_schedule", {}) in html


def test_beneficiary_sees_checkins_without_the_record_form(rich: World, client_as) -> None:
    html = client_as("beneficiary").get(_url(rich, "partnerships:checkins", {})).content.decode()
    assert "Open a second kitchen" in html
    assert "hx-post" not in html


def test_progress_lists_updates_with_practices_and_levers(rich: World, client_as) -> None:
    html = client_as("beneficiary").get(_url(rich, "partnerships:progress", {})).content.decode()
    assert "Met twenty families" in html
    assert "Data" in html
    assert str(Practice.objects.first()) in html


def test_progress_is_paginated(world: World, client_as, settings) -> None:
    settings.TANDEM_PAGE_SIZE = 2
    for n in range(3):
        f.ProgressUpdateFactory(partnership=world.partnership, text=f"Update number {n}")
    url = _url(world, "partnerships:progress", {})
    first = client_as("entrepreneur").get(url).content.decode()
    second = client_as("entrepreneur").get(url + "?page=2").content.decode()
    assert first.count("Update number") == 2
    assert second.count("Update number") == 1
    assert f'href="{url}?page=2"' in first


def test_evidence_draws_an_accessible_chart_with_a_table(rich: World, client_as) -> None:
    html = client_as("beneficiary").get(_url(rich, "partnerships:evidence", {})).content.decode()
    assert '<svg class="chart"' in html
    assert 'role="img"' in html
    assert "<title id=" in html
    assert "<polyline" in html
    assert "style=" not in html
    assert "<details>" in html
    assert "Case records" in html
    # Baseline, target and latest value are listed as text.
    assert "30 meals" in html


def test_chart_coordinates_are_not_localised(rich: World, client_as) -> None:
    html = (
        client_as("beneficiary").get(_url(rich, "partnerships:evidence", {}, "es")).content.decode()
    )
    polyline = html.split('<polyline points="')[1].split('"')[0]
    assert "," in polyline
    for pair in polyline.split(" "):
        x, y = pair.split(",")
        float(x), float(y)


def test_evidence_links_indicator_creation_and_export_for_contributors(
    rich: World, client_as
) -> None:
    html = client_as("entrepreneur").get(_url(rich, "partnerships:evidence", {})).content.decode()
    assert _url(rich, "partnerships:indicator_create", {}) in html
    assert _url(rich, "partnerships:measurements_export", {}) in html
    beneficiary = client_as("beneficiary").get(_url(rich, "partnerships:evidence", {}))
    assert _url(rich, "partnerships:measurements_export", {}).encode() not in beneficiary.content
    assert _url(rich, "partnerships:indicator_create", {}).encode() not in beneficiary.content


def test_experiments_show_running_and_closed_with_links(rich: World, client_as) -> None:
    html = (
        client_as("entrepreneur").get(_url(rich, "partnerships:experiments", {})).content.decode()
    )
    running = rich.partnership.experiments.get(title="Evening office hours")
    assert "Evening office hours" in html
    assert "Few came" in html
    assert "Abandon" in html
    assert _url(rich, "partnerships:experiment_start", {}) in html
    assert _url(rich, "partnerships:experiment_close", {"experiment_pk": running.pk}) in html


def test_money_lists_needs_for_partners(rich: World, client_as) -> None:
    html = client_as("entrepreneur").get(_url(rich, "partnerships:money", {})).content.decode()
    assert "A refrigerated van" in html
    assert "$25,000.00" in html
    need = rich.partnership.financial_needs.get()
    assert _url(rich, "partnerships:need_update", {"need_pk": need.pk}) in html


def test_timeline_hides_private_money_lines_from_the_beneficiary(rich: World, client_as) -> None:
    url = _url(rich, "partnerships:timeline", {})
    beneficiary = client_as("beneficiary").get(url).content.decode()
    partner = client_as("entrepreneur").get(url).content.decode()
    assert "logged progress" in beneficiary
    assert "Van money" not in beneficiary
    assert "Van money" in partner


def test_timeline_is_paginated(world: World, client_as, settings) -> None:
    settings.TANDEM_PAGE_SIZE = 3
    for n in range(5):
        Event.objects.create(
            partnership_id=world.partnership.pk,
            action=Action.UPDATED,
            data={"summary": f"change {n}"},
        )
    url = _url(world, "partnerships:timeline", {})
    assert client_as("city_staff").get(url).content.decode().count("change ") == 3
    assert client_as("city_staff").get(url + "?page=2").content.decode().count("change ") == 2


@pytest.mark.parametrize(
    "name",
    [
        "partnerships:progress",
        "partnerships:evidence",
        "partnerships:checkins",
        "partnerships:timeline",
    ],
)
def test_query_count_does_not_grow_with_the_rows(world: World, client_as, name) -> None:
    p = world.partnership
    client = client_as("entrepreneur")
    url = _url(world, name, {})

    def add_rows(n: int) -> None:
        practice = Practice.objects.first()
        for _ in range(n):
            f.ProgressUpdateFactory(partnership=p).practices.add(practice)
            indicator = f.IndicatorFactory(partnership=p)
            f.MeasurementFactory(indicator=indicator, entered_by=world.entrepreneur)
            held = f.CheckInFactory(
                partnership=p, status=CheckIn.Status.HELD, due_date=TODAY - timedelta(days=5)
            )
            held.attendees.add(world.entrepreneur)
            held.attending_organizations.add(world.enterprise)
            Event.objects.create(
                partnership_id=p.pk, actor=world.entrepreneur, action=Action.UPDATED
            )

    add_rows(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_rows(5)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_measurements_csv_lists_every_measurement(rich: World, client_as) -> None:
    other = f.IndicatorFactory(partnership=rich.partnership, name="Volunteers", unit="people")
    f.MeasurementFactory(
        indicator=other, value=Decimal("-2.5"), source="Rota", entered_by=rich.entrepreneur
    )
    f.MeasurementFactory(indicator=f.IndicatorFactory(partnership=rich.other_partnership))
    response = client_as("entrepreneur").get(_url(rich, "partnerships:measurements_export", {}))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["indicator", "unit", "date", "value", "source", "entered by"]
    assert len(rows) == 4
    assert ["Volunteers", "people", TODAY.isoformat(), "-2.50", "Rota", "Eli Founder"] in rows
    assert {row[0] for row in rows[1:]} == {"Meals served", "Volunteers"}


def test_measurements_csv_neutralises_formulas(world: World, client_as) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership, name='=HYPERLINK("x")', unit="@u")
    f.MeasurementFactory(indicator=indicator, source="+1+cmd|' /C calc'!A0")
    response = client_as("city_staff").get(_url(world, "partnerships:measurements_export", {}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("x")'
    assert rows[1][1] == "'@u"
    assert rows[1][4].startswith("'+1")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("-x", "'-x"), ("\tx", "'\tx"), ("plain", "plain"), (None, "")],
)
def test_csv_safe(value: str | None, expected: str) -> None:
    assert csv_safe(value) == expected
