"""The Celery app. With no REDIS_URL set, tasks run in-process (eager).

Like the WSGI app, a worker started with no DJANGO_SETTINGS_MODULE uses the production
settings: a worker is a deployed process. `make worker` and `make beat` name the local ones.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("tandem")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="tandem.ping")
def ping(token: str) -> str:
    """Answers with the token it was given: proves a worker is consuming the broker."""
    return f"pong:{token}"
