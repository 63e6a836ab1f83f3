"""The portfolio table's rows as the template draws them: escaped and complete."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partnerships.models import Partnership
from tests import factories as f

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("partnerships:dashboard")


def _row_of(content: str, partnership: Partnership) -> str:
    href = reverse("partnerships:detail", args=[partnership.pk])
    match = re.search(rf'<tr>\s*<td data-label="[^"]+"><a href="{href}">.*?</tr>', content, re.S)
    assert match, f"no row for {partnership.title!r}"
    return match.group(0)


def test_titles_and_lead_names_are_escaped_in_the_rows(world, client_as) -> None:
    lead = f.OrganizationFactory(name='Tom & "Jerry" <Kitchens>')
    hostile = f.PartnershipFactory(
        title="<script>alert(1)</script> & 'more'", city=world.city, lead=lead
    )

    content = client_as("city_staff").get(DASHBOARD).content.decode()

    row = _row_of(content, hostile)
    assert "<script>alert(1)</script>" not in content
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;more&#x27;</strong>" in row
    assert '<td data-label="Lead partner">Tom &amp; &quot;Jerry&quot; &lt;Kitchens&gt;</td>' in row


def test_a_row_without_pathway_check_in_or_needs_says_so(world, client_as) -> None:
    bare = world.partnership
    Partnership.objects.filter(pk=bare.pk).update(pathway=None, stage=None)

    row = _row_of(client_as("city_staff").get(DASHBOARD).content.decode(), bare)

    assert (
        '<td data-label="Pathway and stage"><span class="muted">No pathway chosen yet</span></td>'
        in row
    )
    assert '<td data-label="Next check-in"><span class="muted">None scheduled</span></td>' in row
    assert '<td data-label="Open financial needs">0</td>' in row
    assert f'<span class="badge status-{bare.status}">' in row


def test_an_overdue_check_in_and_open_needs_are_marked_and_linked(world, client_as) -> None:
    partnership = world.partnership
    due = timezone.localdate() - timedelta(days=3)
    f.CheckInFactory(partnership=partnership, due_date=due)
    f.FinancialNeedFactory(partnership=partnership)
    f.FinancialNeedFactory(partnership=partnership)

    row = _row_of(client_as("city_staff").get(DASHBOARD).content.decode(), partnership)

    assert (
        f'<span class="overdue"><time datetime="{due.isoformat()}">'
        in row.split('data-label="Next check-in">')[1]
    )
    assert '<span class="badge badge-warn">Overdue</span></span></td>' in row
    money = reverse("partnerships:money", args=[partnership.pk])
    assert f'<td data-label="Open financial needs"><a href="{money}">2</a></td>' in row


def test_recent_activity_reads_as_time_ago_with_the_date_as_title(world, client_as) -> None:
    partnership = world.partnership
    Partnership.objects.filter(pk=partnership.pk).update(
        last_activity_at=timezone.now() - timedelta(hours=3)
    )

    row = _row_of(client_as("city_staff").get(DASHBOARD).content.decode(), partnership)

    assert re.search(r'<time datetime="[^"]+" title="[^"]+">3\xa0hours ago</time>', row)


def test_column_names_on_the_cells_follow_the_visitors_language(world, client_as) -> None:
    with translation.override("es"):
        url = reverse("partnerships:dashboard")
    content = client_as("city_staff").get(url).content.decode()
    headings = re.findall(r'<th scope="col"[^>]*>(?:<a [^>]+>)?([^<]+)<', content)
    labels = re.findall(r'<td data-label="([^"]+)">', content)
    # Each cell names its column exactly as the heading above it does, in Spanish.
    assert len(headings) == 7
    assert labels[:7] == headings
    assert "Lead partner" not in labels
