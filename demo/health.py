"""The demo's practice health: past survey rounds, shared values, and today's scores.

Every demo partnership old enough gets a round every hundred days, answered by its people
(the city's staff, the partner organizations' members, its beneficiaries), each person's
answers drawn from the partnership's own leanings so that the scores tell a story: a
practice that is strong, one that needs care, one where the city and the entrepreneurs
disagree. All of it goes through the health services, as a person would do it.
"""

from __future__ import annotations

import random
from datetime import timedelta

from accounts.models import Membership, User
from core.events import SYSTEM
from demo.replay import World
from health import permissions, services
from health.models import Group
from partnerships.models import Partnership

# Days before today on which rounds opened; each ran for two weeks.
ROUND_DAYS = (-300, -200, -100)
ROUND_WEEKS = 2

# Each partnership's leanings: practice -> (city's mean, entrepreneurs', beneficiaries').
LEANINGS: dict[str, dict[str, tuple[float, float, float]]] = {
    "Every neighbour housed: a by-name list to functional zero": {
        "the-long-view": (4.5, 4.4, 4.2),
        "always-a-lab": (4.2, 4.5, 3.6),
        "honest-expectations": (4.0, 2.6, 3.2),
    },
    "Community meals for older neighbours": {
        "beneficiaries-as-changemakers": (4.3, 4.1, 4.6),
        "use-all-tools": (3.9, 2.5, 3.0),
    },
    "Reciclaje con las recicladoras de Valle Alto": {
        "shared-agency": (3.2, 4.4, 4.3),
        "use-all-tools": (4.4, 4.0, 3.8),
        "the-long-view": (2.6, 2.9, 3.1),
    },
    "Incubadoras que funcionan en el Hospital Municipal": {
        "always-a-lab": (4.6, 4.5, 4.0),
        "build-bridges": (4.0, 3.4, 3.5),
    },
}
DEFAULT_LEANING = (3.6, 3.5, 3.4)
# The partnership whose people find a round open when they sign in.
OPEN_ROUND_IN = "Community meals for older neighbours"

VALUES = {
    "Every neighbour housed: a by-name list to functional zero": (
        "We start from the people on the list, by name, not from our programmes. We decide on "
        "the evidence of the weekly numbers. We stay with each person until they are housed, "
        "and with this work for as long as it takes."
    ),
    "Community meals for older neighbours": (
        "The neighbours who come to the meals help decide how they run. We share costs and "
        "credit openly. We would rather start small and keep going than promise more than "
        "we can cook."
    ),
    "Reciclaje con las recicladoras de Valle Alto": (
        "Las recicladoras deciden con nosotros, no después de nosotros. Pagamos a tiempo lo "
        "acordado. Medimos lo que recuperamos y lo decimos en público, también cuando baja."
    ),
}


def _people(partnership: Partnership) -> list[tuple[User, Group]]:
    """Everyone who may answer, with their group."""
    people = []
    seen: set[int] = set()
    org_ids = {partnership.city_id, *partnership.partner_organization_ids()}
    members = Membership.objects.filter(organization_id__in=org_ids).select_related("user")
    candidates = [m.user for m in members] + [p.user for p in partnership.participants.all()]
    for user in candidates:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        group = permissions.respondent_group(user, partnership)
        if group is not None:
            people.append((user, group))
    return people


def _rating(rng: random.Random, mean: float, drift: float) -> int | None:
    if rng.random() < 0.08:
        return None  # "don't know"
    return max(1, min(5, round(rng.gauss(mean + drift, 0.6))))


def _answer_round(w: World, partnership: Partnership, day: int, number: int) -> None:
    at = w.moment(day)
    assert partnership.point_of_contact is not None  # every demo partnership has one
    survey_round = services.round_open(
        actor=partnership.point_of_contact,
        partnership=partnership,
        closes_on=w.date(day) + timedelta(weeks=ROUND_WEEKS),
        at=at,
    )
    leaning = LEANINGS.get(partnership.title, {})
    rng = random.Random(f"{partnership.title}:{number}")
    index = {Group.CITY: 0, Group.ENTREPRENEURS: 1, Group.BENEFICIARIES: 2}
    for person, group in _people(partnership):
        statements = services.statements_for(group)
        ratings = {}
        for statement in statements:
            means = leaning.get(statement.practice.slug, DEFAULT_LEANING)
            # Later rounds lean a little better: the partners worked on what they heard.
            ratings[statement.pk] = _rating(rng, means[index[group]], 0.15 * (number - 1))
        services.survey_answer(
            actor=person,
            survey_round=survey_round,
            ratings=ratings,
            at=at + timedelta(days=rng.randint(0, 9)),
        )
    services.round_close(
        actor=SYSTEM, survey_round=survey_round, at=w.moment(day + 7 * ROUND_WEEKS + 1)
    )


def load_health(w: World, partnerships: list[Partnership]) -> None:
    for partnership in partnerships:
        if partnership.survey_rounds.exists():
            continue
        started = (partnership.start_date - w.today).days
        number = 0
        for day in ROUND_DAYS:
            if day < started + 30:
                continue
            number += 1
            _answer_round(w, partnership, day, number)
        text = VALUES.get(partnership.title)
        if text:
            writer = partnership.point_of_contact
            assert writer is not None
            version = services.values_write(
                actor=writer, partnership=partnership, text=text, based_on=0, at=w.moment(-60)
            )
            # The city agrees, and the lead; other partners are still to be asked.
            for org_id in (partnership.city_id, partnership.lead_id):
                admin = Membership.objects.filter(
                    organization_id=org_id, role=Membership.Role.ADMIN
                ).first()
                if admin is not None:
                    services.values_agree(
                        actor=admin.user, version=version, organization_id=org_id, at=w.moment(-55)
                    )
        if partnership.title == OPEN_ROUND_IN:
            _open_round(w, partnership)
    services.scores_recompute(ids=[p.pk for p in partnerships], at=w.now)


def _open_round(w: World, partnership: Partnership) -> None:
    """A round open now, answered by some: demo people can answer the rest."""
    assert partnership.point_of_contact is not None
    survey_round = services.round_open(
        actor=partnership.point_of_contact,
        partnership=partnership,
        closes_on=w.date(11),
        at=w.moment(-3),
    )
    rng = random.Random(f"{partnership.title}:open")
    for person, group in _people(partnership)[:2]:
        services.survey_answer(
            actor=person,
            survey_round=survey_round,
            ratings={s.pk: _rating(rng, 3.8, 0) for s in services.statements_for(group)},
            at=w.moment(-2),
        )
