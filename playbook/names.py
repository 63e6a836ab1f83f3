"""Pathway, stage and practice names in the active language, shared through the cache.

Pages that name the playbook next to other rows (the portfolio's filter menus and its
pathway column) read these small seeded tables once up front instead of joining them
per row, and requests share them through the cache because they change only when
someone edits the playbook.

The names are cached under a version number that lives in the cache too. A saved or
deleted practice, pathway or stage moves the version on once its transaction has
committed (see ``PlaybookConfig.ready``), so every process reads the names afresh.
Names read inside a transaction are cached only when it commits: if it rolls back,
what it saw never existed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils.connection import ConnectionProxy
from django.utils.translation import get_language

from playbook.models import ModelPathway, Practice

VERSION_KEY = "playbook:names-version"
# Its own cache alias: in each process without Redis (read on every portfolio page), in
# Redis with it.
cache = ConnectionProxy(caches, "names")

# The version covers every process that shares the cache; this bounds how long a
# process whose cache is its own (no Redis) can show a name another process changed.
TIMEOUT = 5 * 60


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


def playbook_changed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Signal receiver: the names are read afresh once this change is committed.

    Moving the version on earlier would let a request in between cache the old names
    under the new version.
    """
    transaction.on_commit(bump_names_version, using=using)


@dataclass(frozen=True)
class PlaybookNames:
    """Pathway, stage and practice names in one language, by id."""

    pathways: dict[int, str]
    stages: dict[int, str]
    stage_pathways: dict[int, int]
    practices: dict[int, str]

    @classmethod
    def load(cls) -> PlaybookNames:
        """The names from the cache, read from the database when missing or outdated."""
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        key = f"playbook:names:{names_version()}:{language}"
        cached = cache.get(key)
        if cached is not None:
            # Plain dicts in the cache, so that a change to this class never meets old pickles.
            return cls(*cached)
        names = cls._query(language)
        value = (names.pathways, names.stages, names.stage_pathways, names.practices)
        # Outside a transaction this runs at once.
        transaction.on_commit(partial(cache.set, key, value, TIMEOUT))
        return names

    @classmethod
    def _query(cls, language: str) -> PlaybookNames:

        def name_columns(prefix: str = "") -> list[Any]:
            # English lives in the plain field; another language reads only its own name
            # from the JSON and falls back to English when that is empty, as .tr() does.
            if language == "en":
                return [f"{prefix}name", f"{prefix}name"]
            return [
                f"{prefix}name",
                KeyTextTransform("name", KeyTransform(language, f"{prefix}translations")),
            ]

        pathways: dict[int, str] = {}
        stages: dict[int, str] = {}
        stage_pathways: dict[int, int] = {}
        # Pathways with their stages in one query; a pathway without stages still comes.
        rows = ModelPathway.objects.values_list(
            "pk", *name_columns(), "stages__pk", *name_columns("stages__")
        ).order_by("order", "pk", "stages__order")
        for pk, english, translated, stage_pk, stage_english, stage_translated in rows:
            pathways[pk] = translated or english
            if stage_pk is not None:
                stages[stage_pk] = stage_translated or stage_english
                stage_pathways[stage_pk] = pk
        practices = {
            pk: translated or english
            for pk, english, translated in Practice.objects.values_list(
                "pk", *name_columns()
            ).order_by("number")
        }
        return cls(pathways, stages, stage_pathways, practices)

    def stage_label(self, stage_id: int) -> str:
        # Stage names repeat across pathways, so a menu of stages names the pathway too.
        pathway = self.pathways.get(self.stage_pathways[stage_id], "")
        return f"{pathway}: {self.stages[stage_id]}"
