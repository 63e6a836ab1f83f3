"""Loading the demo world: whatever of it is missing, and the logins to try it with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from demo import beneficiaries_access
from demo.people import PASSWORD, PEOPLE
from demo.replay import World
from demo.stories import STORIES


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    role: str


@dataclass
class Result:
    logins: list[Login]
    partnerships_created: list[str] = field(default_factory=list)
    partnerships_skipped: list[str] = field(default_factory=list)


def load(*, now: datetime | None = None) -> Result:
    """Creates whatever of the demo world is missing and returns the demo logins."""
    world = World(now or timezone.now())
    result = Result(logins=[Login(p.email, PASSWORD, p.role) for p in PEOPLE])
    with transaction.atomic():
        world.load_people()
        for write_story in STORIES:
            story = write_story(world)
            if story.exists():
                result.partnerships_skipped.append(story.spec["title"])
                continue
            story.replay()
            result.partnerships_created.append(story.spec["title"])
        beneficiaries_access.load(world.now)
    return result
