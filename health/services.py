"""Every change in the health room: survey rounds and answers, shared values, and scores.

People's changes take the acting person, check the rule again (``health.permissions``),
validate, and write the event log inside the transaction. Scores are written by the system
(``scores_recompute``), in batches whose queries do not depend on how many partnerships a
batch holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import SYSTEM, Actor, log_event
from health import permissions
from health.events import Action
from health.facts import (
    Period,
    batch_rows,
    counts,
    gather,
    packed,
    plain_rows,
    round_answers,
    scope,
)
from health.models import (
    PracticeScore,
    RoundScore,
    ScoreFields,
    SurveyRating,
    SurveyResponse,
    SurveyRound,
    ValuesAgreement,
    ValuesVersion,
)
from health.scoring import FORMULA_VERSION, Answer, Facts, behaviour_signals, score_all
from health.scoring import PracticeScore as Score
from partnerships.models import Partnership
from playbook.models import Practice, SurveyStatement

if TYPE_CHECKING:
    from accounts.models import User

# A round runs for at least a week and at most a quarter.
MIN_ROUND_DAYS = 7
MAX_ROUND_DAYS = 92
# A current score that moves by this much (or changes band) is news: an event says so.
NOTABLE_CHANGE = 5


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Survey rounds ---------------------------------------------------------------------


@transaction.atomic
def round_open(
    *, actor: User, partnership: Partnership, closes_on: date, at: datetime | None = None
) -> SurveyRound:
    now = at or timezone.now()
    _require(permissions.can_run_rounds(actor, partnership))
    if partnership.archived_at is not None:
        raise ValidationError(_("An archived partnership runs no survey."))
    today = timezone.localdate(now)
    if closes_on < today + timedelta(days=MIN_ROUND_DAYS):
        raise ValidationError(
            {
                "closes_on": _("Give people at least a week: close it on %(day)s or later.")
                % {"day": today + timedelta(days=MIN_ROUND_DAYS)}
            }
        )
    if closes_on > today + timedelta(days=MAX_ROUND_DAYS):
        raise ValidationError(
            {
                "closes_on": _("A round runs at most three months: close it by %(day)s.")
                % {"day": today + timedelta(days=MAX_ROUND_DAYS)}
            }
        )
    # The partnership's row orders two people opening a round at the same moment.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    if partnership.survey_rounds.open().exists():
        raise ValidationError(_("A round is already open. Close it before opening the next."))
    number = (partnership.survey_rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    survey_round = SurveyRound(
        partnership=partnership, number=number, opened_at=now, opened_by=actor, closes_on=closes_on
    )
    try:
        with transaction.atomic():
            survey_round.save()
    except IntegrityError:
        raise ValidationError(
            _("A round is already open. Close it before opening the next.")
        ) from None
    log_event(
        actor=actor,
        action=Action.ROUND_OPENED,
        target=survey_round,
        partnership_id=partnership.pk,
        organization_id=partnership.city_id,
        data={"round": survey_round.pk, "number": number, "closes_on": closes_on},
        at=now,
    )
    return survey_round


@transaction.atomic
def round_close(
    *, actor: User | Actor, survey_round: SurveyRound, at: datetime | None = None
) -> bool:
    """Close the round and keep its scores. False if it was already closed (a rerun)."""
    now = at or timezone.now()
    if isinstance(actor, Actor):
        _require(actor == SYSTEM)
    else:
        _require(permissions.can_run_rounds(actor, survey_round.partnership))
    closed = SurveyRound.objects.filter(pk=survey_round.pk, closed_at__isnull=True).update(
        closed_at=now
    )
    if not closed:
        return False
    survey_round.closed_at = now
    _store_round_scores(survey_round, today=timezone.localdate(now), at=now)
    log_event(
        actor=actor,
        action=Action.ROUND_CLOSED,
        target=survey_round,
        partnership_id=survey_round.partnership_id,
        organization_id=survey_round.partnership.city_id,
        data={"round": survey_round.pk, "number": survey_round.number},
        at=now,
    )
    return True


def statements_for(group: str) -> list[SurveyStatement]:
    return [s for s in SurveyStatement.objects.select_related("practice") if s.is_asked_of(group)]


@transaction.atomic
def survey_answer(
    *,
    actor: User,
    survey_round: SurveyRound,
    ratings: Mapping[int, int | None],
    remark: str = "",
    at: datetime | None = None,
) -> SurveyResponse:
    """Record (or, while the round is open, change) this person's answers."""
    now = at or timezone.now()
    # The round's row: a close that runs at the same moment waits, or wins and refuses this.
    locked = SurveyRound.objects.select_for_update().filter(pk=survey_round.pk).first()
    if locked is None or locked.closed_at is not None:
        raise ValidationError(_("This round has closed; thank you all the same."))
    _require(permissions.can_answer(actor, survey_round))
    group = permissions.respondent_group(actor, survey_round.partnership)
    assert group is not None  # can_answer said so
    asked = {s.pk: s for s in statements_for(group)}
    unknown = set(ratings) - set(asked)
    if unknown:
        raise ValidationError(_("Some answers were for statements you were not asked."))
    for value in ratings.values():
        if value is not None and not 1 <= value <= 5:
            raise ValidationError(_("Each answer is from 1 to 5, or “don't know”."))
    if not any(value is not None for value in ratings.values()) and not remark.strip():
        raise ValidationError(_("Answer at least one statement, or write a remark."))
    response, created = SurveyResponse.objects.update_or_create(
        round=survey_round,
        respondent=actor,
        defaults={"group": group, "submitted_at": now, "remark": remark.strip()[:2000]},
    )
    response.ratings.all().delete()
    SurveyRating.objects.bulk_create(
        SurveyRating(response=response, statement_id=pk, rating=value)
        for pk, value in ratings.items()
    )
    log_event(
        actor=actor,
        action=Action.SURVEY_ANSWERED,
        target=survey_round,
        partnership_id=survey_round.partnership_id,
        organization_id=survey_round.partnership.city_id,
        data={"round": survey_round.pk, "first": created},
        at=now,
    )
    return response


