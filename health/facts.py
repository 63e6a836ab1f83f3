"""Counting what partnerships did, for many at once, as ``health.scoring.Facts``.

Each table is read in one grouped query over a batch of partnership ids (several counts of
one table side by side, each with its own filter), so the number of queries depends on the
number of tables, never on the number of partnerships. The scoring module
then works on the plain numbers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Avg, Count, F, Max, Q, QuerySet

from beneficiaries.models import Comment
from core.models import Event
from health.models import SurveyRating, ValuesAgreement, ValuesVersion
from health.scoring import Answer, Facts
from health.scoring import Group as ScoringGroup
from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Participant,
    Partner,
    ProgressUpdate,
    Responsibility,
)

# Behaviour is read over the year up to the day a score is for.
PERIOD = timedelta(days=365)
# A check-in held within a week of its date was on time.
GRACE = timedelta(days=7)
# An indicator measured within this long before the day is fresh.
FRESH = timedelta(days=90)
NEED_DISCUSSED_ACTIONS = ("partnerships.need.updated",)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def year_to(cls, end: date) -> Period:
        return cls(start=end - PERIOD, end=end)


def plain_rows(queryset: QuerySet[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A ``values(...).annotate(...)`` query's column names and rows, from the cursor: the
    ORM writes the query; its conversion of each row, thousands of plain integers a batch,
    is left out."""
    query = queryset.query
    columns = [*query.values_select, *query.annotation_select]
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # an empty ``__in``: nothing to read
        return columns, []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        if len(cursor.description or ()) != len(columns):  # an ordering added a column
            raise ValueError(f"expected the columns {columns}")
        return columns, cursor.fetchall()


def _counts(queryset: QuerySet[Any]) -> dict[int, int]:
    """``{key: n}`` from a query of one grouped key and one count."""
    columns, rows = plain_rows(queryset)
    assert len(columns) == 2, columns
    return dict(rows)


# From this many ids on, a batch is read as the range of its ids (and rows of partnerships
# not asked for are dropped): thousands of bound parameters cost more than a few extra rows.
RANGE_FROM = 100


def scope(ids: Sequence[int], field: str = "partnership_id") -> Q:
    if len(ids) >= RANGE_FROM:
        return Q(**{f"{field}__gte": min(ids), f"{field}__lte": max(ids)})
    return Q(**{f"{field}__in": ids})


