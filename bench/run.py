"""Portfolio benchmark: the dashboard against a minimal page, and a big city's CSV export.

    .venv/bin/python bench/run.py [--reuse] [--rounds 4] [--duration 5] [--connections 8]

Builds two PostgreSQL databases on 127.0.0.1:5432 (user postgres): ``tandem_bench``, 10,000
partnerships with their history, and ``tandem_bench_export``, one city of 50,000. Serves
the site with gunicorn on a free loopback port and signs in a city staff member. Loads
the dashboard (``/partnerships/``) and a bench-only minimal page rendering the same rows
from ``.values()`` in turns, minimal then dashboard, for several rounds, and prints each
round, the throughput ratio and the dashboard's p99. Then times the first data row of
the big city's CSV export. Stops gunicorn by itself; writes nothing into the repository.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
TARGET_RATIO = 0.40
TARGET_P99_MS = 150.0
TARGET_FIRST_ROW_MS = 200.0
TARGETS = [("minimal", "/bench/minimal/"), ("dashboard", "/partnerships/")]
EXPORT_PATH = "/partnerships/portfolio.csv"

# wrk hands its whole latency histogram to done(): one "latency <microseconds> <count>"
# line per distinct value, so that the rounds can be merged into one distribution.
WRK_HISTOGRAM = """
done = function(summary, latency, requests)
  for i = 1, #latency do
    local value, count = latency(i)
    io.write(string.format("latency %d %d\\n", value, count))
  end
