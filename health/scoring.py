"""Practice-health scores: plain data in, scores out.

Nothing here touches the database, the clock or the translation machinery, so every rule
can be read and tested on its own (docs/health-scores.md explains each weight). The
callers gather the inputs (answers of one round, behaviour signals of one period) and
store what comes out, with ``FORMULA_VERSION``: a stored score always says which formula
made it.

Three rules protect the people who answer the pulse survey:

1. A group's figures (city, entrepreneurs, beneficiaries) are shown only when at least
   ``threshold`` people of that group answered; the threshold is never below 3.
2. What is hidden must not be recoverable by subtraction. The overall figure minus the
   groups shown leaves the groups hidden: if what is left is fewer than ``threshold``
   people, one more group is hidden (the smallest shown), or the overall figure when no
   group can be.
3. Two rounds compared must not reveal one person either: when a group's respondents
   are those of the round before with fewer than ``threshold`` people joined or left, and
   everyone else's answers are unchanged, the difference between the rounds is exactly
   the answers of those few; the group is hidden in the later round.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import fmean

FORMULA_VERSION = 1

MIN_THRESHOLD = 3
# Free-text remarks need more respondents than figures: a sentence can give its author away.
MIN_REMARKS = 5

PRACTICES = (
    "beneficiaries-as-changemakers",
    "shared-agency",
    "build-bridges",
    "always-a-lab",
    "use-all-tools",
    "the-long-view",
    "honest-expectations",
    "shared-values",
)


class Group(StrEnum):
    CITY = "city"
    ENTREPRENEURS = "entrepreneurs"
    BENEFICIARIES = "beneficiaries"


class Band(StrEnum):
    STRENGTH = "strength"
    DISCUSS = "discuss"
    CONCERN = "concern"


class Hidden(StrEnum):
    """Why a figure is not shown."""

    FEW = "few"  # fewer respondents than the threshold
    SUBTRACTION = "subtraction"  # shown, it would reveal a hidden group by subtraction
    ROUNDS = "rounds"  # compared with the round before, it would reveal a few people


# --- Inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One rating of one statement: 1-5, or None for "don't know". A person's mean over a
    practice's statements may stand for their ratings: it is what the perception uses."""

    respondent: int
    group: Group
    practice: str
    rating: float | None


@dataclass(frozen=True)
class Signal:
    """One behaviour signal: ``achieved`` out of ``possible`` (0 possible: no data)."""

    key: str
    practice: str
    achieved: float
    possible: float
    weight: float


@dataclass(frozen=True)
class Facts:
    """What a partnership did in one period, counted by the caller."""

    checkins_due: int = 0  # check-ins whose date fell in the period
    checkins_on_time: int = 0  # of those, held within the grace days of their date
    checkins_held: int = 0
    checkins_with_beneficiaries: int = 0  # held with at least one participant present
    indicators: int = 0
    indicators_fresh: int = 0  # measured within their cadence
    experiments_ended: int = 0  # past their end date, or decided
    experiments_decided: int = 0
    participants: int = 0
    comments: int = 0
    comments_answered: int = 0
    partners: int = 0  # accepted partner organizations, the lead among them
    # Organizations holding a responsibility, the city among them, and the top one's share.
    partners_with_responsibilities: int = 0
    largest_responsibility_share: float = 0.0
    partners_added: int = 0  # accepted in the period, after the lead
    levers_used: int = 0  # distinct levers named by progress updates
    needs_stated: int = 0
    needs_discussed: int = 0  # updated, or discussed at a check-in, in the period
    milestones_due: int = 0  # responsibilities due in the period
    milestones_kept: int = 0  # of those, done by their date or moved before it
    values_partners_agreed: int = 0  # parties (the city too) agreed to the current version
    values_written: bool = False


# How many partners beyond the lead, and how many levers, count as "enough".
ENOUGH_OTHER_PARTNERS = 2
ENOUGH_LEVERS = 4
ENOUGH_PARTICIPANTS = 3


def _parties(facts: Facts) -> int:
    """Who can hold the work: the partner organizations and the city."""
    return facts.partners + 1


def _evenness(facts: Facts) -> tuple[float, float]:
    """1 when responsibilities are spread evenly across the parties, 0 when one holds all."""
    if facts.partners_with_responsibilities == 0 or _parties(facts) < 2:
        return 0.0, 0.0
    even = 1 / _parties(facts)
    top = min(max(facts.largest_responsibility_share, even), 1.0)
    return (1 - top) / (1 - even), 1.0


