"""The demo's partnerships, one story a module, loaded in this order.

The stories are fictional, loosely inspired by the cases in the playbook: a
waste-pickers' cooperative, a by-name list towards functional zero, welcoming
newcomers, community meals, incubators and maternal health.
"""

from __future__ import annotations

from collections.abc import Callable

from demo.replay import Story, World
from demo.stories import (
    by_name_list,
    community_meals,
    incubadoras,
    recicladoras,
    salud_materna,
    summer_jobs,
    welcoming,
)

STORIES: list[Callable[[World], Story]] = [
    by_name_list.story,
    welcoming.story,
    community_meals.story,
    summer_jobs.story,
    recicladoras.story,
    incubadoras.story,
    salud_materna.story,
]
