"""The restore drill's verdict (scripts/restore_drill.py; CI runs the drill itself)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "restore_drill.py"
spec = importlib.util.spec_from_file_location("restore_drill", SCRIPT)
assert spec and spec.loader
drill = importlib.util.module_from_spec(spec)
spec.loader.exec_module(drill)


def test_identical_counts_pass():
    assert drill.compare({"a": 1, "b": 0}, {"a": 1, "b": 0}) == []


def test_a_missing_table_fails():
    assert drill.compare({"a": 1, "b": 2}, {"a": 1}) == ["table b is missing from the copy"]


def test_a_different_count_fails():
    assert drill.compare({"a": 3}, {"a": 2}) == ["table a: 3 rows, 2 in the copy"]


def test_an_extra_table_fails():
    assert drill.compare({"a": 1}, {"a": 1, "z": 0}) == ["table z exists only in the copy"]


def test_database_urls_keep_the_server_and_change_the_name():
    assert (
        drill.with_database("postgres://postgres@127.0.0.1:5432/ci", "drill")
        == "postgres://postgres@127.0.0.1:5432/drill"
    )
