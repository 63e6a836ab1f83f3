"""Fills the bench database: cities, organizations, people, partnerships and their history.

Everything goes in with ``bulk_create`` (no signals, no history rows): the point is a
database the size of a busy deployment in well under a minute, not a replay of
services. Random but seeded, so two runs build the same world.

``build(history=False)`` keeps only what a portfolio row reads (partners, check-ins,
financial needs): enough for the export's big city at a fraction of the time.
"""

from __future__ import annotations

import random
import sys
import time as clock
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Membership, Organization, User
from core.models import Event
from partnerships import models as pm
from partnerships.events import Action
from playbook.models import ModelPathway

STAFF_EMAIL = "staff@bench.example"
PASSWORD = "bench-password"
BATCH = 5000

ADJECTIVES = [
    "Safe",
    "Green",
    "Shared",
    "Open",
    "Warm",
    "Healthy",
    "Welcoming",
    "Clean",
    "Bright",
    "Strong",
    "Fair",
    "Connected",
]
TOPICS = [
    "streets",
    "homes",
    "meals",
    "schools",
    "jobs",
    "parks",
    "clinics",
    "recycling",
    "transport",
    "libraries",
    "markets",
    "neighbourhoods",
]
STATUS_WEIGHTS = {
    pm.Partnership.Status.EXPLORING: 2,
    pm.Partnership.Status.ACTIVE: 6,
    pm.Partnership.Status.SCALING: 1,
    pm.Partnership.Status.PAUSED: 1,
    pm.Partnership.Status.CLOSED: 1,
}


@dataclass
class Built:
    staff_email: str
    staff_city_partnerships: int
    rows: dict[str, int]


def _log(message: str) -> None:
    sys.stderr.write(f"  build: {message}\n")
    sys.stderr.flush()


def _insert(
    model: type[models.Model], objects: Iterable[models.Model], rows: dict[str, int]
) -> list[Any]:
    began = clock.monotonic()
    created = model.objects.bulk_create(list(objects), batch_size=BATCH)
    rows[model.__name__] = rows.get(model.__name__, 0) + len(created)
    _log(f"{len(created):>7} {model.__name__} in {clock.monotonic() - began:.1f} s")
    return created


def _aware(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59))))