def rounds_close_due(*, today: date | None = None) -> int:
    """Close every round whose closing day has passed; a rerun closes none twice."""
    day = today or timezone.localdate()
    closed = 0
    for survey_round in (
        SurveyRound.objects.open().filter(closes_on__lt=day).select_related("partnership")
    ):
        closed += round_close(actor=SYSTEM, survey_round=survey_round)
    return closed


# --- Shared values ---------------------------------------------------------------------


@transaction.atomic
def values_write(
    *,
    actor: User,
    partnership: Partnership,
    text: str,
    based_on: int,
    at: datetime | None = None,
) -> ValuesVersion:
    """A new version of the shared values. ``based_on``: the version the writer read (0 for
    none); someone else's newer version is not overwritten."""
    now = at or timezone.now()
    _require(permissions.can_write_values(actor, partnership))
    text = text.strip()
    if len(text) < 20:
        raise ValidationError(
            {"text": _("Write a few lines: what you put first, and how you work.")}
        )
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    current = partnership.values_versions.order_by("-number").first()
    if (current.number if current else 0) != based_on:
        raise ValidationError(
            _("Someone saved a newer version while you were writing. Read it, then change it.")
        )
    if current is not None and current.text == text:
        raise ValidationError({"text": _("This is the same text as the current version.")})
    version = ValuesVersion.objects.create(
        partnership=partnership,
        number=(current.number if current else 0) + 1,
        text=text,
        written_by=actor,
        written_at=now,
    )
    log_event(
        actor=actor,
        action=Action.VALUES_WRITTEN,
        target=version,
        partnership_id=partnership.pk,
        organization_id=partnership.city_id,
        data={"version": version.pk, "number": version.number},
        at=now,
    )
    return version


