"""API benchmark: the partnership list against a floor, and 10,000 measurements in bulk.

    .venv/bin/python bench/api.py [--reuse] [--rounds 3] [--duration 5] [--connections 8]

Uses the portfolio bench's database (``tandem_bench``: 10,000 partnerships, half of them
the signed-in staff member's city; built by bench/run.py's helpers, ``--reuse`` keeps
it) and its gunicorn. Loads ``GET /api/v1/partnerships/`` (50 a page, with its count)
and a bench-only floor returning the same rows from ``.values()`` as JSON
(bench/api_urls.py), in turns, and prints each round and the throughput ratio (target
0.70). Then sends 10,000 measurements in one ``POST /api/v1/measurements/bulk/`` and
prints its time and the number of queries, against 100 rows: the queries must not grow.
Writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    ROOT,
    WRK_HISTOGRAM,
    Result,
    database_env,
    fetch,
    find_wrk,
    free_port,
    load_with_threads,
    load_with_wrk,
    prepare_database,
    report_server_errors,
    say,
    start_gunicorn,
    stop,
    wait_until_up,
)

TARGET_RATIO = 0.70
TARGETS = [("floor", "/bench/api-floor/"), ("api", "/api/v1/partnerships/")]


def check_same_rows(port: int, cookie: str) -> None:
    answers = {}
    for name, path in TARGETS:
        status, body = fetch(port, path, cookie)
        if status != 200:
            raise SystemExit(f"{path} answers {status}, not 200")
        answers[name] = json.loads(body)
    floor, api = answers["floor"], answers["api"]
    if [r["id"] for r in floor["results"]] != [r["id"] for r in api["results"]]:
        raise SystemExit("the API and the floor do not answer the same rows")
    say(f"  both answer the same {len(api['results'])} rows of {api['count']:,}")


def measure(port: int, cookie: str, args: argparse.Namespace, tmp: Path) -> list[Result]:
    wrk = find_wrk(install=not args.no_install)
    script = tmp / "histogram.lua"
    script.write_text(WRK_HISTOGRAM)
    for name, path in TARGETS:
        load_with_threads(port, name, path, cookie, 0, args.warmup, args.connections)
    results = []
    for round_ in range(1, args.rounds + 1):
        for name, path in TARGETS:
            if wrk:
                result = load_with_wrk(wrk, script, port, name, path, cookie, round_, args)
            else:
                result = load_with_threads(
                    port, name, path, cookie, round_, args.duration, args.connections
                )
            say(
                f"  round {round_}: {name:5} {result.rps:8.1f} req/s  p50 {result.p50_ms:6.1f} ms"
                f"  p99 {result.p99_ms:6.1f} ms  errors {result.errors}"
            )
            results.append(result)
    return results


BULK_SCRIPT = """
import datetime, json, time
import django
django.setup()
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from accounts.models import User
from api import services
from bench import build
from partnerships.models import Indicator, Measurement, Partnership

staff = User.objects.get(email=build.STAFF_EMAIL)
city = staff.memberships.select_related("organization").first().organization
from accounts.models import Membership
Membership.objects.filter(user=staff, organization=city).update(role=Membership.Role.ADMIN)
staff.forget_memberships()
secret = services.token_create(actor=staff, organization=city, name="bench", scope="write").secret
client = APIClient(SERVER_NAME="127.0.0.1")
client.credentials(HTTP_AUTHORIZATION="Bearer " + secret)
indicator = Indicator.objects.filter(partnership__city=city).select_related("partnership").first()
day = max(indicator.partnership.start_date, timezone.localdate() - datetime.timedelta(days=30))
client.get("/api/v1/practices/")
figures = {}
for rows in (100, 10_000):
    body = {"measurements": [
        {"indicator": indicator.pk, "date": day.isoformat(), "value": str(i % 500), "source": "Bench"}
        for i in range(rows)
    ]}
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.post("/api/v1/measurements/bulk/", body, format="json")
            elapsed = time.perf_counter() - began
        assert response.status_code == 201, response.content[:500]
        figures[rows] = {"seconds": elapsed, "queries": len(queries)}
        transaction.set_rollback(True)
print(json.dumps(figures))
"""


def bulk(env: dict[str, str]) -> dict[str, dict[str, float]]:
    out = subprocess.run(
        [sys.executable, "-c", BULK_SCRIPT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {int(k): v for k, v in json.loads(out.strip().splitlines()[-1]).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep the existing bench database")
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", default="postgres")
    parser.add_argument("--db-name", default="tandem_bench")
    args = parser.parse_args()
    env = database_env(args, args.db_name)
    env["DJANGO_SETTINGS_MODULE"] = "bench.api_settings"
    # The load is one person's session: the per-person rate limit would answer 429.
    env["TANDEM_API_RATE"] = "100000000/min"

    with tempfile.TemporaryDirectory(prefix="tandem-bench-api-") as tmp_name:
        tmp = Path(tmp_name)
        prepare_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        cookie = prepare_database(args, prepare_env, tmp, partnerships=args.partnerships, cities=10)
        port = free_port()
        log = tmp / "gunicorn.log"
        server = start_gunicorn(port, args.workers, log, env)
        try:
            wait_until_up(port, server)
            say(f"gunicorn is up on 127.0.0.1:{port}")
            check_same_rows(port, cookie)
            results = measure(port, cookie, args, tmp)
        finally:
            stop(server)
            report_server_errors(log)
        say("Bulk: measurements in one POST /api/v1/measurements/bulk/ (rolled back) ...")
        figures = bulk(env)

    rps = {name: sum(r.rps for r in results if r.name == name) / args.rounds for name, _ in TARGETS}
    ratio = rps["api"] / rps["floor"]
    errors = sum(r.errors for r in results)
    say("")
    say(f"Partnership list (50 a page, {args.partnerships:,} partnerships):")
    say(
        f"  floor {rps['floor']:.1f} req/s, API {rps['api']:.1f} req/s: ratio {ratio:.2f}"
        f" (target {TARGET_RATIO:.2f})"
    )
    for rows, figure in sorted(figures.items()):
        say(
            f"  bulk of {rows:>6,} measurements: {figure['seconds']:.2f} s, {figure['queries']} queries"
        )
    same_queries = figures[10_000]["queries"] <= figures[100]["queries"]
    say(f"  queries grow with the rows: {'no' if same_queries else 'YES'}")
    return 0 if ratio >= TARGET_RATIO and errors == 0 and same_queries else 1


if __name__ == "__main__":
    sys.exit(main())
