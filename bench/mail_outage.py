"""Mail outage benchmark: how long the forms that send e-mail take while the mail server is down.

    .venv/bin/python bench/mail_outage.py [--repeat 5]

Sets up a scratch test database (PostgreSQL on 127.0.0.1:5432 as the other benchmarks, or
DATABASE_URL; the outbox's delivery thread writes beside the request), makes the outbox the default mailer and
points delivery at SMTP on 127.0.0.1 twice: a port where nothing listens, then a server that
accepts the connection and never answers (the worst case: without the outbox a request
would wait for the full SMTP timeout). For each, it posts a password reset for a known
address and a sign-up, several times, and prints the median and worst answer time and the
status, then how the stored e-mails stand. Writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _hanging_server() -> int:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            connection, _address = server.accept()
            held.append(connection)  # keeps it open, says nothing

    threading.Thread(target=accept, daemon=True).start()
    return server.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tandem_bench_mail")
    import django

    django.setup()
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
    )

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        _run(args.repeat)
    finally:
        _drop(databases)


def _drop(databases: object) -> None:
    """Drops the scratch database even while delivery threads still wait on the dead server."""
    from django.db import connection
    from django.test.utils import teardown_databases

    if connection.vendor != "postgresql":
        teardown_databases(databases, verbosity=0)
        return
    import psycopg
    from psycopg import sql

    name = connection.settings_dict["NAME"]
    server = {**connection.get_connection_params(), "dbname": "postgres"}
    connection.close()
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _run(repeat: int) -> None:
    from django.test import Client
    from django.test.utils import override_settings

    from core.models import OutboundEmail
    from tests import factories as f

    # One known address per request: the reset's own limit counts per address.
    for n in range(2 * repeat):
        f.UserFactory(email=f"known-{n}@example.org")
    print(f"{'mail server':16} {'form':15} {'status':>6} {'median ms':>10} {'worst ms':>9}")
    servers = (("closed port", _closed_port()), ("never answers", _hanging_server()))
    for offset, (label, port) in enumerate(servers):
        mailers = {
            "default": {"BACKEND": "core.mail.OutboxBackend"},
            "delivery": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
            },
        }
        with override_settings(MAILERS=mailers):
            for form, url in (
                ("password reset", "/accounts/password/reset/"),
                ("sign-up", "/accounts/signup/"),
            ):
                times, statuses = [], set()
                for n in range(repeat):
                    data = (
                        {"email": f"known-{offset * repeat + n}@example.org"}
                        if form == "password reset"
                        else {
                            "email": f"new-{port}-{n}@example.org",
                            "password1": "a-long-pass-phrase-9",
                            "password2": "a-long-pass-phrase-9",
                        }
                    )
                    started = time.perf_counter()
                    response = Client().post(url, data)
                    times.append((time.perf_counter() - started) * 1000)
                    statuses.add(response.status_code)
                status = ",".join(str(s) for s in sorted(statuses))
                print(
                    f"{label:16} {form:15} {status:>6} "
                    f"{statistics.median(times):10.0f} {max(times):9.0f}"
                )
    counts = {
        status: OutboundEmail.objects.filter(status=status).count()
        for status in ("pending", "sent", "failed")
    }
    print(f"stored e-mails: {counts} (pending ones are retried with backoff)")


if __name__ == "__main__":
    main()