@transaction.atomic
def values_agree(
    *,
    actor: User,
    version: ValuesVersion,
    organization_id: int,
    at: datetime | None = None,
) -> ValuesAgreement:
    now = at or timezone.now()
    partnership = version.partnership
    if organization_id not in permissions.values_organizations(actor, partnership):
        raise PermissionDenied
    latest = partnership.values_versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise ValidationError(_("A newer version was written: read it and agree to that one."))
    agreement, created = ValuesAgreement.objects.get_or_create(
        version=version,
        organization_id=organization_id,
        defaults={"agreed_by": actor, "agreed_at": now},
    )
    if not created:
        raise ValidationError(_("Your organization has already agreed to this version."))
    log_event(
        actor=actor,
        action=Action.VALUES_AGREED,
        target=version,
        partnership_id=partnership.pk,
        organization_id=partnership.city_id,
        data={
            "version": version.pk,
            "number": version.number,
            "organization": organization_id,
            "organization_name": agreement.organization.name,
        },
        at=now,
    )
    return agreement


# --- Scores ----------------------------------------------------------------------------


def _detail(score: Score) -> dict[str, Any]:
    return {
        "perception_band": score.band.value if score.band else "",
        "overall": {
            "n": score.overall.respondents,
            "mean": score.overall.mean,
            "hidden": score.overall.hidden,
            "protects": score.overall.protects,
        },
        "groups": {
            group.value: {
                "n": figure.respondents,
                "score": figure.score,
                "hidden": figure.hidden,
                "protects": figure.protects,
            }
            for group, figure in score.groups.items()
        },
        "spread_between": list(score.spread_between) if score.spread_between else None,
        "contributions": [
            {
                "key": c.key,
                "points": round(c.points, 1),
                "possible_points": round(c.possible_points, 1),
                "achieved": c.achieved,
                "possible": c.possible,
            }
            for c in score.contributions
        ],
        "would_raise": list(score.would_raise),
    }


def _fields(score: Score, at: datetime) -> dict[str, Any]:
    return {
        "formula_version": score.formula_version,
        "perception": score.perception,
        "band": score.combined_band.value if score.combined_band else "",
        "behaviour": score.behaviour,
        "combined": score.combined,
        "confidence": score.confidence,
        "spread": score.spread,
        "detail": _detail(score),
        "computed_at": at,
    }


UPDATE_FIELDS = [
    f.name for f in ScoreFields._meta.get_fields() if f.name not in ("partnership", "practice")
]


def _closed_rounds(within: Q, before: datetime | None) -> QuerySet[SurveyRound, Any]:
    rounds = SurveyRound.objects.closed().filter(within)
    if before is not None:
        rounds = rounds.filter(closed_at__lte=before)
    return rounds.order_by("partnership_id", "-number").values_list("pk", "partnership_id")


def _rounds_by_partnership(
    ids: Sequence[int], before: datetime | None = None
) -> dict[int, list[int]]:
    """The closed rounds of each partnership, latest first (their ids)."""
    asked = set(ids)
    out: dict[int, list[int]] = {}
    _columns, rows = batch_rows(
        lambda within: _closed_rounds(within, before), ids, key=("closed rounds", before)
    )
    for pk, partnership_id in rows:
        if partnership_id in asked:
            out.setdefault(partnership_id, []).append(pk)
    return out


def _threshold() -> int:
    return int(getattr(settings, "TANDEM_SURVEY_THRESHOLD", 3))


def _score(
    pk: int, facts: Any, rounds: list[int], answers: Mapping[int, list[Answer]]
) -> list[Score]:
    latest = answers.get(rounds[0], []) if rounds else []
    before = answers.get(rounds[1]) if len(rounds) > 1 else None
    return score_all(latest, behaviour_signals(facts), threshold=_threshold(), before=before)


def _store_round_scores(survey_round: SurveyRound, *, today: date, at: datetime) -> None:
    ids = [survey_round.partnership_id]
    rounds = _rounds_by_partnership(ids, before=survey_round.closed_at).get(ids[0], [])
    answers = round_answers(rounds[:2])
    facts = gather(ids, Period.year_to(today))[ids[0]]
    practices = dict(Practice.objects.values_list("slug", "pk"))
    RoundScore.objects.filter(round=survey_round).delete()
    RoundScore.objects.bulk_create(
        RoundScore(
            round=survey_round,
            partnership_id=ids[0],
            practice_id=practices[score.practice],
            **_fields(score, at),
        )
        for score in _score(ids[0], facts, rounds, answers)
        if score.practice in practices
    )


