"""Lists the notification e-mails cut off while sending, for a person to decide about."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications import services
from notifications.models import Dispatch


class Command(BaseCommand):
    help = "Flag notification e-mails whose lease ran out while sending, and list them."

    def handle(self, *args: Any, **options: Any) -> None:
        services.dispatches_reap()
        rows = Dispatch.objects.needing_attention().order_by("pk")
        self.stdout.write(f"{rows.count()} notification(s) need attention.")
        for row in rows[:200]:
            # Ids only: the recipient's address and the text stay out of logs.
            self.stdout.write(
                f"  dispatch {row.pk}: {row.kind} {row.occasion} (user {row.recipient_id})"
            )
