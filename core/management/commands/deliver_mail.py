"""Deliver the outgoing e-mail that is due: for a cron job where no Celery beat runs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.outbox import outbound_email_deliver_due


class Command(BaseCommand):
    help = "Send the outgoing e-mails that are due (new ones and retries)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = outbound_email_deliver_due()
        self.stdout.write(f"{sent} e-mail(s) sent.")
