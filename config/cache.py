"""A Redis cache that degrades instead of failing.

Redis is a helper here, never a store. When it is down or slow, each cache call
falls back to a small in-process cache, so a page gets slower (and counters
such as login rate limits become per-process for a while) but nothing breaks.
Connection and socket timeouts are kept short in settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_GUARDED = (
    "get",
    "get_many",
    "has_key",
    "set",
    "add",
    "set_many",
    "delete",
    "delete_many",
    "touch",
    "incr",
    "decr",
    "clear",
)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._fallback = LocMemCache(
            "tandem-redis-fallback", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )

    def __getattribute__(self, name: str) -> Any:
        attribute = super().__getattribute__(name)
        if name not in _GUARDED:
            return attribute
        fallback = getattr(super().__getattribute__("_fallback"), name)
        return _guarded(name, attribute, fallback)


def _guarded(
    name: str, call: Callable[..., Any], fallback: Callable[..., Any]
) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except RedisError as error:
            # The key is left out on purpose: it may carry an address or an e-mail hash.
            logger.warning(
                "cache %s fell back to memory: Redis unavailable (%s)", name, type(error).__name__
            )
            return fallback(*args, **kwargs)

    return run
