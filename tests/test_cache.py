"""Redis is a helper: when it is unreachable, pages get slower, never broken."""

import socket

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
        }
    }
    # override_settings resets the cache handlers (django.test.signals), so this
    # really talks to a port where nothing listens.
    with override_settings(CACHES=cache_settings):
        yield caches["default"]


def test_cache_falls_back_to_memory_when_redis_is_down(
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