def behaviour_signals(facts: Facts) -> list[Signal]:
    """The behaviour signals of every practice, with their weights (docs/health-scores.md)."""
    evenness, evenness_possible = _evenness(facts)
    return [
        Signal(
            "participants_invited",
            "beneficiaries-as-changemakers",
            min(facts.participants, ENOUGH_PARTICIPANTS),
            ENOUGH_PARTICIPANTS,
            1,
        ),
        Signal(
            "beneficiaries_present",
            "beneficiaries-as-changemakers",
            facts.checkins_with_beneficiaries,
            facts.checkins_held,
            2,
        ),
        Signal(
            "comments_answered",
            "beneficiaries-as-changemakers",
            facts.comments_answered,
            facts.comments,
            2,
        ),
        Signal(
            "responsibilities_shared",
            "shared-agency",
            min(facts.partners_with_responsibilities, _parties(facts)),
            _parties(facts) if facts.partners_with_responsibilities else 0,
            2,
        ),
        Signal("responsibilities_even", "shared-agency", evenness, evenness_possible, 1),
        Signal(
            "other_partners",
            "build-bridges",
            min(max(facts.partners - 1, 0), ENOUGH_OTHER_PARTNERS),
            ENOUGH_OTHER_PARTNERS,
            2,
        ),
        Signal("partners_added", "build-bridges", min(facts.partners_added, 1), 1, 1),
        Signal("indicators_fresh", "always-a-lab", facts.indicators_fresh, facts.indicators, 2),
        Signal(
            "experiments_decided",
            "always-a-lab",
            facts.experiments_decided,
            facts.experiments_ended,
            2,
        ),
        Signal(
            "levers_used", "use-all-tools", min(facts.levers_used, ENOUGH_LEVERS), ENOUGH_LEVERS, 3
        ),
        Signal("checkins_on_time", "the-long-view", facts.checkins_on_time, facts.checkins_due, 3),
        Signal("needs_stated", "honest-expectations", min(facts.needs_stated, 1), 1, 1),
        Signal(
            "needs_discussed",
            "honest-expectations",
            min(facts.needs_discussed, facts.needs_stated),
            facts.needs_stated,
            1,
        ),
        Signal(
            "milestones_kept",
            "honest-expectations",
            facts.milestones_kept,
            facts.milestones_due,
            2,
        ),
        Signal(
            "values_agreed",
            "shared-values",
            min(facts.values_partners_agreed, _parties(facts)) if facts.values_written else 0,
            _parties(facts),
            3,
        ),
    ]


# --- Outputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A group's (or everyone's) perception of one practice."""

    respondents: int
    mean: float | None  # on the 1-5 scale; None when hidden or when nobody rated
    hidden: Hidden | None = None
    # For SUBTRACTION and ROUNDS: the group whose answers showing this would reveal.
    protects: Group | None = None

    @property
    def score(self) -> int | None:
        return None if self.mean is None else to_percent(self.mean)


@dataclass(frozen=True)
class Contribution:
    """What one signal gave: ``points`` of ``possible_points`` towards the behaviour score."""

    key: str
    points: float
    possible_points: float
    achieved: float
    possible: float

    @property
    def has_data(self) -> bool:
        return self.possible > 0


@dataclass(frozen=True)
class PracticeScore:
    practice: str
    perception: int | None
    band: Band | None  # of the perception, on the survey's scale
    behaviour: int | None
    combined: int | None
    combined_band: Band | None
    # 0-1: how much data stood behind the combined score.
    confidence: float
    overall: Figure
    groups: Mapping[Group, Figure]
    # The largest gap, in points of 0-100, between two groups shown, and which two.
    spread: int | None
    spread_between: tuple[Group, Group] | None
    contributions: Sequence[Contribution]
    # Signal keys, most points first, whose improvement would raise the score most.
    would_raise: Sequence[str] = field(default_factory=tuple)
    formula_version: int = FORMULA_VERSION


# --- The arithmetic --------------------------------------------------------------------


def to_percent(mean: float) -> int:
    """1-5 on the survey's scale to 0-100."""
    return round((min(max(mean, 1.0), 5.0) - 1.0) / 4.0 * 100)


def band(mean: float) -> Band:
    """The Wilder Collaboration Factors Inventory's bands, on the 1-5 scale."""
    if mean >= 4.0:
        return Band.STRENGTH
    if mean >= 3.0:
        return Band.DISCUSS
    return Band.CONCERN


