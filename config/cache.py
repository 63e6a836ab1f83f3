"""A Redis cache that degrades instead of failing.

Redis is a helper here, never a store. When it is down or slow, each cache call
falls back to another cache: the database cache for the default one, so counters such
as the sign-in rate limits stay shared by every worker; a small in-process cache for the
others. A page gets slower, but nothing breaks.
Connection and socket timeouts are kept short in settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
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
    """Redis, or while Redis does not answer, the cache named by ``FALLBACK`` in its settings
    (the database cache for the default cache, so rate limits stay shared by every worker),
    or a small in-process cache when none is named."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._fallback_alias: str | None = params.get("FALLBACK")
        self._local = LocMemCache("tandem-redis-fallback", {"TIMEOUT": params.get("TIMEOUT", 300)})

    def _fallback(self) -> BaseCache:
        alias = super().__getattribute__("_fallback_alias")
        return caches[alias] if alias else super().__getattribute__("_local")

    def __getattribute__(self, name: str) -> Any:
        attribute = super().__getattribute__(name)
        if name not in _GUARDED:
            return attribute
        fallback = super().__getattribute__("_fallback")
        return _guarded(name, attribute, lambda *a, **k: getattr(fallback(), name)(*a, **k))


def _guarded(
    name: str, call: Callable[..., Any], fallback: Callable[..., Any]
) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except RedisError as error:
            # The key is left out on purpose: it may carry an address or an e-mail hash.
            logger.warning("cache %s fell back: Redis unavailable (%s)", name, type(error).__name__)
            return fallback(*args, **kwargs)

    return run
