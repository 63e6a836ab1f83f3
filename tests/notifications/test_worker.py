"""Exactly once against the real thing: Celery workers on Redis, PostgreSQL, an SMTP server.

Each worker is a process of its own, started like a deployed one, pointed at this test's
database (``DATABASE_URL`` names the test database) and at a local SMTP sink (aiosmtpd).
Its tasks travel on a queue of its own, so no other worker sharing this Redis takes them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app
from core.events import log_event
from notifications import services, tasks
from notifications.models import Dispatch, Notification
from partnerships.models import CheckIn
from tests import factories as f
from tests.conftest import World
from tests.notifications.sink import Sink, free_port

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60
DONE_TIMEOUT = 90
OPEN = ["pending", "claimed", "sending"]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """Starts workers on one queue; stops (or kills) them."""

    def __init__(self, tmp_path: Path, sink: Sink, redis_url: str) -> None:
        self.queue = f"tandem-test-{uuid.uuid4().hex}"
        self.tmp_path = tmp_path
        self.sink = sink
        self.redis_url = redis_url
        self.running: list[subprocess.Popen[str]] = []

    def start(self, name: str, **env: str) -> subprocess.Popen[str]:
        log = self.tmp_path / f"{name}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": _database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": self.redis_url,
            "DJANGO_EMAIL_BACKEND": "core.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.sink.port),
            "TANDEM_NOTIFICATIONS_BATCH": "10",
            **env,
        }
        with log.open("w") as out:
            worker = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("celery")),
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "-Q",
                    self.queue,
                    "-n",
                    f"{name}-{self.queue}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                cwd=BASE_DIR,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
        self.running.append(worker)
        deadline = time.monotonic() + START_TIMEOUT
        while " ready." not in log.read_text():
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        return worker

    def stop_all(self) -> None:
        for worker in self.running:
            if worker.poll() is None:
                worker.terminate()
        for worker in self.running:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)


@pytest.fixture
def sink() -> Iterator[Sink]:
    with Sink(delay=0.005) as running:
        yield running


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Sends this process's tasks to a real broker (the test settings run them eagerly)."""

    def use(url: str) -> None:
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        monkeypatch.setitem(app.conf, "broker_url", url)
        # Fresh connection pools for this broker; the old ones come back afterwards.
        monkeypatch.setattr(app, "_pool", None)
        monkeypatch.setattr(app.amqp, "_producer_pool", None)

    return use


@pytest.fixture
def workers(tmp_path: Path, sink: Sink, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workers]:
    started = Workers(tmp_path, sink, os.environ["REDIS_URL"])
    # What this process queues (after a commit) goes to these workers' queue.
    monkeypatch.setitem(app.conf, "task_default_queue", started.queue)
    yield started
    started.stop_all()


def _due_reminders(count: int) -> None:
    """``count`` partnerships, each with one person and a check-in due today."""
    for _ in range(count):
        partnership = f.PartnershipFactory(point_of_contact=None)
        f.MembershipFactory(organization=partnership.lead)
        f.CheckInFactory(partnership=partnership, due_date=timezone.localdate())


def _wait_until_done(sink: Sink, expected: int) -> None:
    deadline = time.monotonic() + DONE_TIMEOUT
    while time.monotonic() < deadline:
        if not Dispatch.objects.filter(status__in=OPEN).exists() and sink.count() >= expected:
            time.sleep(0.5)  # anything sent twice would arrive now
            return
        time.sleep(0.2)
    pytest.fail(
        f"Not done: {Counter(Dispatch.objects.values_list('status', flat=True))}, "
        f"{sink.count()} received"
    )


def test_two_workers_racing_send_each_reminder_exactly_once(
    workers: Workers, sink: Sink, broker: Callable[[str], None]
) -> None:
    broker(os.environ["REDIS_URL"])
    _due_reminders(40)
    services.reminders_sweep()  # queues one sending task after its commit
    for _ in range(5):
        tasks.dispatches_send_task.apply_async(queue=workers.queue)

    workers.start("one")
    workers.start("two")
    _wait_until_done(sink, 40)

    emails = Dispatch.objects.filter(channel="email")
    assert sorted(sink.dispatch_ids()) == sorted(
        str(pk) for pk in emails.values_list("pk", flat=True)
    )
    assert Counter(emails.values_list("status", flat=True)) == {"sent": 40}
    assert Notification.objects.count() == 40
    assert Notification.objects.values("dispatch").distinct().count() == 40


