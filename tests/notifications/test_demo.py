"""The demo world's notifications: a reminder that goes out, a bell, a digest chosen."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from notifications.models import Dispatch, Notification, Preference

pytestmark = pytest.mark.django_db


def test_demo_people_get_a_reminder_a_bell_and_a_digest_once(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    contact = User.objects.get(email="contact@riverton.example")

    [reminder] = [m for m in mail.outbox if m.to == [contact.email]]
    assert "Harvest Table kitchen" in reminder.body
    assert "List-Unsubscribe" in reminder.extra_headers
    assert Preference.objects.get(user__email="founder@harvest.example").frequency == "daily"
    client = Client()
    client.force_login(contact)
    unread = Notification.objects.filter(recipient=contact, read_at__isnull=True).count()
    assert unread >= 1
    assert f'class="badge">{unread}<' in client.get("/notifications/").content.decode()

    before = Dispatch.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    assert Dispatch.objects.count() == before
    assert len([m for m in mail.outbox if m.to == [contact.email]]) == 1
