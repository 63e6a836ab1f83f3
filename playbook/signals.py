"""Invalidation of the playbook names the portfolio keeps in the cache.

The names are cached under a version number that lives in the cache too; a saved or
deleted practice, pathway or stage moves the version on, so every process reads the
names afresh. A version is only moved on after the change is committed: a request
reading in between would otherwise cache the old names under the new version.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import connections, transaction

VERSION_KEY = "playbook:names-version"


def names_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A clock value, never a small number: after an eviction the version must not
        # fall back to one whose entries may still be in the cache.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def bump_names_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def changed_in_this_transaction(using: str = "default") -> bool:
    """True inside a transaction that has changed the playbook and not finished yet.

    Such a transaction sees its own uncommitted names; caching them would outlive a
    rollback, so it neither reads nor fills the cache.
    """
    connection = connections[using]
    return bool(
        connection.in_atomic_block
        and getattr(connection, "playbook_changed_in", None) is connection.atomic_blocks[0]
    )


def playbook_changed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    if connection.in_atomic_block:
        # The outermost block identifies this transaction; the next one is a new object.
        connection.playbook_changed_in = connection.atomic_blocks[0]  # type: ignore[attr-defined]

    def committed() -> None:
        connection.playbook_changed_in = None  # type: ignore[attr-defined]
        bump_names_version()

    transaction.on_commit(committed, using=using)


def playbook_reloaded(sender: Any, **kwargs: Any) -> None:
    # migrate and flush (tests between transactional cases) rewrite the tables wholesale.
    bump_names_version()
