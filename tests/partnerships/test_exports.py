"""CSV exports: the rows a person may see, nothing more, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import FinancialNeed, Partnership
from tests import factories as f
from tests.partnerships.test_portfolio import _make_many

# --- Portfolio export ---------------------------------------------------------------------

PORTFOLIO_CSV = reverse("partnerships:portfolio_export")


def _rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("persona", ["city_staff", "city_admin"])
def test_city_people_export_their_city_portfolio_only(world, client_as, persona):
    response = client_as(persona).get(PORTFOLIO_CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _rows(response)
    assert rows[0] == [
        "ID",
        "Title",
        "City",
        "Lead partner",
        "Status",
        "Model pathway",
        "Stage",
        "Next check-in",
        "Last activity",
        "Open financial needs",
    ]
    assert [row[1] for row in rows[1:]] == [world.partnership.title]


def test_other_city_staff_export_does_not_contain_riverton(world, client_as):
    rows = _rows(client_as("other_city_staff").get(PORTFOLIO_CSV))
    titles = [row[1] for row in rows[1:]]
    assert titles == [world.other_partnership.title]


@pytest.mark.parametrize("persona", ["entrepreneur", "beneficiary", "outsider"])
def test_people_outside_a_city_get_not_found(client_as, persona):
    assert client_as(persona).get(PORTFOLIO_CSV).status_code == 404


def test_anonymous_visitor_is_asked_to_log_in_before_exporting(client_as):
    response = client_as("anonymous").get(PORTFOLIO_CSV)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_export_row_holds_every_column(world, client_as):
    due = timezone.localdate() + timedelta(days=4)
    f.CheckInFactory(partnership=world.partnership, due_date=due)
    f.FinancialNeedFactory(partnership=world.partnership)
    f.FinancialNeedFactory(partnership=world.partnership, status=FinancialNeed.Status.PARTLY_MET)
    f.FinancialNeedFactory(partnership=world.partnership, status=FinancialNeed.Status.WITHDRAWN)
    rows = _rows(client_as("city_staff").get(PORTFOLIO_CSV))
    row = rows[1]
    assert row[0] == str(world.partnership.pk)
    assert row[2:5] == ["City of Riverton", "Second Harvest Kitchens", "Active"]
    assert row[5:7] == ["", ""]
    assert row[7] == due.isoformat()
    assert row[8].startswith(timezone.localdate().isoformat())
    assert row[9] == "2"


def test_export_holds_counts_not_amounts_or_purposes(world, client_as):
    f.FinancialNeedFactory(partnership=world.partnership, purpose="Rent for the kitchen")
    body = b"".join(client_as("city_staff").get(PORTFOLIO_CSV).streaming_content).decode()
    assert "Rent for the kitchen" not in body
    assert "25000" not in body


def test_export_applies_the_dashboard_filters_and_sort(world, client_as):
    f.PartnershipFactory(title="Meals at school", city=world.city)
    f.PartnershipFactory(title="Paused meals", city=world.city, status=Partnership.Status.PAUSED)
    f.PartnershipFactory(title="Street lights", city=world.city)
    client = client_as("city_staff")
    rows = _rows(client.get(PORTFOLIO_CSV, {"q": "meals", "status": "active", "sort": "-title"}))
    assert [row[1] for row in rows[1:]] == [
        "Meals at school",
        "Community meals for older neighbours",
    ]


def test_export_is_not_paginated(world, client_as, settings):
    settings.TANDEM_PAGE_SIZE = 2
    for n in range(4):
        f.PartnershipFactory(title=f"Extra {n}", city=world.city)
    rows = _rows(client_as("city_staff").get(PORTFOLIO_CSV, {"page": "2"}))
    assert len(rows) == 1 + 5


def test_bad_filter_values_in_the_export_are_ignored(world, client_as):
    response = client_as("city_staff").get(
        PORTFOLIO_CSV, {"status": "nope", "stage": "x", "sort": "garbage"}
    )
    assert response.status_code == 200
    assert [row[1] for row in _rows(response)[1:]] == [world.partnership.title]


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)"])
def test_cells_that_look_like_formulas_are_defused(world, client_as, dangerous):
    Partnership.objects.filter(pk=world.partnership.pk).update(title=dangerous)
    world.enterprise.name = dangerous
    world.enterprise.save()
    row = _rows(client_as("city_staff").get(PORTFOLIO_CSV))[1]
    assert row[1] == f"'{dangerous}"
    assert row[3] == f"'{dangerous}"


def test_ordinary_text_is_left_alone(world, client_as):
    row = _rows(client_as("city_staff").get(PORTFOLIO_CSV))[1]
    assert row[1] == "Community meals for older neighbours"


def test_filename_holds_only_the_date(world, client_as):
    response = client_as("city_staff").get(PORTFOLIO_CSV)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="tandem-portfolio-{today}.csv"'
    )
    assert "Riverton" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_export_query_count_does_not_grow_with_rows(world, client_as):
    client = client_as("city_staff")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = _rows(client.get(PORTFOLIO_CSV))
        assert len(rows) > 1
        return len(ctx.captured_queries)

    _make_many(world, 10)
    few = count()
    _make_many(world, 490, start=10)
    assert few == count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's cursors and JIT")
def test_export_streams_its_rows_in_a_transaction_with_jit_off(world, client_as):
    # In autocommit Django declares the cursor WITH HOLD, and PostgreSQL then reads every
    # row before it sends the first; JIT compiling costs a big city more than the reading.
    client = client_as("city_staff")
    with CaptureQueriesContext(connection) as ctx:
        _rows(client.get(PORTFOLIO_CSV))
    sql = [q["sql"] for q in ctx.captured_queries]
    declare = next(n for n, q in enumerate(sql) if "CURSOR FOR" in q)
    assert "WITH HOLD" not in sql[declare]
    assert sql[declare - 1] == "SET LOCAL jit = off"
    # The test's own transaction is open, so the export's is a savepoint within it.
    assert sql[declare - 2].startswith("SAVEPOINT")
    assert sql[declare + 1].startswith("RELEASE SAVEPOINT")


# --- Both exports: quoting, separators, byte-order mark ------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Riverton, =cmd|' /C calc'!A0", "Riverton, '=cmd|' /C calc'!A0"),
        ("a;+1", "a;'+1"),
        ("a\t@SUM(A1)", "a\t'@SUM(A1)"),
        ("costs; - 2", "costs; '- 2"),
        ("=1;=2", "'=1;'=2"),
        ("plain, text; here", "plain, text; here"),
    ],
)
def test_formulas_after_any_separator_are_defused(value, expected):
    from partnerships.spreadsheet import spreadsheet_safe

    assert spreadsheet_safe(value) == expected


def test_portfolio_export_quotes_every_text_cell_and_starts_with_a_bom(world, client_as):
    response = client_as("city_staff").get(PORTFOLIO_CSV)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    header, first = body[1:].splitlines()[:2]
    assert header.startswith('"ID","Title"')
    # The id is a number and stays bare; the title is text and is quoted.
    assert first.startswith(f'{world.partnership.pk},"{world.partnership.title}"')


def test_measurement_export_quotes_text_keeps_numbers_and_starts_with_a_bom(world, client_as):
    indicator = f.IndicatorFactory(partnership=world.partnership, name="Meals; =served")
    f.MeasurementFactory(indicator=indicator, value="-3.5", source="count")
    url = reverse("partnerships:measurements_export", args=[world.partnership.pk])
    body = client_as("city_staff").get(url).content.decode("utf-8")
    assert body.startswith("\ufeff")
    row = body[1:].splitlines()[1]
    assert row.startswith('"Meals; \'=served",')
    assert ",-3.50," in row
    assert list(csv.reader(io.StringIO(body[1:])))[1][3] == "-3.50"