def score_band(score: int) -> Band:
    """The same bands for a 0-100 score: 4.0 on the scale is 75, 3.0 is 50."""
    if score >= 75:
        return Band.STRENGTH
    if score >= 50:
        return Band.DISCUSS
    return Band.CONCERN


def effective_threshold(threshold: int) -> int:
    return max(MIN_THRESHOLD, threshold)


def respondent_means(answers: Iterable[Answer], practice: str) -> dict[int, tuple[Group, float]]:
    """Each respondent's mean over the practice's statements they rated.

    A person who answered only "don't know" to all of them is not a respondent of this
    practice: they gave no figure to protect and none to count.
    """
    ratings: dict[int, list[float]] = {}
    groups: dict[int, Group] = {}
    for answer in answers:
        if answer.practice != practice or answer.rating is None:
            continue
        ratings.setdefault(answer.respondent, []).append(answer.rating)
        groups[answer.respondent] = answer.group
    return {person: (groups[person], fmean(values)) for person, values in ratings.items()}


def _unchanged_but_few(
    now: Mapping[int, float], before: Mapping[int, float] | None, threshold: int
) -> bool:
    """True when ``now`` is ``before`` with 1 to threshold-1 people in or out, the rest equal."""
    if before is None:
        return False
    changed = set(now) ^ set(before)
    if not 0 < len(changed) < threshold:
        return False
    common = set(now) & set(before)
    return all(math.isclose(now[p], before[p]) for p in common)


def perception_figures(
    means: Mapping[int, tuple[Group, float]],
    *,
    threshold: int = MIN_THRESHOLD,
    before: Mapping[int, tuple[Group, float]] | None = None,
) -> tuple[Figure, dict[Group, Figure]]:
    """The overall figure and each group's, with what must stay hidden hidden.

    ``before``: the same practice's respondent means in the round before, if any.
    """
    k = effective_threshold(threshold)
    by_group: dict[Group, dict[int, float]] = {g: {} for g in Group}
    for person, (group, value) in means.items():
        by_group[group][person] = value
    before_by_group: dict[Group, dict[int, float]] | None = None
    if before is not None:
        before_by_group = {g: {} for g in Group}
        for person, (group, value) in before.items():
            before_by_group[group][person] = value

    hidden: dict[Group, Hidden] = {}
    protects: dict[Group, Group] = {}
    for group, values in by_group.items():
        if 0 < len(values) < k:
            hidden[group] = Hidden.FEW
        elif values and _unchanged_but_few(
            values, before_by_group[group] if before_by_group else None, k
        ):
            hidden[group] = Hidden.ROUNDS

    everyone = {p: v for p, (_, v) in means.items()}
    overall_hidden: Hidden | None = None
    overall_protects: Group | None = None
    if 0 < len(everyone) < k:
        overall_hidden = Hidden.FEW
    else:
        # Rule 2: what the overall figure and the shown groups leave over must be at
        # least k people (or nobody). Hide the smallest shown group until it is, or hide
        # the overall figure when no group is left to hide.
        while True:
            residual = sum(len(by_group[g]) for g in hidden)
            if residual == 0 or residual >= k:
                break
            shown = [g for g in Group if g not in hidden and by_group[g]]
            victim = min(hidden, key=lambda g: len(by_group[g]))
            if not shown:
                overall_hidden, overall_protects = Hidden.SUBTRACTION, victim
                break
            smallest = min(shown, key=lambda g: (len(by_group[g]), g.value))
            hidden[smallest] = Hidden.SUBTRACTION
            protects[smallest] = victim
        if overall_hidden is None and everyone and before is not None:
            before_all = {p: v for p, (_, v) in before.items()}
            if _unchanged_but_few(everyone, before_all, k):
                overall_hidden = Hidden.ROUNDS

    groups = {
        group: Figure(
            respondents=len(values),
            mean=None if group in hidden or not values else fmean(values.values()),
            hidden=hidden.get(group),
            protects=protects.get(group),
        )
        for group, values in by_group.items()
    }
    overall = Figure(
        respondents=len(everyone),
        mean=None if overall_hidden or not everyone else fmean(everyone.values()),
        hidden=overall_hidden,
        protects=overall_protects,
    )
    return overall, groups


def remarks_visible(respondents: int, *, threshold: int = MIN_REMARKS) -> bool:
    """Free-text remarks of a group are shown only from this many respondents."""
    return respondents >= max(MIN_REMARKS, threshold)


