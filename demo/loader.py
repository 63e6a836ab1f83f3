"""Loading the demo world: whatever of it is missing, and the logins to try it with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from demo import beneficiaries_access, voices
from demo import cities as demo_cities
from demo.health import load_health
from demo.notifications import load_notifications
from demo.people import PASSWORD, PEOPLE
from demo.replay import World
from demo.stories import STORIES
from health.receivers import recompute_paused
from partnerships.models import Partnership


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
    # Every score is computed once at the end, not after each of the year's events.
    with recompute_paused(), transaction.atomic():
        world.load_people()
        for write_story in STORIES:
            story = write_story(world)
            if story.exists():
                result.partnerships_skipped.append(story.spec["title"])
                continue
            story.replay()
            result.partnerships_created.append(story.spec["title"])
        voices.load(world)
        beneficiaries_access.load(world.now)
        demo_cities.load(world)
        load_health(world, list(Partnership.objects.filter(title__in=result.partnerships_created)))
        load_notifications(world)
    return result
