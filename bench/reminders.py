"""Reminder benchmark: 10,000 due check-in reminders sent by one Celery worker.

    .venv/bin/python bench/reminders.py [--reminders 10000] [--per-task 2000]
                                        [--sink auto|smtp-sink|aiosmtpd]

Sets up a scratch test database (PostgreSQL on 127.0.0.1:5432, or DATABASE_URL) with 100
partnerships of 100 people each and a check-in due today, runs the reminder sweep, then
starts one worker (``--pool=solo``, as deployed but on a queue of its own, on REDIS_URL)
pointed at a local SMTP sink and times two ways of sending the same reminders, each
rendered from its templates in the person's language and handed to the sink:

- **batched**: one task claims the rows in batches of 500 and sends each batch on one SMTP
  connection, pipelined (``core.smtp``), rendering each shared body once and marking
  groups of 100 "sending" and then "sent" in one statement each (what Tandem does);
- **one task per reminder**: a task for each reminder, each claiming its row and opening
  its own connection (``--per-task`` of them, so the run stays short).

Prints reminders per second for both, their ratio, and the worker's CPU time per reminder
(the machine may be shared; that figure says what one idle core would do). Target: at
least 1,000 per second batched. Writes nothing into the repository.

The sink is Postfix's ``smtp-sink`` where it is found (``SMTP_SINK``, the PATH or
/usr/sbin): a mail server's stand-in written for measuring clients, in C, so the figure is
the worker's. Without it, the tests' aiosmtpd sink runs in this process and shares the two
cores, which costs the figure about half.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_PER_SECOND = 1000.0
PEOPLE_PER_PARTNERSHIP = 100


def say(message: str = "") -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--per-task", type=int, default=2_000)
    parser.add_argument("--sink", choices=["auto", "smtp-sink", "aiosmtpd"], default="auto")
    args = parser.parse_args()
    sink_path = smtp_sink_path() if args.sink != "aiosmtpd" else None
    if args.sink == "smtp-sink" and sink_path is None:
        raise SystemExit("smtp-sink not found: set SMTP_SINK (bench/README.md says how).")

    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tandem_bench_reminders"
    )
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        return _run(args.reminders, args.per_task, sink_path)
    finally:
        from django.db import connections

        connections.close_all()
        teardown_databases(databases, verbosity=0)


def smtp_sink_path() -> Path | None:
    for candidate in (
        os.environ.get("SMTP_SINK"),
        shutil.which("smtp-sink"),
        "/usr/sbin/smtp-sink",
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


class PostfixSink:
    """Postfix's ``smtp-sink`` on a free port, writing every message to one file, which is
    read as it grows: ``count()`` and ``dispatch_ids()`` as the aiosmtpd sink has them."""

    HEADER = re.compile(rb"^X-Tandem-Dispatch: *(\S*)", re.MULTILINE)

    def __init__(self, binary: Path) -> None:
        from tests.notifications.sink import free_port

        self.binary = binary
        self.port = free_port()
        self.dump = Path(f"/tmp/tandem-bench-sink-{uuid.uuid4().hex}")
        self.read = 0  # bytes of the file read so far
        self.ids: list[str] = []
        self.tail = b""

    def __enter__(self) -> PostfixSink:
        env = dict(os.environ)
        libraries = self.binary.parent.parent / "lib" / "postfix"  # an unpacked package
        if libraries.is_dir():
            env["LD_LIBRARY_PATH"] = str(libraries)
        user = ["-u", "nobody"] if os.geteuid() == 0 else []
        self.process = subprocess.Popen(
            [str(self.binary), *user, "-D", str(self.dump), f"127.0.0.1:{self.port}", "256"],
            env=env,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        self.process.kill()
        raise SystemExit("smtp-sink did not start.")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.dump.unlink(missing_ok=True)

    def _catch_up(self) -> None:
        try:
            with self.dump.open("rb") as dump:
                dump.seek(self.read)
                chunk = dump.read()
        except FileNotFoundError:
            return
        # Whole lines only; a line cut by the read waits for the rest.
        text = self.tail + chunk
        end = text.rfind(b"\n") + 1
        self.read += len(chunk)
        self.tail = text[end:]
        self.ids.extend(found.decode() for found in self.HEADER.findall(text, 0, end))

    def count(self) -> int:
        self._catch_up()
        return len(self.ids)

    def dispatch_ids(self) -> list[str]:
        self._catch_up()
        return list(self.ids)


def _build(reminders: int) -> None:
    from django.utils import timezone

    from accounts.models import Membership, User
    from notifications.models import Preference
    from partnerships.models import CheckIn
    from tests import factories as f

    partnerships = [
        f.PartnershipFactory(point_of_contact=None)
        for _ in range(max(reminders // PEOPLE_PER_PARTNERSHIP, 1))
    ]
    users = User.objects.bulk_create(
        User(
            email=f"person{n}@bench.example",
            name=f"Person {n}",
            password="!",
            preferred_language="es" if n % 3 == 0 else "en",
        )
        for n in range(reminders)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organization_id=partnerships[n // PEOPLE_PER_PARTNERSHIP].lead_id)
        for n, user in enumerate(users)
    )
    # E-mail only, so the figure is the e-mail's.
    Preference.objects.bulk_create(
        Preference(user=user, kind="checkin_due", channel="app", frequency="never")
        for user in users
    )
    CheckIn.objects.bulk_create(
        CheckIn(partnership=partnership, due_date=timezone.localdate())
        for partnership in partnerships
    )


def _worker(queue: str, port: int) -> subprocess.Popen[str]:
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_EMAIL_BACKEND": "core.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "SITE_URL": "https://tandem.example",
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    from config.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5)
        if replies:
            return worker
    worker.kill()
    raise SystemExit("The worker did not start.")


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has spent so far, on Linux; None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait(sink: object, expected: int, timeout: float = 900) -> float:
    started = time.monotonic()
    while sink.count() < expected:  # type: ignore[attr-defined]
        if time.monotonic() - started > timeout:
            raise SystemExit(f"Only {sink.count()} of {expected} arrived.")  # type: ignore[attr-defined]
        time.sleep(0.02)
    return time.monotonic()


def _run(reminders: int, per_task: int, sink_path: Path | None) -> int:
    from config.celery import app
    from notifications import services, tasks
    from notifications.models import Dispatch
    from tests.notifications.sink import Sink

    app.conf.task_always_eager = False
    app.conf.broker_url = os.environ["REDIS_URL"]
    app.conf.task_ignore_result = True
    queue = f"tandem-bench-{uuid.uuid4().hex}"
    app.conf.task_default_queue = queue

    say(f"Building {reminders:,} people with a check-in due today ...")
    _build(reminders)
    started = time.monotonic()
    services.reminders_sweep()
    sweep_s = time.monotonic() - started
    emails = Dispatch.objects.filter(channel="email")
    assert emails.count() == reminders, emails.count()
    say(f"Reminder sweep: {reminders:,} dispatches created in {sweep_s:.2f} s")
    # The sweep queued its sending after the commit: it waits for the worker; empty the queue.
    app.control.purge()

    sink_name = f"Postfix's smtp-sink ({sink_path})" if sink_path else "aiosmtpd, in this process"
    say(f"SMTP sink: {sink_name}")
    with PostfixSink(sink_path) if sink_path else Sink() as sink:
        worker = _worker(queue, sink.port)

        def sink_cpu() -> float:
            if isinstance(sink, PostfixSink):
                return _cpu_seconds(sink.process.pid) or 0.0
            return time.process_time()

        try:
            cpu_before = _cpu_seconds(worker.pid)
            sink_before = sink_cpu()
            started = time.monotonic()
            tasks.dispatches_send_task.apply_async(queue=queue)
            batched_s = _wait(sink, reminders) - started
            cpu_after = _cpu_seconds(worker.pid)
            sink_ms = (sink_cpu() - sink_before) * 1000 / reminders
            assert sorted(sink.dispatch_ids()) == sorted(
                str(pk) for pk in emails.values_list("pk", flat=True)
            )
            batched = reminders / batched_s
            doubled = len(sink.dispatch_ids()) - len(set(sink.dispatch_ids()))

            sample = list(emails.order_by("pk").values_list("pk", flat=True)[:per_task])
            Dispatch.objects.filter(pk__in=sample).update(status="pending", claim="", sent_at=None)
            Dispatch.objects.exclude(pk__in=sample).update(status="skipped")
            before = sink.count()
            started = time.monotonic()
            for _pk in sample:
                tasks.dispatches_send_task.apply_async(
                    kwargs={"limit": 1, "once": True}, queue=queue
                )
            single_s = _wait(sink, before + len(sample)) - started
            single = len(sample) / single_s
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    say()
    say(f"{'way of sending':<28}{'reminders':>10}{'seconds':>10}{'per second':>12}")
    say(f"{'batched (500 a claim)':<28}{reminders:>10,}{batched_s:>10.2f}{batched:>12,.0f}")
    say(f"{'one task per reminder':<28}{len(sample):>10,}{single_s:>10.2f}{single:>12,.0f}")
    say(
        f"batched / one task per reminder: {batched / single:.1f}x; sent twice (batched): {doubled}"
    )
    if cpu_before is not None and cpu_after is not None:
        cpu_ms = (cpu_after - cpu_before) * 1000 / reminders
        say(
            f"worker CPU per reminder (batched): {cpu_ms:.2f} ms, so one idle core would send "
            f"about {1000 / cpu_ms:,.0f}/s (the SMTP sink and PostgreSQL run on other cores)"
        )
    say(f"the SMTP sink's CPU per reminder: {sink_ms:.2f} ms")
    met = batched >= TARGET_PER_SECOND and doubled == 0
    say(f"target {TARGET_PER_SECOND:,.0f}/s batched: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
