"""Riverton's playbook in the demo: what the issue asked the demo city to have."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import Organization
from cities.models import ChecklistItem, Experience, Introduction, NetworkMember, Statement

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_its_playbook_under_way(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())

    city = Organization.objects.get(slug="city-of-riverton")
    statement = Statement.objects.get(city=city)
    assert list(statement.versions.values_list("number", flat=True)) == [2, 1]
    assert statement.endorsements.count() == 2
    assert set(Introduction.objects.filter(city=city).values_list("status", flat=True)) == set(
        Introduction.Status.values
    )
    network = Organization.objects.get(kind=Organization.Kind.NETWORK)
    assert NetworkMember.objects.filter(network=network).count() == 4
    assert Introduction.objects.get(organization=network).on_behalf_of.count() == 4
    assert Experience.objects.filter(city=city).count() == 3
    done = ChecklistItem.objects.filter(organization=city, done_at__isnull=False)
    # Two by hand, two seen by Tandem (the point of contact and the published statement).
    assert done.count() == 4
    assert done.filter(ticked_by_event__isnull=False).count() == 2
