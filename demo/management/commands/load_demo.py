"""``manage.py load_demo``: a small, realistic world to try Tandem in, and its logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.loader import load


class Command(BaseCommand):
    help = (
        "Load demo cities, organizations, people and partnerships with a year of history. "
        "Safe to run again: nothing is created twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--i-know-this-is-public",
            action="store_true",
            dest="public_ok",
            help=(
                "Load the demo even with the production settings. Its accounts share a "
                "published password: anyone who reads the README can sign in as them."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "TANDEM_PUBLIC_DEPLOYMENT", False) and not options["public_ok"]:
            raise CommandError(
                "These are the production settings, and the demo accounts share a published "
                "password. Run load_demo on a local or staging site, or add "
                "--i-know-this-is-public if this site is only for trying Tandem out."
            )
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
