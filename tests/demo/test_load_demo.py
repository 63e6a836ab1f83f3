"""``manage.py load_demo``: a working world with history, safe to load twice."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client
from django.utils import timezone

from accounts.models import Membership, Organization, User
from core.models import Event
from demo.people import PASSWORD, PEOPLE
from partnerships import models as pm

pytestmark = pytest.mark.django_db

COUNTED = [
    Organization,
    User,
    Membership,
    pm.Participant,
    pm.Partnership,
    pm.Partner,
    pm.Reframing,
    pm.StageChange,
    pm.Responsibility,
    pm.PlanVersion,
    pm.PlanSection,
    pm.CheckIn,
    pm.ProgressUpdate,
    pm.Indicator,
    pm.Measurement,
    pm.Experiment,
    pm.FinancialNeed,
]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_load_demo_prints_every_login_and_builds_the_world() -> None:
    output = load_demo()

    for person in PEOPLE:
        assert person.email in output
    assert output.count(PASSWORD) == len(PEOPLE)
    # Twelve of the people's organizations, and Riverton's network of enterprises (demo/cities.py).
    assert Organization.objects.count() == 14
    assert User.objects.count() == len(PEOPLE) == 19
    assert User.objects.get(email="admin@tandem.example").is_superuser
    assert set(
        User.objects.filter(memberships__organization__slug="ciudad-de-valle-alto").values_list(
            "preferred_language", flat=True
        )
    ) == {"es"}
    per_city = dict(
        pm.Partnership.objects.values_list("city__slug").annotate(n=Count("pk")).order_by()
    )
    # Riverton's fifth is the one it opened from an introduction, proposed to its lead.
    assert per_city == {"city-of-riverton": 5, "ciudad-de-valle-alto": 3}
    assert pm.Partnership.objects.values("pathway").distinct().count() == 3
    assert pm.Participant.objects.count() == 3


def test_every_demo_partnership_has_a_history_told_through_the_services() -> None:
    load_demo()
    today = timezone.localdate()

    # A partnership just opened from an introduction has no history yet: its lead is invited.
    replayed = pm.Partnership.objects.filter(
        partners__organization=F("lead"), partners__status=pm.Partner.Status.ACCEPTED
    )
    assert replayed.count() == 7
    for partnership in replayed:
        checkins = partnership.checkins
        assert checkins.filter(status=pm.CheckIn.Status.SCHEDULED).count() == 1
        assert checkins.filter(status=pm.CheckIn.Status.MISSED).count() == 1
        assert checkins.filter(status=pm.CheckIn.Status.HELD).count() >= 2
        assert list(partnership.plan_versions.values_list("number", flat=True)) == [2, 1]
        assert partnership.reframings.count() == 1
        assert partnership.stage_changes.filter(from_stage=None).count() == 1
        assert partnership.indicators.annotate(n=Count("measurements")).filter(n__gte=2).exists()
        assert partnership.experiments.exclude(decision="").exists()
        assert partnership.financial_needs.exists()
        assert partnership.progress_updates.filter(practices__isnull=False).exists()
        assert partnership.progress_updates.exclude(levers=[]).exists()
        # Replayed history is spread over past months, never in the future.
        moments = Event.objects.of_partnership(partnership.pk).values_list("created_at", flat=True)
        assert max(moments) <= timezone.now()
        assert today - min(moments).date() >= timedelta(days=80)
        assert today - partnership.last_activity_at.date() <= timedelta(days=45)
    assert pm.StageChange.objects.exclude(from_stage=None).count() >= 12
    assert set(pm.FinancialNeed.objects.values_list("status", flat=True)) == set(
        pm.FinancialNeed.Status.values
    )


def test_loading_the_demo_twice_creates_nothing_twice() -> None:
    load_demo()
    first = counts()

    output = load_demo()

    assert counts() == first
    assert "already there" in output
    assert "contact@riverton.example" in output


def test_demo_people_can_sign_in_with_the_demo_password() -> None:
    load_demo()

    for person in PEOPLE:
        assert Client().login(email=person.email, password=PASSWORD), person.email
    # Through the real sign-in form too: the address is verified, so no confirmation step.
    response = Client().post(
        "/accounts/login/", {"login": "contact@riverton.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm" not in response["Location"]
