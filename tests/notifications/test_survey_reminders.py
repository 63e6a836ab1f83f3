"""Whoever has not answered a pulse survey is reminded once, three days before it closes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from health import services as health_services
from health.models import Group
from notifications import kinds, services
from notifications.models import Dispatch
from notifications.surveys import survey_reminders_sweep
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _round(world: World):
    return health_services.round_open(
        actor=world.city_staff,
        partnership=world.partnership,
        closes_on=timezone.localdate() + timedelta(days=10),
    )


def _on(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def test_people_who_have_not_answered_are_reminded_once_before_the_round_closes(world: World):
    survey_round = _round(world)
    health_services.survey_answer(
        actor=world.beneficiary,
        survey_round=survey_round,
        ratings={s.pk: 4 for s in health_services.statements_for(Group.BENEFICIARIES)},
    )
    # A week before closing: not yet.
    assert survey_reminders_sweep(at=_on(survey_round.closes_on - timedelta(days=7))) == 0
    when = _on(survey_round.closes_on - timedelta(days=2))
    survey_reminders_sweep(at=when)
    survey_reminders_sweep(at=when + timedelta(hours=5))
    reminded = set(
        Dispatch.objects.filter(
            kind=kinds.SURVEY_OPEN, occasion__startswith="reminder:"
        ).values_list("recipient__email", flat=True)
    )
    assert world.beneficiary.email not in reminded
    assert {world.city_admin.email, world.entrepreneur.email} <= reminded
    assert world.outsider.email not in reminded and world.other_city_staff.email not in reminded
    mail.outbox.clear()
    services.dispatches_send_all(at=when)
    to = [address for message in mail.outbox for address in message.to]
    assert sorted(to) == sorted(set(to)), "one reminder each"
    assert world.entrepreneur.email in to
    assert f"/health/partnerships/{world.partnership.pk}/" in mail.outbox[0].body


def test_a_closed_round_reminds_nobody(world: World):
    survey_round = _round(world)
    health_services.round_close(actor=world.city_staff, survey_round=survey_round)
    assert survey_reminders_sweep(at=_on(survey_round.closes_on - timedelta(days=1))) == 0
