"""``manage.py load_demo``: a small, realistic world to try Tandem in, and its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from demo.loader import load


class Command(BaseCommand):
    help = (
        "Load demo cities, organizations, people and partnerships with a year of history. "
        "Safe to run again: nothing is created twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load()
        if result.partnerships_created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {len(result.partnerships_created)} demo partnerships with their history."
                )
            )
        if result.partnerships_skipped:
            self.stdout.write(
                f"{len(result.partnerships_skipped)} demo partnerships were already there; "
                "left as they are."
            )
        width = max(len(login.email) for login in result.logins)
        self.stdout.write("")
        self.stdout.write("Demo logins (every password is the same):")
        self.stdout.write(f"  {'E-mail'.ljust(width)}  {'Password'.ljust(16)}  Role")
        for login in result.logins:
            self.stdout.write(
                f"  {login.email.ljust(width)}  {login.password.ljust(16)}  {login.role}"
            )