@transaction.atomic
def build(
    *, partnerships: int = 10_000, cities: int = 10, seed: int = 1, history: bool = True
) -> Built:
    rng = random.Random(seed)
    today = timezone.localdate()
    rows: dict[str, int] = {}
    hashed = make_password(PASSWORD)

    city_orgs = _insert(
        Organization,
        (
            Organization(
                name=f"Bench City {n:02d}",
                slug=f"bench-city-{n:02d}",
                kind=Organization.Kind.CITY,
                country="US",
            )
            for n in range(cities)
        ),
        rows,
    )
    kinds = (
        [Organization.Kind.SOCIAL_ENTERPRISE] * 1000
        + [Organization.Kind.COMMUNITY_GROUP] * 200
        + [Organization.Kind.FUNDER] * 20
    )
    orgs = _insert(
        Organization,
        (
            Organization(
                name=f"{rng.choice(ADJECTIVES)} {rng.choice(TOPICS).title()} Works {n}",
                slug=f"bench-org-{n}",
                kind=kind,
                country="US",
            )
            for n, kind in enumerate(kinds)
        ),
        rows,
    )
    leads = [o for o in orgs if o.kind != Organization.Kind.FUNDER]

    people = [User(email=STAFF_EMAIL, name="Bench Staff", password=hashed)]
    people += [
        User(email=f"contact{n}@city{n}.bench.example", name=f"Contact {n}", password=hashed)
        for n in range(cities)
    ]
    people += [
        User(email=f"person{n}@org.bench.example", name=f"Person {n}", password=hashed)
        for n in range(len(orgs))
    ]
    people += [
        User(email=f"resident{n}@bench.example", name=f"Resident {n}", password=hashed)
        for n in range(partnerships // 10)
    ]
    users = _insert(User, people, rows)
    staff, contacts = users[0], users[1 : 1 + cities]
    org_people = users[1 + cities : 1 + cities + len(orgs)]
    residents = users[1 + cities + len(orgs) :]
    memberships = [Membership(user=staff, organization=city_orgs[0])]
    memberships += [
        Membership(user=u, organization=c, role=Membership.Role.ADMIN)
        for u, c in zip(contacts, city_orgs, strict=True)
    ]
    memberships += [
        Membership(user=u, organization=o, role=Membership.Role.ADMIN)
        for u, o in zip(org_people, orgs, strict=True)
    ]
    _insert(Membership, memberships, rows)
    person_of = {o.pk: u for o, u in zip(orgs, org_people, strict=True)}
    _log(f"{len(city_orgs)} cities, {len(orgs)} organizations, {len(users)} people")

    pathways = list(ModelPathway.objects.prefetch_related("stages"))
    stages = {p.pk: list(p.stages.order_by("order")) for p in pathways}
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())

    # Half the partnerships belong to the staff member's city: a busy portfolio. With one
    # city, all of them do.
    items = []
    for n in range(partnerships):
        city_index = 0 if n % 2 == 0 or cities == 1 else 1 + (n // 2) % (cities - 1)
        pathway = rng.choice(pathways)
        stage_index = rng.randrange(len(stages[pathway.pk]))
        start = today - timedelta(days=rng.randint(20, 720))
        last = today - timedelta(days=rng.randint(0, min(120, (today - start).days)))
        items.append(
            pm.Partnership(
                title=f"{rng.choice(ADJECTIVES)} {rng.choice(TOPICS)} for {rng.choice(TOPICS)} {n}",
                city=city_orgs[city_index],
                lead=rng.choice(leads),
                goal="Halve the waiting time for the people this service exists for.",
                problem_statement="People wait too long and nobody sees the whole picture.",
                status=rng.choices(statuses, weights)[0],
                pathway=pathway,
                stage=stages[pathway.pk][stage_index],
                start_date=start,
                cadence=rng.choice(pm.Partnership.Cadence.values),
                point_of_contact=contacts[city_index],
                created_at=_aware(start, rng),
                last_activity_at=_aware(last, rng),
            )
        )
        items[-1]._stage_index = stage_index  # type: ignore[attr-defined]
    created = _insert(pm.Partnership, items, rows)
    _log(f"{len(created)} partnerships")

    related: dict[type[models.Model], list[models.Model]] = {
        m: []
        for m in (
            pm.Partner,
            pm.StageChange,
            pm.Responsibility,
            pm.Reframing,
            pm.CheckIn,
            pm.ProgressUpdate,
            pm.Experiment,
            pm.FinancialNeed,
            Event,
            pm.Participant,
        )
    }
    indicators: list[pm.Indicator] = []
    plans: list[pm.PlanVersion] = []
    for p in created:
        _history_of(p, rng, today, leads, orgs, stages, person_of, residents, related, full=history)
        if not history:
            continue
        for n in range(rng.randint(1, 2)):
            indicators.append(
                pm.Indicator(
                    partnership_id=p.pk,
                    name=f"Indicator {n + 1}",
                    unit="people",
                    direction=pm.Indicator.Direction.UP,
                    baseline=Decimal(rng.randint(10, 100)),
                    target=Decimal(rng.randint(150, 400)),
                    target_date=today + timedelta(days=rng.randint(30, 400)),
                )
            )
        for number in range(1, rng.randint(1, 2) + 1):
            plans.append(
                pm.PlanVersion(
                    partnership_id=p.pk,
                    number=number,
                    note="Agreed at a check-in.",
                    published_at=p.created_at + timedelta(days=30 * number),
                )
            )
    for model, objects in related.items():
        if objects:
            _insert(model, objects, rows)
    if history:
        indicators = _insert(pm.Indicator, indicators, rows)
        _insert(
            pm.Measurement,
            (
                pm.Measurement(
                    indicator_id=i.pk,
                    date=today - timedelta(days=30 * k),
                    value=i.baseline + Decimal(rng.randint(0, 50) * (6 - k)),
                    source="Monthly count",
                )
                for i in indicators
                for k in range(rng.randint(3, 6), 0, -1)
            ),
            rows,
        )
        plans = _insert(pm.PlanVersion, plans, rows)
        _insert(
            pm.PlanSection,
            (
                pm.PlanSection(
                    version=v, order=k, heading=heading, body="What we agreed, in plain words."
                )
                for v in plans
                for k, heading in enumerate(("What we want", "Who does what", "How we know"), 1)
            ),
            rows,
        )
    _log(", ".join(f"{n} {name}" for name, n in rows.items()))
    return Built(
        staff_email=STAFF_EMAIL,
        staff_city_partnerships=sum(1 for p in created if p.city_id == city_orgs[0].pk),
        rows=rows,
    )


def _history_of(
    p: pm.Partnership,
    rng: random.Random,
    today: date,
    leads: list[Organization],
    orgs: list[Organization],
    stages: dict[int, list[Any]],
    person_of: dict[int, User],
    residents: list[User],
    history: dict[type[models.Model], list[models.Model]],
    *,
    full: bool,
) -> None:
    lead_person = person_of[p.lead_id]
    others = [o for o in rng.sample(orgs, 4) if o.pk != p.lead_id]
    partner_orgs = [p.lead, *others[: rng.randint(0, 3)]]
    add = history

    def act(action: str, day: date, data: dict[str, Any], *, private: bool = False) -> None:
        if not full:
            return
        add[Event].append(
            Event(
                partnership_id=p.pk,
                organization_id=p.city_id,
                actor_id=p.point_of_contact_id,
                action=action,
                data=data,
                private=private,
                created_at=_aware(min(day, today), rng),
            )
        )

    act(Action.CREATED, p.start_date, {"title": p.title})
    for o in partner_orgs:
        add[pm.Partner].append(
            pm.Partner(partnership_id=p.pk, organization=o, role_description="Does its share.")
        )
        act(Action.PARTNER_ADDED, p.start_date, {"organization_id": o.pk, "organization": o.name})
    if full:
        path = stages[p.pathway_id][: p._stage_index + 1]  # type: ignore[attr-defined]
        for k, stage in enumerate(path):
            add[pm.StageChange].append(
                pm.StageChange(
                    partnership_id=p.pk,
                    from_stage=path[k - 1] if k else None,
                    to_stage=stage,
                    changed_by_id=p.point_of_contact_id,
                    changed_at=_aware(p.start_date + timedelta(days=20 * k), rng),
                    reason="Ready for the next stage.",
                )
            )
        for n in range(rng.randint(2, 4)):
            add[pm.Responsibility].append(
                pm.Responsibility(
                    partnership_id=p.pk,
                    organization=rng.choice(partner_orgs),
                    description=f"Responsibility {n + 1}",
                    status=rng.choice(pm.Responsibility.Status.values),
                    due_date=today + timedelta(days=rng.randint(-60, 90)),
                )
            )
        if rng.random() < 0.5:
            add[pm.Reframing].append(
                pm.Reframing(
                    partnership_id=p.pk,
                    reframed_on=p.start_date + timedelta(days=10),
                    previous_statement="The first way we saw it.",
                    statement=p.problem_statement,
                    learned="What residents told us.",
                    author_id=lead_person.pk,
                )
            )

    # Check-ins at the cadence since the start, the latest dozen kept; one missed.
    interval = p.cadence_interval()
    dues = []
    due = p.start_date + interval
    while due < today:
        dues.append(due)
        due += interval
    dues = dues[-12:]
    missed = rng.randrange(len(dues)) if dues else -1
    for k, day in enumerate(dues):
        held = k != missed
        add[pm.CheckIn].append(
            pm.CheckIn(
                partnership_id=p.pk,
                due_date=day,
                status=pm.CheckIn.Status.HELD if held else pm.CheckIn.Status.MISSED,
                held_on=day if held else None,
                notes="Went through the plan." if held else "",
                recorded_by_id=p.point_of_contact_id,
                recorded_at=_aware(day, rng),
            )
        )
        act(
            Action.CHECKIN_RECORDED,
            day,
            {"held": True, "held_on": day.isoformat(), "due_date": day.isoformat()},
        )
    if p.status != pm.Partnership.Status.CLOSED:
        # One in ten is overdue, as in any real portfolio.
        next_due = today - timedelta(days=rng.randint(1, 20)) if rng.random() < 0.1 else due
        add[pm.CheckIn].append(pm.CheckIn(partnership_id=p.pk, due_date=next_due))

    if full:
        for n in range(rng.randint(2, 4)):
            day = today - timedelta(days=rng.randint(0, (today - p.start_date).days))
            add[pm.ProgressUpdate].append(
                pm.ProgressUpdate(
                    partnership_id=p.pk,
                    author_id=lead_person.pk,
                    organization_id=p.lead_id,
                    date=day,
                    text=f"Progress note {n + 1}.",
                    levers=rng.sample(pm.Lever.values, 2),
                    created_at=_aware(day, rng),
                )
            )
            act(Action.PROGRESS_LOGGED, day, {"excerpt": f"Progress note {n + 1}."})
        for n in range(rng.randint(0, 3)):
            start = p.start_date + timedelta(days=rng.randint(0, 30))
            add[pm.Experiment].append(
                pm.Experiment(
                    partnership_id=p.pk,
                    title=f"Experiment {n + 1}",
                    hypothesis="If we try this, more people are helped.",
                    what_is_tried="A small change for a month.",
                    started_on=start,
                    decision=rng.choice(["", *pm.Experiment.Decision.values]),
                    created_by_id=lead_person.pk,
                )
            )
    for _ in range(rng.randint(0, 3)):
        add[pm.FinancialNeed].append(
            pm.FinancialNeed(
                partnership_id=p.pk,
                organization_id=p.lead_id,
                amount=Decimal(rng.randint(5, 200) * 1000),
                currency="USD",
                period="Next year",
                purpose="Staff and equipment.",
                status=rng.choice(pm.FinancialNeed.Status.values),
                stated_by_id=lead_person.pk,
            )
        )
        act(
            Action.NEED_STATED,
            p.start_date,
            {"organization": p.lead.name, "amount": "1000.00", "currency": "USD"},
            private=True,
        )
    if full and rng.random() < 0.1 and residents:
        add[pm.Participant].append(
            pm.Participant(
                partnership_id=p.pk,
                user_id=rng.choice(residents).pk,
                invited_by_id=p.point_of_contact_id,
            )
        )


def analyze() -> None:
    """Vacuum and fresh planner statistics, as autovacuum keeps a live database.

    A bulk load leaves the visibility map empty, so until a vacuum sets it every
    index-only scan (the dashboard's count, for one) still visits the table's pages;
    measuring that would measure a state no running deployment is in.
    """
    # VACUUM refuses to run inside a transaction; Django's connection autocommits here.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