def gather(ids: Sequence[int], period: Period) -> dict[int, Facts]:
    """Facts for each partnership in ``ids`` over ``period``; a fixed number of queries."""
    start, end = period.start, period.end
    within = scope(ids)
    facts: dict[int, dict[str, float | int | bool]] = {pk: {} for pk in ids}

    def put(name: str, values: dict[int, int] | dict[int, float]) -> None:
        for pk, value in values.items():
            if pk in facts:
                facts[pk][name] = value

    def put_all(queryset: QuerySet[Any], names: Mapping[str, str]) -> None:
        """Several counts from one grouped row per partnership: ``names`` maps each
        annotation to the fact it fills."""
        columns, rows = plain_rows(queryset)
        key = columns.index("partnership_id")
        filled = [(columns.index(annotation), name) for annotation, name in names.items()]
        for row in rows:
            values = facts.get(row[key])
            if values is not None:
                for column, name in filled:
                    values[name] = row[column]

    # Several counts of one table come from one scan of the batch's rows, each with its
    # own filter; only a count that needs a join of its own has a query of its own.
    checkins = CheckIn.objects.filter(within)
    in_period = Q(due_date__gte=start, due_date__lte=end)
    held = Q(status=CheckIn.Status.HELD, held_on__gte=start, held_on__lte=end)
    put_all(
        checkins.values("partnership_id").annotate(
            due=Count("pk", filter=in_period),
            on_time=Count(
                "pk",
                filter=in_period
                & Q(status=CheckIn.Status.HELD, held_on__lte=F("due_date") + GRACE),
            ),
            held=Count("pk", filter=held),
        ),
        {"due": "checkins_due", "on_time": "checkins_on_time", "held": "checkins_held"},
    )
    # A beneficiary took part: recorded as such, or a participant among the attendees.
    # Two inner joins, each led by the small table (attendance records, attendees), read
    # fewer rows than one query joining both to every check-in held.
    with_beneficiaries: dict[int, set[int]] = defaultdict(set)
    for present in (
        Q(beneficiary_attendance__isnull=False),
        Q(attendees__participations__partnership_id=F("partnership_id")),
    ):
        _columns, pairs = plain_rows(
            checkins.filter(held)
            .filter(present)
            .order_by()
            .values("partnership_id", "pk")
            .distinct()
        )
        for pk, checkin in pairs:
            with_beneficiaries[pk].add(checkin)
    put(
        "checkins_with_beneficiaries",
        {pk: len(held_with) for pk, held_with in with_beneficiaries.items()},
    )

    put_all(
        Indicator.objects.filter(within)
        .values("partnership_id")
        .annotate(
            n=Count("pk", distinct=True),
            fresh=Count(
                "pk",
                distinct=True,
                filter=Q(
                    measurements__withdrawn_at__isnull=True,
                    measurements__date__gt=end - FRESH,
                    measurements__date__lte=end,
                ),
            ),
        ),
        {"n": "indicators", "fresh": "indicators_fresh"},
    )

    put_all(
        Experiment.objects.filter(within)
        .filter(~Q(decision="") | Q(ends_on__lte=end))
        .values("partnership_id")
        .annotate(n=Count("pk"), decided=Count("pk", filter=~Q(decision=""))),
        {"n": "experiments_ended", "decided": "experiments_decided"},
    )

    put(
        "participants",
        _counts(
            Participant.objects.filter(within).values("partnership_id").annotate(n=Count("pk"))
        ),
    )

    # What residents said (online or gathered offline) and what was answered, replies and
    # hidden comments aside, over the period.
    put_all(
        Comment.objects.filter(
            within,
            parent__isnull=True,
            hidden_at__isnull=True,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .values("partnership_id")
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(answer__isnull=False))),
        {"n": "comments", "answered": "comments_answered"},
    )

    put_all(
        Partner.objects.filter(within, status=Partner.Status.ACCEPTED)
        .values("partnership_id")
        .annotate(
            n=Count("pk"),
            added=Count(
                "pk",
                filter=~Q(organization_id=F("partnership__lead_id"))
                & Q(joined_on__gte=start, joined_on__lte=end),
            ),
        ),
        {"n": "partners", "added": "partners_added"},
    )

    # Responsibilities still standing, per organization: how widely the work is held; and
    # those due in the period, kept or not.
    held_by: dict[int, dict[int, int]] = defaultdict(dict)
    milestones: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    due = Q(due_date__gte=start, due_date__lte=end)
    columns, rows = plain_rows(
        Responsibility.objects.filter(within)
        .exclude(status=Responsibility.Status.DROPPED)
        .values("partnership_id", "organization_id")
        .annotate(
            n=Count("pk"),
            due=Count("pk", filter=due),
            kept=Count("pk", filter=due & Q(status=Responsibility.Status.DONE)),
        )
    )
    assert columns == ["partnership_id", "organization_id", "n", "due", "kept"], columns
    for pk, organization_id, n, due_n, kept_n in rows:
        held_by[pk][organization_id] = n
        milestones[pk][0] += due_n
        milestones[pk][1] += kept_n
    for pk, per_org in held_by.items():
        if pk in facts:
            facts[pk]["partners_with_responsibilities"] = len(per_org)
            facts[pk]["largest_responsibility_share"] = max(per_org.values()) / sum(
                per_org.values()
            )
            facts[pk]["milestones_due"], facts[pk]["milestones_kept"] = milestones[pk]

    levers: dict[int, set[str]] = defaultdict(set)
    # The same few lists of levers come back again and again: each is parsed once.
    parsed: dict[str, list[str]] = {}
    _columns, updates = plain_rows(
        ProgressUpdate.objects.filter(
            within, withdrawn_at__isnull=True, date__gte=start, date__lte=end
        )
        .exclude(levers=[])
        .order_by()
        .values("partnership_id", "levers")
    )
    for pk, used in updates:
        if isinstance(used, str):
            if used not in parsed:
                parsed[used] = json.loads(used)
            used = parsed[used]
        levers[pk].update(used)
    put("levers_used", {pk: len(used) for pk, used in levers.items()})

    needs = FinancialNeed.objects.filter(within).exclude(status=FinancialNeed.Status.WITHDRAWN)
    put("needs_stated", _counts(needs.values("partnership_id").annotate(n=Count("pk"))))
    put(
        "needs_discussed",
        _counts(
            Event.objects.filter(
                within,
                action__in=NEED_DISCUSSED_ACTIONS,
                created_at__date__gte=start,
                created_at__date__lte=end,
            )
            .values("partnership_id")
            .annotate(n=Count("target_id", distinct=True))
        ),
    )

    latest = dict(
        ValuesVersion.objects.filter(within, written_at__date__lte=end)
        .values("partnership_id")
        .annotate(latest=Max("pk"))
        .values_list("partnership_id", "latest")
    )
    latest = {pk: version for pk, version in latest.items() if pk in facts}
    for pk in latest:
        if pk in facts:
            facts[pk]["values_written"] = True
    agreed = (
        ValuesAgreement.objects.filter(version_id__in=latest.values())
        .filter(
            Q(organization_id=F("version__partnership__city_id"))
            | Q(
                organization__partner_roles__partnership_id=F("version__partnership_id"),
                organization__partner_roles__status=Partner.Status.ACCEPTED,
            )
        )
        .values("version__partnership_id")
        .annotate(n=Count("organization_id", distinct=True))
    )
    put("values_partners_agreed", _counts(agreed))

    return {pk: Facts(**values) for pk, values in facts.items()}  # type: ignore[arg-type]


def round_answers(round_ids: Sequence[int]) -> dict[int, list[Answer]]:
    """Each respondent's mean per practice in the given rounds, as the scoring module's
    answers: averaging in the database gives the scoring module the same figures from
    one row per person and practice instead of one per statement."""
    answers: dict[int, list[Answer]] = {pk: [] for pk in round_ids}
    if not round_ids:
        return answers
    rows = (
        SurveyRating.objects.filter(response__round_id__in=round_ids, rating__isnull=False)
        .values(
            "response__round_id",
            "response__respondent_id",
            "response_id",
            "response__group",
            "statement__practice__slug",
        )
        .annotate(mean=Avg("rating"))
        .values_list(
            "response__round_id",
            "response__respondent_id",
            "response_id",
            "response__group",
            "statement__practice__slug",
            "mean",
        )
    )
    groups = {g.value: g for g in ScoringGroup}
    for round_id, person, response_id, group, practice, mean in rows.iterator(chunk_size=5000):
        # The same person across rounds, so that comparing two rounds is guarded; an erased
        # person's answers still count, under a number that is nobody's.
        who = person if person is not None else -response_id
        answers[round_id].append(Answer(who, groups[group], practice, float(mean)))
    return answers
