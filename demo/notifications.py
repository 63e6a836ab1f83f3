"""The demo's notifications: a check-in that falls due, a digest chosen, reminders sent.

Through the services only. Riverton's community meals meet tomorrow at the kitchen, so
its partners get their reminder (printed on the console locally, caught by mailpit under
docker compose) and a bell with something in it; the founder reads the stage changes in a
daily digest. Idempotent: run twice, it changes nothing and sends nothing twice.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction

from accounts.models import User
from demo.replay import World
from notifications import kinds, services
from partnerships import services as partnership_services
from partnerships.models import CheckIn, Partnership

MEALS = "Community meals for older neighbours"
CONTACT = "contact@riverton.example"
FOUNDER = "founder@harvest.example"


def load_notifications(world: World) -> None:
    partnership = Partnership.objects.filter(title=MEALS).first()
    contact = User.objects.filter(email=CONTACT).first()
    founder = User.objects.filter(email=FOUNDER).first()
    if partnership is None or contact is None or founder is None:
        return
    checkin = (
        partnership.checkins.filter(status=CheckIn.Status.SCHEDULED).order_by("due_date").first()
    )
    tomorrow = world.today + timedelta(days=1)
    if checkin is not None and checkin.due_date != tomorrow:
        partnership_services.checkin_move(
            actor=contact,
            checkin=checkin,
            due_date=tomorrow,
            time=time(10, 30),
            place="Harvest Table kitchen, 14 Mill Street",
        )
    if not founder.notification_preferences.exists():
        services.preferences_update(
            actor=founder,
            user=founder,
            frequencies={(kinds.STAGE_CHANGED, "email"): "daily"},
            reminder_days=[3, 1, 0],
        )
    # The reminders due now; they leave once the demo's transaction commits.
    with transaction.atomic():
        services.reminders_sweep(at=world.now)
