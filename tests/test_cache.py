"""Redis is a helper: when it is unreachable, pages get slower, never broken."""

import os
import socket
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.test import Client, override_settings


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def unreachable_redis_cache():
    cache_settings = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
        "names": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    # override_settings resets the cache handlers (django.test.signals), so this
    # really talks to a port where nothing listens.
    with override_settings(CACHES=cache_settings):
        yield caches["default"]


def test_cache_falls_back_when_redis_is_down(
    unreachable_redis_cache,
) -> None:
    cache = unreachable_redis_cache
    assert cache.get("anything", "fallback") == "fallback"
    cache.set("anything", 1)
    assert cache.get("anything") == 1
    assert cache.add("anything", 2) is False
    assert cache.get_many(["anything", "b"]) == {"anything": 1}
    assert cache.delete("anything") is True
    assert cache.get("anything") is None


@pytest.mark.django_db
def test_login_page_and_a_failed_login_work_with_redis_down(
    unreachable_redis_cache, client: Client
) -> None:
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"login": "nobody@example.org", "password": "x"})
    assert response.status_code == 200
    assert b"not correct" in response.content or b"incorrect" in response.content.lower()


@pytest.mark.django_db
def test_login_rate_limit_still_holds_per_process_with_redis_down(
    unreachable_redis_cache, client: Client
) -> None:
    answers = [
        client.post("/accounts/login/", {"login": "x@example.org", "password": "wrong"}).status_code
        for _ in range(40)
    ]
    assert 429 in answers


# --- The shared cache: rate limits never live in one process's memory ---------------------


@pytest.mark.parametrize("settings_module", ["config.settings.local", "config.settings.production"])
def test_without_redis_the_default_cache_is_the_database(settings_module):
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    env = {
        **os.environ,
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DJANGO_SECRET_KEY": "k" * 60,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.django_db
def test_the_database_cache_table_exists_after_migrate():
    database = caches["database"]
    database.set("probe", 42)
    assert database.get("probe") == 42


@pytest.mark.django_db
def test_with_redis_down_the_default_cache_falls_back_to_the_database():
    cache_settings = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            "FALLBACK": "database",
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tandem_cache",
        },
        "names": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    with override_settings(CACHES=cache_settings):
        caches["default"].set("limit:key", [1, 2, 3])
        # Another process reading the database cache sees the same counter.
        assert caches["database"].get("limit:key") == [1, 2, 3]
