"""Counting what partnerships did, for many at once, as ``health.scoring.Facts``.

Each table is read in one grouped query over a batch of partnership ids (several counts of
one table side by side, each with its own filter), so the number of queries depends on the
number of tables, never on the number of partnerships. The scoring module
then works on the plain numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, F, Max, Q

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


def _counts(rows: Iterable[Mapping[str, Any]], key: str = "partnership_id") -> dict[int, int]:
    return {row[key]: row["n"] for row in rows}


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

    def put_all(rows: Iterable[Mapping[str, Any]], names: Mapping[str, str]) -> None:
        """Several counts from one grouped row per partnership: ``names`` maps each
        annotation to the fact it fills."""
        for row in rows:
            values = facts.get(row["partnership_id"])
            if values is not None:
                for annotation, name in names.items():
                    values[name] = row[annotation]

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
    put(
        "checkins_with_beneficiaries",
        _counts(
            checkins.filter(held)
            .filter(
                Q(beneficiary_attendance__isnull=False)
                | Q(attendees__participations__partnership_id=F("partnership_id"))
            )
            .values("partnership_id")
            .annotate(n=Count("pk", distinct=True))
        ),
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
    for row in (
        Responsibility.objects.filter(within)
        .exclude(status=Responsibility.Status.DROPPED)
        .values("partnership_id", "organization_id")
        .annotate(
            n=Count("pk"),
            due=Count("pk", filter=due),
            kept=Count("pk", filter=due & Q(status=Responsibility.Status.DONE)),
        )
    ):
        held_by[row["partnership_id"]][row["organization_id"]] = row["n"]
        milestones[row["partnership_id"]][0] += row["due"]
        milestones[row["partnership_id"]][1] += row["kept"]
    for pk, per_org in held_by.items():
        if pk in facts:
            facts[pk]["partners_with_responsibilities"] = len(per_org)
            facts[pk]["largest_responsibility_share"] = max(per_org.values()) / sum(
                per_org.values()
            )
            facts[pk]["milestones_due"], facts[pk]["milestones_kept"] = milestones[pk]

    levers: dict[int, set[str]] = defaultdict(set)
    for pk, used in (
        ProgressUpdate.objects.filter(
            within, withdrawn_at__isnull=True, date__gte=start, date__lte=end
        )
        .exclude(levers=[])
        .values_list("partnership_id", "levers")
    ):
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
    put("values_partners_agreed", _counts(agreed, key="version__partnership_id"))

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
