"""Rooms depend one way: no app imports an app above it (docs/architecture.md).

Every ``.py`` file of each room is parsed, migrations aside; an import counts wherever
it stands (at the top, inside a function, under ``if TYPE_CHECKING:``), and so does a
model named by its label in a relation (``ForeignKey("playbook.Stage")``). Imports made
through ``importlib`` are not seen.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
ARCHITECTURE_DOC = BASE_DIR / "docs" / "architecture.md"

# Each room and the rooms it may import; the same table is in docs/architecture.md.
# Rooms that do not exist yet have their row already, so they arrive in their place.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "accounts": {"core"},
    "playbook": {"core"},
    "partnerships": {"core", "accounts", "playbook"},
    "beneficiaries": {"core", "accounts", "playbook", "partnerships"},
    "cities": {"core", "accounts", "playbook", "partnerships"},
    "health": {"core", "accounts", "playbook", "partnerships", "beneficiaries", "cities"},
    "notifications": {
        "core",
        "accounts",
        "playbook",
        "partnerships",
        "beneficiaries",
        "cities",
        "health",
    },
    "api": {
        "core",
        "accounts",
        "playbook",
        "partnerships",
        "beneficiaries",
        "cities",
        "health",
        "notifications",
    },
    "config": {
        "core",
        "accounts",
        "playbook",
        "partnerships",
        "beneficiaries",
        "cities",
        "health",
        "notifications",
        "api",
    },
    "demo": {
        "core",
        "accounts",
        "playbook",
        "partnerships",
        "beneficiaries",
        "cities",
        "health",
        "notifications",
        "api",
        "config",
    },
}

# Allowed in type hints only (under ``if TYPE_CHECKING:``), never at run time: core
# names the user model, which accounts defines on top of core.
TYPE_HINTS_ONLY: dict[str, set[str]] = {"core": {"accounts"}}

RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


@dataclass(frozen=True)
class Dependency:
    target: str
    line: int
    type_hints_only: bool


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _relation_target(call: ast.Call) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in RELATIONS:
        return None
    candidates = [*call.args[:1], *(kw.value for kw in call.keywords if kw.arg == "to")]
    for node in candidates:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
            return node.value
    return None


def dependencies(source: str) -> Iterator[Dependency]:
    """The rooms one module reaches: the first part of each absolute import, and the app
    label of each relation named by a string. Relative imports stay inside the room."""
    tree = ast.parse(source)
    hints_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                hints_only.update(id(inner) for inner in ast.walk(statement))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [node.module]
        elif isinstance(node, ast.Call) and (label := _relation_target(node)):
            targets = [label]
        else:
            continue
        for target in targets:
            yield Dependency(target.split(".")[0], node.lineno, id(node) in hints_only)


def _project_packages() -> set[str]:
    """The rooms, and the project's other packages (tests, bench) that no room may import."""
    return {path.parent.name for path in BASE_DIR.glob("*/__init__.py")} | ALLOWED.keys()


def _room_files(room: str) -> Iterator[Path]:
    for path in sorted((BASE_DIR / room).rglob("*.py")):
        parts = path.relative_to(BASE_DIR).parts
        if "migrations" in parts or "tests" in parts or path.name.startswith("test_"):
            continue
        yield path


def _violations(room: str) -> Iterator[str]:
    ours = _project_packages()
    for path in _room_files(room):
        for dep in dependencies(path.read_text(encoding="utf-8")):
            if dep.target == room or dep.target not in ours:
                continue
            allowed = ALLOWED[room]
            if dep.type_hints_only:
                allowed = allowed | TYPE_HINTS_ONLY.get(room, set())
            if dep.target not in allowed:
                where = path.relative_to(BASE_DIR)
                kind = " in a type hint" if dep.type_hints_only else ""
                yield f"{where}:{dep.line} reaches {dep.target}{kind}"


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_no_room_imports_a_room_above_it(room: str) -> None:
    found = list(_violations(room))

    may = ", ".join(sorted(ALLOWED[room])) or "nothing of the project"
    assert not found, f"{room} may import {may}, but:\n" + "\n".join(found)


def test_every_app_of_the_project_has_its_row() -> None:
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == BASE_DIR.resolve()
    }

    assert {"accounts", "partnerships", "demo"} <= ours
    assert ours - ALLOWED.keys() == set()


def test_the_rooms_depend_one_way() -> None:
    """No chain of allowed imports comes back to where it started."""
    for room in ALLOWED:
        seen: set[str] = set()
        todo = list(ALLOWED[room])
        while todo:
            other = todo.pop()
            assert other != room, f"{room} can reach itself through {sorted(seen)}"
            if other not in seen:
                seen.add(other)
                todo.extend(ALLOWED[other])


def _files_outside_the_demo_and_the_tests() -> Iterator[Path]:
    for entry in sorted(BASE_DIR.iterdir()):
        if entry.name.startswith(".") or entry.is_symlink() or entry.name in {"demo", "tests"}:
            continue
        if entry.is_dir():
            yield from sorted(entry.rglob("*.py"))
        elif entry.suffix == ".py":
            yield entry


def test_nothing_but_the_tests_imports_the_demo() -> None:
    assert [room for room, allowed in ALLOWED.items() if "demo" in allowed] == []
    importers = [
        str(path.relative_to(BASE_DIR))
        for path in _files_outside_the_demo_and_the_tests()
        if any(dep.target == "demo" for dep in dependencies(path.read_text(encoding="utf-8")))
    ]
    assert importers == []


def _rooms_named(cell: str) -> set[str]:
    return set(re.findall(r"`(\w+)/`", cell))


def test_the_table_is_the_one_in_the_architecture_page() -> None:
    """docs/architecture.md has a row per room: | `room/` | may import | in type hints, also |."""
    rows = re.findall(
        r"^\| `(\w+)/` \|(.*)\|(.*)\|$", ARCHITECTURE_DOC.read_text(encoding="utf-8"), re.M
    )

    assert {room: _rooms_named(may) for room, may, _ in rows} == ALLOWED
    assert {room: _rooms_named(hints) for room, _, hints in rows if _rooms_named(hints)} == (
        TYPE_HINTS_ONLY
    )


def test_imports_inside_functions_type_hints_and_relations_all_count() -> None:
    source = """
from typing import TYPE_CHECKING
import accounts.models
from django.db import models
from . import sibling

if TYPE_CHECKING:
    from core.requests import AuthenticatedRequest

def later():
    from beneficiaries.models import Consent

class Thing(models.Model):
    stage = models.ForeignKey("playbook.Stage", on_delete=models.PROTECT)
    score = models.ForeignKey(to="health.Score", on_delete=models.PROTECT)
"""
    found = {(dep.target, dep.type_hints_only) for dep in dependencies(source)}

    assert found == {
        ("typing", False),
        ("accounts", False),
        ("django", False),
        ("core", True),
        ("beneficiaries", False),
        ("playbook", False),
        ("health", False),
    }
