"""The Celery app. With no REDIS_URL set, tasks run in-process (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("tandem")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="tandem.ping")
def ping(token: str) -> str:
    """Answers with the token it was given: proves a worker is consuming the broker."""
    return f"pong:{token}"
