"""``/healthz``: what a monitor asks every minute.

The answer is 200 while the database answers, and 503 when it does not: without the
database Tandem serves nothing. Redis and the Celery workers are reported, not required:
a site run without Redis (tasks in-process) is healthy by design, and a site whose Redis
is down still serves pages (the cache falls back, e-mail waits), so a monitor should
alert on ``"redis": "down"`` or ``"workers": 0`` without the load balancer taking the
site out.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# A monitor's request must not hang on a broker that does not answer.
REDIS_TIMEOUT_S = 0.5
WORKER_PING_TIMEOUT_S = 1.0


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "down"
    return "ok"


def _redis(url: str) -> str:
    import redis

    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
        )
        client.ping()
    except redis.RedisError:
        return "down"
    return "ok"


def _workers() -> int:
    from config.celery import app

    try:
        replies = app.control.ping(timeout=WORKER_PING_TIMEOUT_S) or []
    except Exception:
        return 0
    return len(replies)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    report: dict[str, Any] = {"database": _database()}
    redis_url = settings.REDIS_URL
    if not redis_url or settings.CELERY_TASK_ALWAYS_EAGER:
        # By design: tasks run in the web process, nothing to wait for.
        report["redis"] = "ok" if redis_url and _redis(redis_url) == "ok" else "not used"
        report["workers"] = "in-process"
    else:
        report["redis"] = _redis(redis_url)
        report["workers"] = _workers() if report["redis"] == "ok" else 0
    ok = report["database"] == "ok"
    if ok:
        from notifications.services import attention_count

        # Notification e-mails cut off while sending, waiting for a person to decide. A
        # figure, not a requirement: a database that answers but lacks the table (a
        # migration still to run) reports none rather than failing the probe.
        try:
            report["notifications_attention"] = attention_count()
        except DatabaseError:
            report["notifications_attention"] = None
    return JsonResponse({"status": "ok" if ok else "down", **report}, status=200 if ok else 503)