def _inputs_key(prefix: bytes, values: Sequence[Any], rounds: Sequence[int]) -> str:
    """What a partnership's scores are made from: the formula and the threshold (``prefix``,
    from ``_inputs_prefix``), its facts (as ``health.facts.counts`` gives them) and the
    rounds it reads. The formula is a pure function, so the same key gives the same scores
    and nothing needs scoring again."""
    text = prefix + packed(values) + repr(tuple(rounds[:2])).encode()
    return hashlib.sha1(text, usedforsecurity=False).hexdigest()


def _inputs_prefix() -> bytes:
    return f"{FORMULA_VERSION}:{_threshold()}:".encode()


def _digests(within: Q) -> QuerySet[PracticeScore, Any]:
    return (
        PracticeScore.objects.filter(within)
        .values("partnership_id", "inputs")
        .annotate(n=Count("*"))
    )


def scores_recompute(*, ids: Sequence[int], at: datetime | None = None) -> int:
    """Recompute the current scores of these partnerships; returns how many rows changed.

    One batch: a fixed number of reads whatever its size, then one upsert of the rows that
    changed. A partnership whose inputs are those its stored scores were made from is not
    scored again. A notable change (``NOTABLE_CHANGE`` points, or a new band) is an event,
    one per partnership, so webhooks and notifications hear of it.
    """
    now = at or timezone.now()
    ids = list(ids)
    if not ids:
        return 0
    facts = counts(ids, Period.year_to(timezone.localdate(now)))
    rounds = _rounds_by_partnership(ids)
    practices = dict(plain_rows(Practice.objects.values_list("slug", "pk"))[1])
    prefix = _inputs_prefix()
    keys = {pk: _inputs_key(prefix, facts[pk], rounds.get(pk, ())) for pk in ids}
    # One row per partnership and digest: a partnership is up to date when all its
    # practices carry the digest of today's inputs.
    _columns, digests = batch_rows(_digests, ids, key="score digests")
    current = {(pk, inputs): n for pk, inputs, n in digests}
    stale = [pk for pk in ids if current.get((pk, keys[pk])) != len(practices)]
    stored: dict[int, dict[str, Any]] = {}
    for row in PracticeScore.objects.filter(scope(stale)).values(
        "partnership_id", "practice__slug", "combined", "band"
    ):
        stored.setdefault(row["partnership_id"], {})[row["practice__slug"]] = row
    cities = dict(Partnership.objects.filter(scope(stale, "pk")).values_list("pk", "city_id"))
    answers = round_answers([r for pk in stale for r in rounds.get(pk, [])[:2]])
    changed: list[PracticeScore] = []
    notable: dict[int, dict[str, list[int | None]]] = {}
    for pk in stale:
        if pk not in cities:
            continue
        for score in _score(pk, Facts(*facts[pk]), rounds.get(pk, []), answers):
            practice_id = practices.get(score.practice)
            if practice_id is None:
                continue
            fields = _fields(score, now)
            changed.append(
                PracticeScore(partnership_id=pk, practice_id=practice_id, inputs=keys[pk], **fields)
            )
            old = stored.get(pk, {}).get(score.practice)
            if old is not None and (
                old["band"] != fields["band"]
                or abs((old["combined"] or 0) - (fields["combined"] or 0)) >= NOTABLE_CHANGE
                or (old["combined"] is None) != (fields["combined"] is None)
            ):
                notable.setdefault(pk, {})[score.practice] = [old["combined"], fields["combined"]]
    with transaction.atomic():
        PracticeScore.objects.bulk_create(
            changed,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["partnership", "practice"],
            update_fields=UPDATE_FIELDS,
        )
        for pk, changes in notable.items():
            log_event(
                actor=SYSTEM,
                action=Action.SCORE_CHANGED,
                partnership_id=pk,
                organization_id=cities[pk],
                data={"changes": changes},
                at=now,
            )
    return len(changed)


def scores_recompute_all(*, batch: int = 2000, at: datetime | None = None) -> int:
    """Every partnership's current scores, batch after batch (bounded memory)."""
    changed = 0
    last = 0
    while True:
        ids = list(
            Partnership.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return changed
        changed += scores_recompute(ids=ids, at=at)
        last = ids[-1]
