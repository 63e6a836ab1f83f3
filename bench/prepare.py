"""Creates (or reuses) one bench database and signs the staff member in.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench \\
        python -m bench.prepare --partnerships 10000 --cities 10 --cookie-file /tmp/cookie \\
        [--lean] [--reuse]

``bench/run.py`` runs it in a process of its own for each database, because Django is
set up for one database per process. The database is the one ``DATABASE_URL`` names;
it is created, or dropped and created again unless ``--reuse`` keeps it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def say(message: str = "") -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def create_database(url: str, *, reuse: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(args: argparse.Namespace) -> str:
    """Migrates and fills the database when it is new; returns a staff session cookie."""
    create_database(os.environ["DATABASE_URL"], reuse=args.reuse)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from accounts.models import User
    from bench import build
    from partnerships.models import Partnership

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    if not User.objects.filter(email=build.STAFF_EMAIL).exists():
        what = "portfolio rows" if args.lean else "their history"
        say(f"Building {args.partnerships:,} partnerships in {args.cities} cities with {what} ...")
        build.build(partnerships=args.partnerships, cities=args.cities, history=not args.lean)
        build.analyze()
        say(f"  built in {time.monotonic() - started:.1f} s")
    else:
        say(f"Reusing the existing bench database {urlsplit(os.environ['DATABASE_URL']).path[1:]}.")
    staff = User.objects.get(email=build.STAFF_EMAIL)
    visible = Partnership.objects.of_user_cities(staff).count()
    total = Partnership.objects.count()
    say(f"  {total:,} partnerships; the signed-in staff member's city has {visible:,}.")
    # A real session row, made the way a sign-in makes it.
    client = Client()
    client.force_login(staff)
    cookie = client.cookies["sessionid"].value
    connections.close_all()
    return cookie


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, required=True)
    parser.add_argument("--cities", type=int, required=True)
    parser.add_argument("--cookie-file", type=Path, required=True)
    parser.add_argument("--lean", action="store_true", help="only what a portfolio row reads")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    args = parser.parse_args()
    args.cookie_file.write_text(prepare(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
