"""The restore drill: a backup is only a backup once it has been restored.

    python scripts/restore_drill.py postgres://postgres@127.0.0.1:5432

On the PostgreSQL server given, it creates a scratch database, migrates it and loads the
demo, backs it up the way docs/operations.md says (``pg_dump -Fc`` plus the globals from
``pg_dumpall --globals-only``), restores the dump into a second, fresh database, and then
checks the copy: no migration is missing (``migrate --check``), every table holds the
same number of rows as the original, and a smoke test signs a demo person in and reads
their pages. It exits non-zero, naming what differs, when a table is missing or a count
differs. Both scratch databases are dropped at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SMOKE_TEST = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from accounts.models import User
from partnerships.models import Partnership

setup_test_environment()
assert Partnership.objects.exists(), "the restored copy holds no partnership"
person = User.objects.filter(memberships__organization__kind="city").order_by("pk").first()
assert person is not None, "the restored copy holds no city staff"
client = Client()
client.force_login(person)
for url in ["/healthz", "/", "/partnerships/",
            Partnership.objects.order_by("pk").first().get_absolute_url()]:
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
print("smoke test: the restored site answers")
"""


def with_database(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def table_counts(database_url: str) -> dict[str, int]:
    """Rows of every table in the public schema, read in one pass."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url, autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            counts[table] = connection.execute(query).fetchone()[0]  # type: ignore[index]
        return counts


def compare(original: dict[str, int], restored: dict[str, int]) -> list[str]:
    """Every difference between two sets of table counts, in words; empty when they agree."""
    problems = [f"table {name} is missing from the copy" for name in original.keys() - restored]
    problems += [f"table {name} exists only in the copy" for name in restored.keys() - original]
    problems += [
        f"table {name}: {original[name]} rows, {restored[name]} in the copy"
        for name in original.keys() & restored.keys()
        if original[name] != restored[name]
    ]
    return sorted(problems)


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=BASE_DIR, env=env)  # noqa: S603 - our own commands


def admin(server_url: str, sql: str) -> None:
    run(["psql", with_database(server_url, "postgres"), "-v", "ON_ERROR_STOP=1", "-qXc", sql])


def main(server_url: str) -> int:
    stamp = f"{int(time.time())}_{os.getpid()}"
    source, copy = f"tandem_drill_{stamp}", f"tandem_drill_{stamp}_restored"
    source_url, copy_url = with_database(server_url, source), with_database(server_url, copy)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": source_url,
        "REDIS_URL": "",
    }
    env.pop("TANDEM_PUBLIC_DEPLOYMENT", None)
    try:
        admin(server_url, f'CREATE DATABASE "{source}"')
        run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
        run([PYTHON, "manage.py", "load_demo"], env)
        with tempfile.TemporaryDirectory() as tmp:
            dump, globals_sql = Path(tmp) / "tandem.dump", Path(tmp) / "globals.sql"
            run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), source_url])
            run(["pg_dumpall", "--globals-only", "-f", str(globals_sql), "-d", source_url])
            assert globals_sql.stat().st_size > 0, "the globals dump is empty"
            admin(server_url, f'CREATE DATABASE "{copy}"')
            run(["pg_restore", "--no-owner", "--exit-on-error", "-d", copy_url, str(dump)])
        restored_env = {**env, "DATABASE_URL": copy_url}
        run([PYTHON, "manage.py", "migrate", "--check", "--verbosity", "0"], restored_env)
        # Counted before the smoke test, whose sign-in writes a session into the copy.
        original, restored = table_counts(source_url), table_counts(copy_url)
        problems = compare(original, restored)
        if problems:
            print("The restored copy differs from the original:", *problems, sep="\n  ")
            return 1
        run([PYTHON, "-c", SMOKE_TEST], restored_env)
        print(f"Restore drill passed: {len(original)} tables, {sum(original.values())} rows.")
        return 0
    finally:
        for name in (copy, source):
            admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
