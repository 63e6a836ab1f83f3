"""A real Celery worker consumes the Redis broker: the production path, not eager mode.

Needs REDIS_URL (CI provides it); tests/conftest.py deselects this file elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery.backends.redis import RedisBackend
from celery.result import EagerResult, allow_join_result

from config.celery import app, ping

pytestmark = pytest.mark.services

BASE_DIR = Path(__file__).resolve().parent.parent
WORKER_START_TIMEOUT = 60
RESULT_TIMEOUT = 30


def _wait_until_ready(worker: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if " ready." in log.read_text():
            return
        if worker.poll() is not None:
            pytest.fail(f"The Celery worker exited with {worker.returncode}:\n{log.read_text()}")
        time.sleep(0.2)
    pytest.fail(
        f"The Celery worker was not ready after {WORKER_START_TIMEOUT}s:\n{log.read_text()}"
    )


@pytest.fixture
def worker_queue(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Starts one worker on a queue of its own, so no other worker can take its tasks.

    The queue name is unique, so other pytest-xdist workers and other test runs sharing
    this Redis (and its db) never see these tasks; the results are keyed by task id.
    """
    queue = f"tandem-test-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        # The worker runs like a deployed one: its settings derive from REDIS_URL alone.
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "0",
    }
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        _wait_until_ready(worker, log)
        yield queue, log
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


def test_celery_uses_redis_as_broker_and_result_backend_when_redis_url_is_set() -> None:
    redis_url = os.environ["REDIS_URL"]
    assert app.conf.broker_url == redis_url
    assert isinstance(app.backend, RedisBackend)


@pytest.fixture
def tasks_not_eager() -> Iterator[None]:
    """The test settings run tasks in-process; this test needs the real broker path."""
    eager_before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager_before


def _wait_for_log_line(log: Path, line: str) -> str:
    # The worker stores the result a moment before it logs the success.
    deadline = time.monotonic() + RESULT_TIMEOUT
    while line not in (text := log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return text


@pytest.mark.usefixtures("tasks_not_eager")
def test_ping_task_is_executed_by_a_real_worker_through_redis(
    worker_queue: tuple[str, Path],
) -> None:
    queue, log = worker_queue
    token = uuid.uuid4().hex

    result = ping.apply_async(args=[token], queue=queue)

    assert not isinstance(result, EagerResult)
    # Celery's "inside a task" flag is one per process: a live server's thread running an
    # eager task at this moment would set it for this thread too.
    with allow_join_result():
        assert result.get(timeout=RESULT_TIMEOUT) == f"pong:{token}"
    assert result.successful()
    # The answer came from the worker, not from this process.
    succeeded = f"Task tandem.ping[{result.id}] succeeded"
    worker_log = _wait_for_log_line(log, succeeded)
    assert f"Task tandem.ping[{result.id}] received" in worker_log
    assert succeeded in worker_log


@pytest.mark.django_db
@pytest.mark.usefixtures("tasks_not_eager")
def test_healthz_counts_the_workers_that_answer(
    worker_queue: tuple[str, Path], client, settings
) -> None:
    settings.REDIS_URL = os.environ["REDIS_URL"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    body = client.get("/healthz").json()
    assert body["redis"] == "ok"
    assert body["workers"] >= 1