def behaviour(signals: Sequence[Signal]) -> tuple[int | None, list[Contribution], float]:
    """The behaviour score, each signal's share of it, and the share of weight with data.

    A signal without data (nothing possible yet) neither helps nor hurts: its weight is
    left out of the sum, and the coverage says how much of the weight had data.
    """
    total_weight = sum(s.weight for s in signals)
    with_data = [s for s in signals if s.possible > 0]
    weight = sum(s.weight for s in with_data)
    contributions = []
    for s in signals:
        if s.possible > 0 and weight > 0:
            share = s.weight / weight * 100
            ratio = min(max(s.achieved / s.possible, 0.0), 1.0)
            contributions.append(Contribution(s.key, share * ratio, share, s.achieved, s.possible))
        else:
            contributions.append(Contribution(s.key, 0.0, 0.0, s.achieved, s.possible))
    if weight == 0:
        return None, contributions, 0.0
    score = round(sum(c.points for c in contributions))
    return min(max(score, 0), 100), contributions, weight / total_weight if total_weight else 0.0


# Perception and behaviour weigh the same: what people feel and what they do are both
# evidence, and neither should drown the other.
PERCEPTION_WEIGHT = 0.5
# Respondents at which perception is fully trusted for confidence purposes.
FULL_CONFIDENCE_RESPONDENTS = 9


def score_practice(
    practice: str,
    answers: Sequence[Answer],
    signals: Sequence[Signal],
    *,
    threshold: int = MIN_THRESHOLD,
    before: Sequence[Answer] | None = None,
) -> PracticeScore:
    means = respondent_means(answers, practice)
    before_means = respondent_means(before, practice) if before is not None else None
    overall, groups = perception_figures(means, threshold=threshold, before=before_means)
    practice_signals = [s for s in signals if s.practice == practice]
    behaviour_score, contributions, coverage = behaviour(practice_signals)

    perception = overall.score
    if perception is not None and behaviour_score is not None:
        combined: int | None = round(
            PERCEPTION_WEIGHT * perception + (1 - PERCEPTION_WEIGHT) * behaviour_score
        )
    else:
        combined = perception if perception is not None else behaviour_score

    perception_confidence = (
        min(overall.respondents / FULL_CONFIDENCE_RESPONDENTS, 1.0) if perception is not None else 0
    )
    confidence = PERCEPTION_WEIGHT * perception_confidence + (1 - PERCEPTION_WEIGHT) * coverage

    shown = [(g, f.score) for g, f in groups.items() if f.score is not None]
    spread: int | None = None
    between: tuple[Group, Group] | None = None
    if len(shown) >= 2:
        low = min(shown, key=lambda item: item[1] or 0)
        high = max(shown, key=lambda item: item[1] or 0)
        spread = (high[1] or 0) - (low[1] or 0)
        between = (high[0], low[0])

    missing = sorted(
        (c for c in contributions if c.has_data and c.points < c.possible_points - 1e-9),
        key=lambda c: c.possible_points - c.points,
        reverse=True,
    )
    return PracticeScore(
        practice=practice,
        perception=perception,
        band=band(overall.mean) if overall.mean is not None else None,
        behaviour=behaviour_score,
        combined=combined,
        combined_band=score_band(combined) if combined is not None else None,
        confidence=round(confidence, 2),
        overall=overall,
        groups=groups,
        spread=spread,
        spread_between=between,
        contributions=contributions,
        would_raise=tuple(c.key for c in missing),
    )


def score_all(
    answers: Sequence[Answer],
    signals: Sequence[Signal],
    *,
    threshold: int = MIN_THRESHOLD,
    before: Sequence[Answer] | None = None,
) -> list[PracticeScore]:
    """The eight practices' scores of one partnership for one round or period."""
    # Sorted by practice once, so that each practice reads only its own rows.
    by_practice: dict[str, list[Answer]] = {p: [] for p in PRACTICES}
    for answer in answers:
        by_practice.setdefault(answer.practice, []).append(answer)
    before_by: dict[str, list[Answer]] | None = None
    if before is not None:
        before_by = {p: [] for p in PRACTICES}
        for answer in before:
            before_by.setdefault(answer.practice, []).append(answer)
    signals_by: dict[str, list[Signal]] = {p: [] for p in PRACTICES}
    for signal in signals:
        signals_by.setdefault(signal.practice, []).append(signal)
    return [
        score_practice(
            p,
            by_practice[p],
            signals_by[p],
            threshold=threshold,
            before=before_by[p] if before_by is not None else None,
        )
        for p in PRACTICES
    ]
