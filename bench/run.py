"""Portfolio dashboard benchmark: a 10,000-partnership PostgreSQL database, gunicorn, wrk.

    .venv/bin/python bench/run.py [--reuse] [--duration 10] [--connections 8]

Builds a fresh database (``tandem_bench`` on 127.0.0.1:5432, user postgres), serves the
site with gunicorn on a free loopback port, signs in a city staff member, then loads
the dashboard (``/partnerships/``) and a bench-only minimal page rendering the same
rows from ``.values()``. Prints requests per second and p50/p99 latency side by side
and the ratio. Stops gunicorn by itself; writes nothing into the repository.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
TARGET_RATIO = 0.5
TARGETS = [("minimal", "/bench/minimal/"), ("dashboard", "/partnerships/")]


def say(message: str = "") -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


@dataclass
class Result:
    name: str
    path: str
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    note: str = ""


# --- Database ---------------------------------------------------------------------


def prepare_database(args: argparse.Namespace) -> tuple[str, int]:
    """Creates (or reuses) the bench database; returns the staff session cookie and row count."""
    import psycopg

    admin_url = f"postgresql://{args.db_user}@{args.db_host}:{args.db_port}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [args.db_name]
        ).fetchone()
        if exists and not args.reuse:
            conn.execute(f'DROP DATABASE "{args.db_name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{args.db_name}"')

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
        say(f"Building {args.partnerships:,} partnerships with their history ...")
        build.build(partnerships=args.partnerships)
        build.analyze()
        say(f"  built in {time.monotonic() - started:.1f} s")
    else:
        say("Reusing the existing bench database.")
    staff = User.objects.get(email=build.STAFF_EMAIL)
    visible = Partnership.objects.of_user_cities(staff).count()
    total = Partnership.objects.count()
    say(f"  {total:,} partnerships; the signed-in staff member's city has {visible:,}.")
    # A real session row, made the way a sign-in makes it.
    client = Client()
    client.force_login(staff)
    cookie = client.cookies["sessionid"].value
    connections.close_all()
    return cookie, visible


# --- Server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--error-logfile",
        str(log),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), start_new_session=True)


def wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited while starting; see its log above.")
        try:
            status, _ = fetch(port, "/healthz", "")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time.")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def fetch(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- Load -------------------------------------------------------------------------

_DURATION_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _DURATION_UNITS[unit]


def load_with_wrk(
    wrk: str, port: int, name: str, path: str, cookie: str, args: argparse.Namespace
) -> Result:
    command = [
        wrk,
        f"-t{min(args.connections, os.cpu_count() or 1)}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-H",
        f"Cookie: sessionid={cookie}",
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return Result(
        name=name,
        path=path,
        requests=requests,
        errors=int(non_2xx.group(1)) if non_2xx else 0,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        # Anchored: a "+/- Stdev" figure such as 70.50% in the thread stats also ends in "50%".
        p50_ms=_ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        p99_ms=_ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        note=f"socket errors: {socket_errors.group(1)}" if socket_errors else "",
    )


def load_with_threads(
    port: int, name: str, path: str, cookie: str, args: argparse.Namespace
) -> Result:
    """Fallback when wrk is missing: one thread per connection, keep-alive where offered."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + args.duration

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            mine.append((time.perf_counter() - began) * 1000)
            failed += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0

    return Result(
        name=name,
        path=path,
        requests=len(latencies),
        errors=errors,
        rps=len(latencies) / elapsed,
        p50_ms=pct(0.50),
        p99_ms=pct(0.99),
        note="python load generator (wrk not found)",
    )


def find_wrk(install: bool) -> str | None:
    wrk = shutil.which("wrk")
    if wrk is None and install and shutil.which("apt-get") and os.geteuid() == 0:
        say("wrk is missing; installing it from Debian (apt-get install wrk) ...")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
        wrk = shutil.which("wrk")
    return wrk


# --- Checks before the load ------------------------------------------------------------

ROW_TITLE = re.compile(rb'<a href="/partnerships/(\d+)/">(?:<strong>)?([^<]+)<')


def check_pages(port: int, cookie: str) -> dict[str, str]:
    """Both pages must answer 200 with the same rows, or the comparison means nothing.

    Returns a note per target that cannot be measured (e.g. the dashboard not built yet).
    """
    problems: dict[str, str] = {}
    rows: dict[str, list[bytes]] = {}
    for name, path in TARGETS:
        status, body = fetch(port, path, cookie)
        if status != 200:
            problems[name] = f"answers {status}, not 200"
            continue
        rows[name] = [m.group(1) for m in ROW_TITLE.finditer(body)]
    if not problems and rows["dashboard"][: len(rows["minimal"])] != rows["minimal"]:
        problems["dashboard"] = "does not show the same first rows as the minimal page"
    for name, found in rows.items():
        say(f"  {name}: 200 OK, {len(found)} rows")
    return problems


# --- Report -------------------------------------------------------------------------------


def report(results: list[Result], problems: dict[str, str], args: argparse.Namespace) -> int:
    say()
    say(
        f"Loopback, {args.connections} connections, {args.duration} s per target, "
        f"gunicorn {args.workers} sync workers, DEBUG off, PostgreSQL."
    )
    header = f"{'target':<10} {'path':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}"
    say(header)
    say("-" * len(header))
    for r in results:
        say(
            f"{r.name:<10} {r.path:<16} {r.rps:>8.1f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} "
            f"{r.requests:>9} {r.errors:>7}" + (f"  ({r.note})" if r.note else "")
        )
    for name, problem in problems.items():
        say(f"{name:<10} not measured: {problem}")
    by_name = {r.name: r for r in results}
    if "minimal" in by_name and "dashboard" in by_name and by_name["minimal"].rps:
        ratio = by_name["dashboard"].rps / by_name["minimal"].rps
        verdict = "meets" if ratio >= TARGET_RATIO else "misses"
        say()
        say(
            f"dashboard / minimal throughput: {ratio:.2f} ({verdict} the target of "
            f"{TARGET_RATIO:.2f}); p50 {by_name['dashboard'].p50_ms / max(by_name['minimal'].p50_ms, 0.001):.1f}x"
        )
        return 0 if ratio >= TARGET_RATIO and not any(r.errors for r in results) else 1
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per target")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", default="postgres")
    parser.add_argument("--db-name", default="tandem_bench")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = (
        f"postgres://{args.db_user}@{args.db_host}:{args.db_port}/{args.db_name}"
    )
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)

    cookie, _ = prepare_database(args)
    wrk = find_wrk(install=not args.no_install)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as tmp:
        log = Path(tmp) / "gunicorn.log"
        server = start_gunicorn(port, args.workers, log)
        try:
            wait_until_up(port, server)
            say(f"gunicorn is up on 127.0.0.1:{port}; checking both pages ...")
            problems = check_pages(port, cookie)
            measurable = [(n, p) for n, p in TARGETS if n not in problems]
            results = []
            for name, path in measurable:
                warm = argparse.Namespace(**{**vars(args), "duration": args.warmup})
                load_with_threads(port, name, path, cookie, warm)
            for name, path in measurable:
                say(f"  loading {path} for {args.duration} s ...")
                if wrk:
                    results.append(load_with_wrk(wrk, port, name, path, cookie, args))
                else:
                    results.append(load_with_threads(port, name, path, cookie, args))
        finally:
            stop(server)
            errors = log.read_text() if log.exists() else ""
            if "Traceback" in errors or "[ERROR]" in errors:
                say("gunicorn reported errors:\n" + errors[-4000:])
    return report(results, problems, args)


if __name__ == "__main__":
    sys.exit(main())
