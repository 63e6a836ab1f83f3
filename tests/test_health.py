"""/healthz: 200 while the database answers; Redis and the workers reported, never required."""

from __future__ import annotations

import socket
import time

import pytest


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_without_redis_the_site_is_healthy_by_design(client, settings):
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not used",
        "workers": "in-process",
        # Notification e-mails cut off while sending, for a person to look at.
        "notifications_attention": 0,
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_redis_down_is_reported_quickly_without_failing_the_check(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["redis"], body["workers"]) == ("ok", "down", 0)


@pytest.mark.django_db
def test_healthz_answers_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