end
"""


def say(message: str = "") -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


@dataclass
class Result:
    name: str
    path: str
    round: int
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    # Latency in microseconds -> number of requests.
    histogram: Counter[int] = field(default_factory=Counter)
    note: str = ""


def percentile_ms(histogram: Counter[int], q: float) -> float:
    total = sum(histogram.values())
    if not total:
        return 0.0
    rank = q * total
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value / 1000
    return max(histogram) / 1000


# --- Databases --------------------------------------------------------------------


def database_env(args: argparse.Namespace, db_name: str) -> dict[str, str]:
    env = os.environ.copy()
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["DATABASE_URL"] = f"postgres://{args.db_user}@{args.db_host}:{args.db_port}/{db_name}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    return env


def prepare_database(
    args: argparse.Namespace,
    env: dict[str, str],
    tmp: Path,
    *,
    partnerships: int,
    cities: int,
    lean: bool = False,
) -> str:
    """Builds or reuses one database in a process of its own; returns a staff session cookie."""
    cookie_file = tmp / "cookie"
    command = [
        sys.executable,
        "-m",
        "bench.prepare",
        f"--partnerships={partnerships}",
        f"--cities={cities}",
        f"--cookie-file={cookie_file}",
    ]
    command += ["--lean"] if lean else []
    command += ["--reuse"] if args.reuse else []
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return cookie_file.read_text()


# --- Server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    port: int, workers: int, log: Path, env: dict[str, str]
) -> subprocess.Popen[bytes]:
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
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


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


def report_server_errors(log: Path) -> None:
    errors = log.read_text() if log.exists() else ""
    if "Traceback" in errors or "[ERROR]" in errors:
        say("gunicorn reported errors:\n" + errors[-4000:])


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
    wrk: str,
    script: Path,
    port: int,
    name: str,
    path: str,
    cookie: str,
    round_: int,
    args: argparse.Namespace,
) -> Result:
    command = [
        wrk,
        f"-t{min(args.connections, os.cpu_count() or 1)}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script),
        "-H",
        f"Cookie: sessionid={cookie}",
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    histogram = Counter(
        {int(value): int(count) for value, count in re.findall(r"^latency (\d+) (\d+)$", out, re.M)}
    )
    return Result(
        name=name,
        path=path,
        round=round_,
        requests=requests,
        errors=int(non_2xx.group(1)) if non_2xx else 0,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        # Anchored: a "+/- Stdev" figure such as 70.50% in the thread stats also ends in "50%".
        p50_ms=_ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        p99_ms=_ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        histogram=histogram,
        note=f"socket errors: {socket_errors.group(1)}" if socket_errors else "",
    )


def load_with_threads(
    port: int,
    name: str,
    path: str,
    cookie: str,
    round_: int,
    duration: float,
    connections: int,
) -> Result:
    """Fallback when wrk is missing: one thread per connection, keep-alive where offered."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration

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
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    histogram = Counter(round(ms * 1000) for ms in latencies)
    return Result(
        name=name,
        path=path,
        round=round_,
        requests=len(latencies),
        errors=errors,
        rps=len(latencies) / elapsed,
        p50_ms=percentile_ms(histogram, 0.50),
        p99_ms=percentile_ms(histogram, 0.99),
        histogram=histogram,
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


def measure_pages(
    port: int, cookie: str, wrk: str | None, tmp: Path, args: argparse.Namespace
) -> tuple[list[Result], dict[str, str]]:
    problems = check_pages(port, cookie)
    measurable = [(n, p) for n, p in TARGETS if n not in problems]
    for name, path in measurable:
        load_with_threads(port, name, path, cookie, 0, args.warmup, args.connections)
    script = tmp / "histogram.lua"
    script.write_text(WRK_HISTOGRAM)
    results = []
    # In turns, so that whatever else the machine does slows both pages alike.
    for round_ in range(1, args.rounds + 1):
        for name, path in measurable:
            say(f"  round {round_}/{args.rounds}: loading {path} for {args.duration} s ...")
            if wrk:
                result = load_with_wrk(wrk, script, port, name, path, cookie, round_, args)
            else:
                result = load_with_threads(
                    port, name, path, cookie, round_, args.duration, args.connections
                )
            results.append(result)
    return results, problems


# --- CSV export ---------------------------------------------------------------------------


@dataclass
class Export:
    first_row_ms: float
    total_ms: float | None = None
    rows: int = 0


def download(port: int, cookie: str, *, whole: bool) -> Export:
    """Times one export from the request to its first data row, and to its end if whole."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        began = time.perf_counter()
        conn.request("GET", EXPORT_PATH, headers={"Cookie": f"sessionid={cookie}"})
        response = conn.getresponse()
        if response.status != 200:
            raise SystemExit(f"The export answers {response.status}, not 200.")
        response.readline()  # the header row, sent before the query runs
        if not response.readline():
            raise SystemExit("The export has no data rows.")
        export = Export((time.perf_counter() - began) * 1000)
        if whole:
            export.rows = 1 + sum(1 for _line in response)
            export.total_ms = (time.perf_counter() - began) * 1000
        return export
    finally:
        # Hanging up early is a download cancelled: the server stops at its next write.
        conn.close()


def measure_export(port: int, cookie: str, runs: int) -> tuple[Export, list[Export]]:
    """One whole download (it also warms up the worker and PostgreSQL's cache), then the
    first rows of several more."""
    whole = download(port, cookie, whole=True)
    say(f"  whole export: {whole.rows:,} rows in {(whole.total_ms or 0) / 1000:.1f} s")
    exports = []
    for n in range(1, runs + 1):
        time.sleep(0.5)  # lets the worker notice the previous download was cancelled
        exports.append(download(port, cookie, whole=False))
        say(f"  export {n}/{runs}: first data row after {exports[-1].first_row_ms:.0f} ms")
    return whole, exports


# --- Report -------------------------------------------------------------------------------


def report_pages(results: list[Result], problems: dict[str, str], args: argparse.Namespace) -> bool:
    say()
    say(
        f"Loopback, {args.connections} connections, {args.rounds} rounds of {args.duration} s "
        f"per target, gunicorn {args.workers} sync workers, DEBUG off, PostgreSQL."
    )
    header = (
        f"{'round':>5} {'target':<10} {'path':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'requests':>9} {'errors':>7}"
    )
    say(header)
    say("-" * len(header))
    for r in results:
        say(
            f"{r.round:>5} {r.name:<10} {r.path:<16} {r.rps:>8.1f} {r.p50_ms:>8.1f} "
            f"{r.p99_ms:>8.1f} {r.requests:>9} {r.errors:>7}" + (f"  ({r.note})" if r.note else "")
        )
    for name, problem in problems.items():
        say(f"{'':>5} {name:<10} not measured: {problem}")
    by_name: dict[str, list[Result]] = {}
    for r in results:
        by_name.setdefault(r.name, []).append(r)
    if "minimal" not in by_name or "dashboard" not in by_name:
        return False
    say()
    overall = {}
    for name, rounds in by_name.items():
        histogram: Counter[int] = sum((r.histogram for r in rounds), Counter())
        rps = statistics.fmean(r.rps for r in rounds)
        overall[name] = (rps, percentile_ms(histogram, 0.50), percentile_ms(histogram, 0.99))
        say(
            f"{'all':>5} {name:<10} {rounds[0].path:<16} {rps:>8.1f} {overall[name][1]:>8.1f} "
            f"{overall[name][2]:>8.1f} {sum(r.requests for r in rounds):>9} "
            f"{sum(r.errors for r in rounds):>7}"
        )
    ratios = [
        d.rps / m.rps
        for m, d in zip(by_name["minimal"], by_name["dashboard"], strict=True)
        if m.rps
    ]
    say("  per round dashboard / minimal: " + ", ".join(f"{ratio:.3f}" for ratio in ratios))
    ratio = overall["dashboard"][0] / overall["minimal"][0] if overall["minimal"][0] else 0.0
    p99 = overall["dashboard"][2]
    errors = any(r.errors for r in results)
    say()
    say(
        f"dashboard / minimal throughput: {ratio:.3f} "
        f"({'meets' if ratio >= TARGET_RATIO else 'misses'} the target of {TARGET_RATIO:.2f})"
    )
    say(
        f"dashboard p99 over all rounds: {p99:.1f} ms "
        f"({'meets' if p99 < TARGET_P99_MS else 'misses'} the target of "
        f"< {TARGET_P99_MS:.0f} ms)"
    )
    if errors:
        say("Some requests failed; see the errors column.")
    return ratio >= TARGET_RATIO and p99 < TARGET_P99_MS and not errors


def report_export(whole: Export, exports: list[Export], partnerships: int) -> bool:
    first_rows = [e.first_row_ms for e in exports]
    median = statistics.median(first_rows)
    say()
    say(
        f"CSV export of a city with {partnerships:,} partnerships: first data row after "
        f"{median:.0f} ms (median of {len(exports)}: "
        + ", ".join(f"{ms:.0f}" for ms in first_rows)
        + f" ms); the whole file, {whole.rows:,} rows, in {(whole.total_ms or 0) / 1000:.1f} s"
    )
    verdict = "meets" if median < TARGET_FIRST_ROW_MS else "misses"
    say(f"  {verdict} the target of < {TARGET_FIRST_ROW_MS:.0f} ms to the first data row")
    return median < TARGET_FIRST_ROW_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep existing bench databases")
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=4, help="turns of minimal, dashboard")
    parser.add_argument("--duration", type=int, default=5, help="seconds per target per round")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--export-partnerships", type=int, default=50_000)
    parser.add_argument("--export-runs", type=int, default=5)
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", default="postgres")
    parser.add_argument("--db-name", default="tandem_bench")
    parser.add_argument(
        "--export-db-name", help="database of the export's big city (default: DB_NAME_export)"
    )
    args = parser.parse_args()
    env = database_env(args, args.db_name)
    export_env = database_env(args, args.export_db_name or f"{args.db_name}_export")

    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as tmp_name:
        tmp = Path(tmp_name)
        cookie = prepare_database(args, env, tmp, partnerships=args.partnerships, cities=10)
        if not args.no_export:
            export_cookie = prepare_database(
                args, export_env, tmp, partnerships=args.export_partnerships, cities=1, lean=True
            )
        wrk = find_wrk(install=not args.no_install)

        port = free_port()
        log = tmp / "gunicorn.log"
        server = start_gunicorn(port, args.workers, log, env)
        try:
            wait_until_up(port, server)
            say(f"gunicorn is up on 127.0.0.1:{port}; checking both pages ...")
            results, problems = measure_pages(port, cookie, wrk, tmp, args)
        finally:
            stop(server)
            report_server_errors(log)

        export: tuple[Export, list[Export]] | None = None
        if not args.no_export:
            port = free_port()
            log = tmp / "gunicorn-export.log"
            server = start_gunicorn(port, 1, log, export_env)
            try:
                wait_until_up(port, server)
                say(f"gunicorn is up on 127.0.0.1:{port} for the big city; timing its export ...")
                export = measure_export(port, export_cookie, args.export_runs)
            finally:
                stop(server)
                report_server_errors(log)

    pages_ok = report_pages(results, problems, args)
    export_ok = report_export(*export, args.export_partnerships) if export else True
    return 0 if pages_ok and export_ok else 1


if __name__ == "__main__":
    sys.exit(main())