def test_a_worker_killed_mid_batch_leaves_none_unsent_and_none_doubled(
    workers: Workers, sink: Sink, broker: Callable[[str], None]
) -> None:
    broker(os.environ["REDIS_URL"])
    sink.delay = 0.02  # a slow mail server: the batch is still going when the kill comes
    _due_reminders(80)
    group = 5  # e-mails marked sending in one statement: at most these are cut off
    lease = {"TANDEM_NOTIFICATIONS_LEASE": "2", "TANDEM_NOTIFICATIONS_GROUP": str(group)}
    first = workers.start("doomed", **lease)
    services.reminders_sweep()

    deadline = time.monotonic() + DONE_TIMEOUT
    while sink.count() < 15:
        assert time.monotonic() < deadline, "the worker sent nothing"
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    received_before = sink.count()
    assert received_before < 80, "the batch was over before the kill"

    workers.start("restarted", **lease)
    time.sleep(2.5)  # the dead worker's lease runs out
    tasks.notifications_sweep_task.apply_async(queue=workers.queue)
    _wait_until_done(sink, 80 - group)

    received = Counter(sink.dispatch_ids())
    assert max(received.values()) == 1, "a reminder went out twice"
    emails = dict(Dispatch.objects.filter(channel="email").values_list("pk", "status"))
    assert len(emails) == 80
    statuses = Counter(emails.values())
    # At most the group cut off between "sending" and "sent" waits for a person (never sent
    # again); the rest went.
    assert statuses["sent"] + statuses["attention"] == 80
    assert statuses["attention"] <= group
    sent = {str(pk) for pk, status in emails.items() if status == "sent"}
    assert sent <= set(received)
    assert set(received) - sent <= {str(pk) for pk, s in emails.items() if s == "attention"}
    assert Notification.objects.count() == 80


@pytest.fixture
def own_redis() -> Iterator[tuple[str, Callable[[], None], Callable[[], None]]]:
    """A redis-server of this test's own, on a port of its own, to stop and start again."""
    port = free_port()
    process: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        process.append(server)
        import redis

        client = redis.Redis(port=port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop() -> None:
        server = process.pop()
        server.terminate()
        server.wait(timeout=10)

    start()
    yield f"redis://127.0.0.1:{port}/0", stop, start
    while process:
        stop()


def test_with_redis_down_pages_answer_and_reminders_go_out_once_it_is_back(
    world: World,
    tmp_path: Path,
    sink: Sink,
    own_redis: tuple[str, Callable[[], None], Callable[[], None]],
    broker: Callable[[str], None],
    client_as,
    settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, stop, start = own_redis
    broker(url)
    f.CheckInFactory(partnership=world.partnership, due_date=timezone.localdate())
    stop()
    settings.REDIS_URL = url
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }

    client = client_as("city_staff")
    started = time.monotonic()
    for path in [
        "/partnerships/",
        "/notifications/",
        f"/partnerships/{world.partnership.pk}/checkins/",
    ]:
        assert client.get(path).status_code == 200, path
    response = client.post(
        f"/partnerships/{world.partnership.pk}/checkins/schedule/",
        {"due_date": (timezone.localdate() + timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 302
    # An event that notifies, committed while the broker is away: queued in vain, kept.
    with transaction.atomic():
        log_event(
            actor=world.city_staff,
            action="beneficiaries.comment.answered",
            partnership_id=world.partnership.pk,
            data={"comment": 1, "answer": 2, "section": 3, "commenter": world.beneficiary.pk},
        )
    assert time.monotonic() - started < 10, "a page waited for Redis"
    assert Dispatch.objects.filter(recipient=world.beneficiary).exists()

    start()
    workers = Workers(tmp_path, sink, url)
    monkeypatch.setitem(app.conf, "task_default_queue", workers.queue)
    try:
        workers.start("after")
        tasks.notifications_sweep_task.apply_async(queue=workers.queue)
        _wait_until_done(sink, 3)
    finally:
        workers.stop_all()

    assert sorted(to for _id, tos, _m in sink.received for to in tos) == sorted(
        [world.city_staff.email, world.entrepreneur.email, world.beneficiary.email]
    )
    assert CheckIn.objects.filter(partnership=world.partnership).count() == 2
