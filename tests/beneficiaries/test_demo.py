"""The demo's beneficiaries have agreed, a printed invitation waits, and trainings have
sign-ups and attendance, all told in the event log; loading twice adds none of it again."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Consent, ParticipantInvitation, Training, TrainingSignup
from core.models import Event
from demo.loader import load
from partnerships.models import Participant

pytestmark = pytest.mark.django_db


def test_the_demo_beneficiaries_consent_and_train() -> None:
    load()
    load()

    participants = Participant.objects.select_related("user")
    assert participants.count() == 3
    for participant in participants:
        assert Consent.objects.current().filter(user=participant.user).count() == 1
    printed = ParticipantInvitation.objects.pending().filter(kind="printed")
    assert printed.count() == 1
    assert Training.objects.count() == 3
    assert TrainingSignup.objects.filter(attended=True).exists()
    assert Training.objects.filter(attendance_recorded_at__isnull=False).count() == 1
    assert Event.objects.filter(action="beneficiaries.training.scheduled").count() == 3
    # A demo beneficiary opens their partnership's trainings without being asked again.
    client = Client()
    client.force_login(participants.get(user__email="resident@riverton.example").user)
    training = Training.objects.filter(topic="negotiation").get()
    page = client.get(reverse("beneficiaries:trainings", args=[training.partnership_id]))
    assert page.status_code == 200
    assert "You have a place" in page.content.decode()
