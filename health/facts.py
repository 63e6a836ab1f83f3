"""Counting what partnerships did, for many at once, as ``health.scoring.Facts``.

Each table is read in one grouped query over a batch of partnership ids (several counts of
one table side by side, each with its own filter), so the number of queries depends on the
number of tables, never on the number of partnerships. The scoring module
then works on the plain numbers.
"""

from __future__ import annotations

import json
import struct
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast

from beneficiaries.models import CheckInAttendance, Comment
from core.models import Event
from health.models import SurveyRating, ValuesAgreement, ValuesVersion
from health.scoring import Answer, Facts
from health.scoring import Group as ScoringGroup
from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Measurement,
    Participant,
    Partner,
    Partnership,
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
    columns = _columns(queryset)
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # an empty ``__in``: nothing to read
        return columns, []
    return columns, _fetch(queryset.db, sql, params, columns)


def _columns(queryset: QuerySet[Any]) -> list[str]:
    return [*queryset.query.values_select, *queryset.query.annotation_select]


def _fetch(
    alias: str, sql: str, params: Sequence[Any], columns: list[str]
) -> list[tuple[Any, ...]]:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        if len(cursor.description or ()) != len(columns):  # an ordering added a column
            raise ValueError(f"expected the columns {columns}")
        return cursor.fetchall()


# From this many ids on, a batch is read as the range of its ids (and rows of partnerships
# not asked for are dropped): thousands of bound parameters cost more than a few extra rows.
RANGE_FROM = 100


def scope(ids: Sequence[int], field: str = "partnership_id") -> Q:
    if len(ids) >= RANGE_FROM:
        return _range(field, min(ids), max(ids))
    return Q(**{f"{field}__in": ids})


def _range(field: str, low: int, high: int) -> Q:
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


# A range read's SQL is written once, around two stand-in bounds that no id can be, and each
# batch binds its own range in their place: building and compiling a dozen queries cost a
# batch as much as the database spends answering them.
_LOW, _HIGH = -(2**62) + 7, -(2**62) + 11


class _Written(NamedTuple):
    alias: str
    columns: list[str]
    sql: str
    params: tuple[Any, ...]
    low: list[int]  # where the stand-in bounds are among the parameters
    high: list[int]


_written: dict[Hashable, _Written] = {}


def _is(param: Any, stand_in: int) -> bool:
    return isinstance(param, int) and not isinstance(param, bool) and param == stand_in


