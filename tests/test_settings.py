"""Settings switch on the environment alone: each case runs in a fresh interpreter.

A subprocess is the only honest way to test this: settings are read once per process,
and the test process itself already runs on config.settings.test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# Prints what matters about the settings (and the Celery app built from them) as JSON.
PROBE = """
import json
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from config.celery import app
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "cache_is_redis": isinstance(caches["default"], RedisCache),
    "email": settings.MAILERS["default"]["BACKEND"],
    "delivery": settings.MAILERS["delivery"]["BACKEND"],
    "broker": app.conf.broker_url,
    "result_backend": app.conf.result_backend,
    "eager": app.conf.task_always_eager,
}))
"""

STRONG_KEY = "k" * 20 + "-a-long-random-looking-secret-for-tests-only-" + "z" * 10


def run_python(code: str, settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs ``code`` with only PATH, HOME and the given variables in the environment."""
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": settings_module,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def probe(settings_module: str = "config.settings.local", **env: str) -> dict[str, object]:
    result = run_python(PROBE, settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_nothing_set_runs_embedded_on_sqlite_eager_tasks_console_mail_and_database_cache() -> None:
    seen = probe()

    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["name"] == str(BASE_DIR / "db.sqlite3")
    assert seen["eager"] is True
    assert seen["broker"] == "memory://"
    assert seen["email"] == "core.mail.OutboxBackend"
    assert seen["delivery"] == "core.mail.ReadableConsoleBackend"
    assert seen["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert seen["cache_is_redis"] is False


def test_database_url_switches_to_postgresql() -> None:
    seen = probe(DATABASE_URL="postgres://tandem:secret@db.internal:5432/tandem")

    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["name"] == "tandem"
    # Redis stays off: the two switches are independent.
    assert seen["eager"] is True


def test_redis_url_switches_cache_and_broker_to_redis_and_tasks_go_to_workers() -> None:
    redis_url = "redis://cache.internal:6379/3"
    seen = probe(REDIS_URL=redis_url)

    assert seen["cache_is_redis"] is True
    assert seen["cache_location"] == redis_url
    assert seen["broker"] == redis_url
    assert seen["result_backend"] == redis_url
    assert seen["eager"] is False
    assert seen["engine"] == "django.db.backends.sqlite3"


def test_eager_tasks_can_be_forced_even_with_redis() -> None:
    seen = probe(REDIS_URL="redis://cache.internal:6379/3", CELERY_TASK_ALWAYS_EAGER="1")

    assert seen["eager"] is True


def test_email_backend_comes_from_the_environment() -> None:
    seen = probe(DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")

    # Pages always store mail in the outbox; the variable names what delivers it.
    assert seen["email"] == "core.mail.OutboxBackend"
    assert seen["delivery"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    "secret_key",
    [None, "", "too-short", "django-insecure-" + "x" * 60],
    ids=["missing", "empty", "short", "django-insecure-prefix"],
)
def test_production_refuses_to_start_without_a_strong_secret_key(secret_key: str | None) -> None:
    env = {} if secret_key is None else {"DJANGO_SECRET_KEY": secret_key}
    result = run_python(PROBE, "config.settings.production", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_starts_with_a_strong_secret_key_and_debug_off() -> None:
    # DJANGO_DEBUG is ignored in production: a stray variable must never expose tracebacks.
    seen = probe("config.settings.production", DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_DEBUG="1")

    assert seen["debug"] is False


def test_local_settings_turn_debug_on() -> None:
    assert probe("config.settings.local")["debug"] is True


def test_local_debug_can_be_switched_off() -> None:
    assert probe("config.settings.local", DJANGO_DEBUG="0")["debug"] is False


def test_test_settings_run_tasks_in_process_even_when_redis_is_configured() -> None:
    # Tests must not depend on whether CI happens to provide a broker.
    seen = probe("config.settings.test", REDIS_URL="redis://cache.internal:6379/3")

    assert seen["eager"] is True
    assert seen["email"] == "django.core.mail.backends.locmem.EmailBackend"
    assert seen["delivery"] == "django.core.mail.backends.locmem.EmailBackend"
    assert seen["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_production_sends_real_mail_over_smtp_by_default() -> None:
    result = run_python(
        "import json; from django.conf import settings; print(json.dumps(settings.MAILERS))",
        "config.settings.production",
        DJANGO_SECRET_KEY=STRONG_KEY,
        EMAIL_HOST="smtp.city.example",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
    )
    assert result.returncode == 0, result.stderr
    mailers = json.loads(result.stdout.strip().splitlines()[-1])
    # A page never talks to the SMTP server: it stores the mail, a worker delivers it.
    assert mailers["default"]["BACKEND"] == "core.mail.OutboxBackend"
    mailer = mailers["delivery"]
    assert mailer["BACKEND"] == "core.smtp.EmailBackend"
    assert mailer["OPTIONS"]["host"] == "smtp.city.example"
    assert mailer["OPTIONS"]["port"] == 587
    assert mailer["OPTIONS"]["use_tls"] is True
    assert mailer["OPTIONS"]["timeout"] == 10


def test_the_smtp_timeout_comes_from_the_environment() -> None:
    result = run_python(
        "import json; from django.conf import settings; print(json.dumps(settings.MAILERS))",
        "config.settings.production",
        DJANGO_SECRET_KEY=STRONG_KEY,
        EMAIL_TIMEOUT="3.5",
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])["delivery"]["OPTIONS"]
    assert options["timeout"] == 3.5


@pytest.mark.parametrize(
    "backend", ["core.smtp.EmailBackend", "django.core.mail.backends.smtp.EmailBackend"]
)
def test_either_smtp_backend_gets_the_servers_options(backend: str) -> None:
    result = run_python(
        "import json; from django.conf import settings; print(json.dumps(settings.MAILERS))",
        "config.settings.local",
        DJANGO_EMAIL_BACKEND=backend,
        EMAIL_HOST="smtp.city.example",
        EMAIL_PORT="2525",
    )
    assert result.returncode == 0, result.stderr
    mailer = json.loads(result.stdout.strip().splitlines()[-1])["delivery"]
    assert mailer["BACKEND"] == backend
    assert (mailer["OPTIONS"]["host"], mailer["OPTIONS"]["port"]) == ("smtp.city.example", 2525)


def test_settings_use_mailers_and_raise_no_deprecation_warning() -> None:
    result = run_python(
        "import warnings; warnings.simplefilter('error');"
        "import django; django.setup(); print('ok')",
        "config.settings.local",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