def batch_rows(
    build: Callable[[Q], QuerySet[Any]],
    ids: Sequence[int],
    *,
    key: Hashable,
    field: str = "partnership_id",
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """``plain_rows(build(scope(ids, field)))``. ``key`` names the query ``build`` writes
    (everything it depends on but the scope): from ``RANGE_FROM`` ids on, its SQL is
    compiled once per key, then bound to each batch's range."""
    if len(ids) < RANGE_FROM:
        return plain_rows(build(scope(ids, field)))
    written = _written.get(key)
    if written is None:
        stand_in = build(_range(field, _LOW, _HIGH))
        columns = _columns(stand_in)
        sql, params = stand_in.query.get_compiler(stand_in.db).as_sql()
        low = [i for i, p in enumerate(params) if _is(p, _LOW)]
        high = [i for i, p in enumerate(params) if _is(p, _HIGH)]
        if not low or len(low) != len(high):
            raise ValueError(f"the query {key!r} does not bind its range as parameters")
        if len(_written) > 256:  # keys hold the day: old days' queries go
            _written.clear()
        written = _written[key] = _Written(stand_in.db, columns, sql, tuple(params), low, high)
    bound = list(written.params)
    for positions, value in ((written.low, min(ids)), (written.high, max(ids))):
        for i in positions:  # in the driver's own type (an ``Int8`` for a big integer)
            bound[i] = type(bound[i])(value)
    return written.columns, _fetch(written.alias, written.sql, bound, written.columns)


FIELDS = tuple(f.name for f in fields(Facts))
_DEFAULTS: tuple[Any, ...] = tuple(f.default for f in fields(Facts))
_AT = {name: i for i, name in enumerate(FIELDS)}
# The facts of ``counts`` as bytes, field after field: the digest of what scores are made of.
_LAYOUT = struct.Struct(
    "<" + "".join({bool: "?", int: "q", float: "d"}[type(d)] for d in _DEFAULTS)
)


def packed(values: Sequence[Any]) -> bytes:
    """One partnership's ``counts`` as bytes of a fixed length (the digest's input)."""
    return _LAYOUT.pack(*values)


def gather(ids: Sequence[int], period: Period) -> dict[int, Facts]:
    """Facts for each partnership in ``ids`` over ``period``; a fixed number of queries."""
    return {pk: Facts(*values) for pk, values in counts(ids, period).items()}


# Each read of a batch, over the rows its scope selects. Several counts of one table come
# from one scan of the batch's rows, each with its own filter; only a count that needs a
# join of its own has a query of its own.


def _checkins(within: Q, period: Period) -> QuerySet[Any]:
    in_period = Q(due_date__gte=period.start, due_date__lte=period.end)
    return (
        CheckIn.objects.filter(within)
        .values("partnership_id")
        .annotate(
            checkins_due=Count("pk", filter=in_period),
            checkins_on_time=Count(
                "pk",
                filter=in_period
                & Q(status=CheckIn.Status.HELD, held_on__lte=F("due_date") + GRACE),
            ),
            checkins_held=Count("pk", filter=Q(**_held(period))),
        )
    )


def _held(period: Period, via: str = "") -> dict[str, Any]:
    """Held in the period: the conditions on a check-in, or (``via``) on a related one."""
    return {
        f"{via}status": CheckIn.Status.HELD,
        f"{via}held_on__gte": period.start,
        f"{via}held_on__lte": period.end,
    }


# A beneficiary took part: recorded as such, or a participant among the attendees. Each is
# read from its small table (attendance records, attendees), scoped by the participants'
# partnership and joined to the check-ins held: fewer rows than joining every check-in.
def _checkins_with(within: Q, period: Period, present: str) -> QuerySet[Any]:
    held = _held(period, via="checkin__")
    if present == "recorded":
        rows: QuerySet[Any] = CheckInAttendance.objects.filter(
            _rescope(within, "participant__partnership_id"),
            checkin__partnership_id=F("participant__partnership_id"),
            **held,
        )
    else:
        # One filter, so that the participation scoped is the one matched.
        rows = CheckIn.attendees.through.objects.filter(
            _rescope(within, "user__participations__partnership_id"),
            user__participations__partnership_id=F("checkin__partnership_id"),
            **held,
        )
    return rows.order_by().values("checkin__partnership_id", "checkin_id").distinct()


_PRESENT = ("recorded", "attending")


def _indicators(within: Q, period: Period) -> QuerySet[Any]:
    # "Has a fresh measurement" stops at the first one found; joining every measurement and
    # counting distinct indicators sorted them all.
    fresh = Measurement.objects.filter(
        indicator_id=OuterRef("pk"),
        withdrawn_at__isnull=True,
        date__gt=period.end - FRESH,
        date__lte=period.end,
    )
    return (
        Indicator.objects.filter(within)
        .values("partnership_id")
        .annotate(
            indicators=Count("*"),
            indicators_fresh=Count("pk", filter=Exists(fresh)),
        )
    )


def _experiments(within: Q, period: Period) -> QuerySet[Any]:
    return (
        Experiment.objects.filter(within)
        .filter(~Q(decision="") | Q(ends_on__lte=period.end))
        .values("partnership_id")
        .annotate(
            experiments_ended=Count("pk"),
            experiments_decided=Count("pk", filter=~Q(decision="")),
        )
    )


def _participants(within: Q, period: Period) -> QuerySet[Any]:
    return (
        Participant.objects.filter(within)
        .values("partnership_id")
        .annotate(participants=Count("pk"))
    )


def _comments(within: Q, period: Period) -> QuerySet[Any]:
    """What residents said (online or gathered offline) and what was answered, replies and
    hidden comments aside, over the period."""
    return (
        Comment.objects.filter(
            within,
            parent__isnull=True,
            hidden_at__isnull=True,
            created_at__date__gte=period.start,
            created_at__date__lte=period.end,
        )
        .values("partnership_id")
        .annotate(
            comments=Count("pk"),
            comments_answered=Count("pk", filter=Q(answer__isnull=False)),
        )
    )


def _partners(within: Q, period: Period) -> QuerySet[Any]:
    # The lead is looked up per partner row: a join would read every partnership, the
    # batch's range being on the partners' side only.
    lead = (
        Partnership.objects.filter(pk=OuterRef("partnership_id")).order_by().values("lead_id")[:1]
    )
    return (
        Partner.objects.filter(within, status=Partner.Status.ACCEPTED)
        .values("partnership_id")
        .annotate(
            partners=Count("pk"),
            partners_added=Count(
                "pk",
                filter=~Q(organization_id=Subquery(lead))
                & Q(joined_on__gte=period.start, joined_on__lte=period.end),
            ),
        )
    )


def _responsibilities(within: Q, period: Period) -> QuerySet[Any]:
    """Responsibilities still standing, per organization (how widely the work is held),
    and those due in the period, kept or not."""
    due = Q(due_date__gte=period.start, due_date__lte=period.end)
    return (
        Responsibility.objects.filter(within)
        .exclude(status=Responsibility.Status.DROPPED)
        .values("partnership_id", "organization_id")
        .annotate(
            n=Count("pk"),
            due=Count("pk", filter=due),
            kept=Count("pk", filter=due & Q(status=Responsibility.Status.DONE)),
        )
    )


def _levers(within: Q, period: Period) -> QuerySet[Any]:
    return (
        ProgressUpdate.objects.filter(
            within, withdrawn_at__isnull=True, date__gte=period.start, date__lte=period.end
        )
        .exclude(levers=[])
        .order_by()
        # As text: the same list is the same string, looked up rather than decoded per row.
        .annotate(listed=Cast("levers", output_field=TextField()))
        .values("partnership_id", "listed")
    )


def _needs(within: Q, period: Period) -> QuerySet[Any]:
    return (
        FinancialNeed.objects.filter(within)
        .exclude(status=FinancialNeed.Status.WITHDRAWN)
        .values("partnership_id")
        .annotate(needs_stated=Count("pk"))
    )


def _needs_discussed(within: Q, period: Period) -> QuerySet[Any]:
    return (
        Event.objects.filter(
            within,
            action__in=NEED_DISCUSSED_ACTIONS,
            created_at__date__gte=period.start,
            created_at__date__lte=period.end,
        )
        .values("partnership_id")
        .annotate(needs_discussed=Count("target_id", distinct=True))
    )


def _values_latest(within: Q, period: Period) -> QuerySet[Any]:
    return (
        ValuesVersion.objects.filter(within, written_at__date__lte=period.end)
        .values("partnership_id")
        .annotate(latest=Max("pk"))
    )


def _rescope(within: Q, field: str) -> Q:
    """The scope ``within`` (made by ``scope``) on another field: that of a related row, for
    a query that joins it."""
    lookups: list[tuple[str, Any]] = list(within.children)  # type: ignore[arg-type]
    return Q(*((f"{field}__{lookup.rsplit('__', 1)[1]}", value) for lookup, value in lookups))


def _values_agreed(within: Q, period: Period) -> QuerySet[Any]:
    """The parties (the city, accepted partners) agreed to each partnership's latest version.
    One agreement per organization and version, so counting agreements counts parties."""
    accepted = Partner.objects.filter(
        partnership_id=OuterRef("version__partnership_id"),
        organization_id=OuterRef("organization_id"),
        status=Partner.Status.ACCEPTED,
    )
    return (
        ValuesAgreement.objects.filter(
            _rescope(within, "version__partnership_id"),
            version_id__in=Subquery(_values_latest(within, period).values("latest")),
        )
        .filter(Q(organization_id=F("version__partnership__city_id")) | Exists(accepted))
        .values("version__partnership_id")
        .annotate(values_partners_agreed=Count("pk"))
    )


# Reads whose rows are (partnership id, one fact, another fact, ...), named as the facts.
_GROUPED = (
    _checkins,
    _indicators,
    _experiments,
    _participants,
    _comments,
    _partners,
    _needs,
    _needs_discussed,
    _values_agreed,
)


def counts(ids: Sequence[int], period: Period) -> dict[int, list[Any]]:
    """What ``gather`` makes its facts of: each partnership's values, in the order of
    ``FIELDS``. Comparing these is enough to know whether two batches' facts are equal."""
    facts = {pk: list(_DEFAULTS) for pk in ids}

    def rows(
        build: Callable[..., QuerySet[Any]], *args: Any
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        return batch_rows(
            lambda within: build(within, period, *args),
            ids,
            key=(build.__qualname__, period, *args),
        )

    for build in _GROUPED:
        columns, found = rows(build)
        positions = [_AT[name] for name in columns[1:]]
        first, last = positions[0], positions[-1] + 1
        if positions == list(range(first, last)):  # side by side in FIELDS: one slice
            for row in found:
                values = facts.get(row[0])
                if values is not None:
                    values[first:last] = row[1:]
        else:
            for row in found:
                values = facts.get(row[0])
                if values is not None:
                    for column, position in enumerate(positions, 1):
                        values[position] = row[column]

    with_beneficiaries: dict[int, set[int]] = defaultdict(set)
    for present in _PRESENT:
        for pk, checkin in rows(_checkins_with, present)[1]:
            with_beneficiaries[pk].add(checkin)
    at = _AT["checkins_with_beneficiaries"]
    for pk, held_with in with_beneficiaries.items():
        if pk in facts:
            facts[pk][at] = len(held_with)

    columns, found = rows(_responsibilities)
    assert columns == ["partnership_id", "organization_id", "n", "due", "kept"], columns
    held_by: dict[int, list[int]] = defaultdict(list)
    milestones: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for pk, _organization_id, n, due_n, kept_n in found:
        held_by[pk].append(n)
        tally = milestones[pk]
        tally[0] += due_n
        tally[1] += kept_n
    spread, share = _AT["partners_with_responsibilities"], _AT["largest_responsibility_share"]
    due, kept = _AT["milestones_due"], _AT["milestones_kept"]
    for pk, per_org in held_by.items():
        values = facts.get(pk)
        if values is not None:
            values[spread] = len(per_org)
            values[share] = max(per_org) / sum(per_org)
            values[due], values[kept] = milestones[pk]

    # The same few lists of levers come back again and again: each is parsed once, into
    # one bit per lever, and a partnership's levers are the bits of all its lists.
    levers: dict[int, int] = defaultdict(int)
    bits: dict[str, int] = {}
    lever_bit: dict[str, int] = {}
    for pk, listed in rows(_levers)[1]:
        mask = bits.get(listed)
        if mask is None:
            # Distinct powers of two: their sum is the union of their bits.
            mask = bits[listed] = sum(
                {lever_bit.setdefault(name, 1 << len(lever_bit)) for name in json.loads(listed)}
            )
        levers[pk] |= mask
    at = _AT["levers_used"]
    for pk, mask in levers.items():
        if pk in facts:
            facts[pk][at] = mask.bit_count()

    at = _AT["values_written"]
    for pk, _latest in rows(_values_latest)[1]:
        if pk in facts:
            facts[pk][at] = True
    return facts


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
