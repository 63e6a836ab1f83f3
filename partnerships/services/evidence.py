"""What the partners learn: progress, indicators with their measurements, experiments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from core.events import NewEvent, log_events
from core.history import attribute
from core.versioning import StaleEdit, save_versioned
from partnerships import permissions as perms
from partnerships.events import Action
from partnerships.models import (
    Experiment,
    Indicator,
    Lever,
    Measurement,
    Partnership,
    ProgressUpdate,
)
from partnerships.services._common import (
    acting_organization,
    moment,
    not_before_start,
    not_in_future,
    not_too_early,
    not_too_far_ahead,
    record,
    require,
    required_text,
    within_length,
)

if TYPE_CHECKING:
    from accounts.models import User
    from playbook.models import Practice


def decimal_value(value: Any, field: str) -> Decimal:
    """A number as a money or measurement column stores it, or a message for the field."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError({field: _("Enter a number of a sensible size.")})
    # Rounded here as the column would store it, so the checks below see the stored value
    # (0.001 is not "more than zero") and rounding can never overflow the column.
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(number) >= Decimal("1e12"):
        raise ValidationError({field: _("Enter a number of a sensible size.")})
    return number


def within_range(
    value: Decimal, field: str, *, unit: str, allows_negative: bool, allows_above_100: bool
) -> None:
    """Counts and percentages do not go below zero, percentages not above 100, unless the
    indicator says they may."""
    if value < 0 and not allows_negative:
        raise ValidationError({field: _("This indicator does not take values below zero.")})
    if value > 100 and not allows_above_100 and Indicator.unit_is_percentage(unit):
        raise ValidationError({field: _("This percentage cannot be above 100.")})


@transaction.atomic
def progress_log(
    *,
    actor: User,
    partnership: Partnership,
    organization: Organization,
    text: str,
    on: date | None = None,
    practices: Iterable[Practice] = (),
    levers: Iterable[str] = (),
    at: datetime | None = None,
) -> ProgressUpdate:
    now = moment(at)
    require(perms.can_contribute(actor, partnership))
    required_text({"text": text})
    acting_organization(actor, partnership, organization)
    not_in_future(on, "date", today=timezone.localdate(now))
    not_too_early(on, "date")
    lever_list = list(dict.fromkeys(levers))
    if any(code not in Lever.values for code in lever_list):
        raise ValidationError({"levers": _("Choose levers from the list.")})
    practice_list = list(practices)
    update = attribute(
        ProgressUpdate(
            partnership=partnership,
            author=actor,
            organization=organization,
            date=on or timezone.localdate(now),
            text=text.strip(),
            levers=lever_list,
            created_at=now,
        ),
        actor,
        at,
    )
    update.save()
    update.practices.set(practice_list)
    record(
        partnership,
        actor,
        Action.PROGRESS_LOGGED,
        target=update,
        data={
            "organization_id": organization.pk,
            "date": update.date,
            "excerpt": update.text[:120],
            "practice_ids": [p.pk for p in practice_list],
            "levers": lever_list,
        },
        at=now,
    )
    return update


def _indicator_checks(
    name: str,
    unit: str,
    direction: str,
    baseline: Any,
    target: Any,
    *,
    target_date: date | None,
    allows_negative: bool,
    allows_above_100: bool,
    today: date,
) -> tuple[Decimal, Decimal]:
    """What a new or edited indicator must be; its baseline and target as stored."""
    required_text({"name": name, "unit": unit})
    within_length(Indicator, {"name": name, "unit": unit})
    baseline_d, target_d = decimal_value(baseline, "baseline"), decimal_value(target, "target")
    for field, number in (("baseline", baseline_d), ("target", target_d)):
        within_range(
            number,
            field,
            unit=unit,
            allows_negative=allows_negative,
            allows_above_100=allows_above_100,
        )
    not_too_early(target_date, "target_date")
    not_too_far_ahead(target_date, "target_date", today=today)
    if direction not in Indicator.Direction.values:
        raise ValidationError({"direction": _("Choose a direction.")})
    if baseline_d == target_d:
        raise ValidationError({"target": _("The target should differ from the baseline.")})
    if (direction == Indicator.Direction.UP) != (target_d > baseline_d):
        raise ValidationError({"target": _("The target does not match the direction you chose.")})
    return baseline_d, target_d


@transaction.atomic
def indicator_create(
    *,
    actor: User,
    partnership: Partnership,
    name: str,
    unit: str,
    direction: str,
    baseline: Any,
    target: Any,
    target_date: date,
    allows_negative: bool = False,
    allows_above_100: bool = False,
    at: datetime | None = None,
) -> Indicator:
    require(perms.can_contribute(actor, partnership))
    baseline_d, target_d = _indicator_checks(
        name,
        unit,
        direction,
        baseline,
        target,
        target_date=target_date,
        allows_negative=allows_negative,
        allows_above_100=allows_above_100,
        today=timezone.localdate(moment(at)),
    )
    indicator = attribute(
        Indicator(
            partnership=partnership,
            name=name.strip(),
            unit=unit.strip(),
            direction=direction,
            baseline=baseline_d,
            target=target_d,
            target_date=target_date,
            allows_negative=allows_negative,
            allows_above_100=allows_above_100,
            created_by=actor,
        ),
        actor,
        at,
    )
    indicator.save()
    record(
        partnership,
        actor,
        Action.INDICATOR_ADDED,
        target=indicator,
        data={"name": indicator.name, "unit": indicator.unit},
        at=moment(at),
    )
    return indicator


def _measurement_checks(
    indicator: Indicator, on: date, value: Any, source: str, *, now: datetime
) -> Decimal:
    """What a new or corrected measurement must be; its value as stored."""
    required_text({"source": source})
    within_length(Measurement, {"source": source})
    not_in_future(on, "date", today=timezone.localdate(now))
    not_too_early(on, "date")
    not_before_start(on, "date", indicator.partnership)
    value_d = decimal_value(value, "value")
    within_range(
        value_d,
        "value",
        unit=indicator.unit,
        allows_negative=indicator.allows_negative,
        allows_above_100=indicator.allows_above_100,
    )
    return value_d


@transaction.atomic
def measurement_add(
    *,
    actor: User,
    indicator: Indicator,
    on: date,
    value: Any,
    source: str,
    at: datetime | None = None,
) -> Measurement:
    now = moment(at)
    partnership = indicator.partnership
    require(perms.can_contribute(actor, partnership))
    value_d = _measurement_checks(indicator, on, value, source, now=now)
    measurement = attribute(
        Measurement(
            indicator=indicator,
            date=on,
            value=value_d,
            source=source.strip(),
            entered_by=actor,
            created_at=now,
        ),
        actor,
        at,
    )
    measurement.save()
    record(
        partnership,
        actor,
        Action.MEASUREMENT_ADDED,
        target=measurement,
        data={
            "indicator_id": indicator.pk,
            "indicator": indicator.name,
            "value": str(measurement.value),
            "unit": indicator.unit,
            "date": on,
        },
        at=now,
    )
    return measurement


@dataclass(frozen=True)
class NewMeasurement:
    """One row of :func:`measurements_add`."""

    indicator: Indicator
    on: date
    value: Any
    source: str


class RowErrors(ValidationError):
    """Refused rows of :func:`measurements_add`: ``rows`` maps a row's index to its
    messages per field."""

    def __init__(self, rows: dict[int, dict[str, list[str]]]) -> None:
        super().__init__(_("Some rows were refused: nothing was saved."), code="rows")
        self.rows = rows


@transaction.atomic
def measurements_add(
    *, actor: User, rows: Sequence[NewMeasurement], at: datetime | None = None
) -> list[Measurement]:
    """Adds many measurements at once, all or none: each row meets the rules of
    :func:`measurement_add`, and the writes are a few bulk INSERTs whatever the number of
    rows (the indicators come loaded with their partnership)."""
    now = moment(at)
    partnerships = {row.indicator.partnership_id: row.indicator.partnership for row in rows}
    for partnership in partnerships.values():
        require(perms.can_contribute(actor, partnership))
    errors: dict[int, dict[str, list[str]]] = {}
    values: list[Decimal] = []
    for index, row in enumerate(rows):
        try:
            values.append(
                _measurement_checks(row.indicator, row.on, row.value, row.source, now=now)
            )
        except ValidationError as error:
            errors[index] = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            )
    if errors:
        raise RowErrors(errors)
    measurements = Measurement.objects.bulk_create(
        Measurement(
            indicator=row.indicator,
            date=row.on,
            value=value,
            source=row.source.strip(),
            entered_by=actor,
            created_at=now,
        )
        for row, value in zip(rows, values, strict=True)
    )
    Measurement.history.bulk_history_create(measurements, default_user=actor, default_date=now)
    log_events(
        actor=actor,
        action=Action.MEASUREMENT_ADDED,
        events=[
            NewEvent(
                target=measurement,
                partnership_id=measurement.indicator.partnership_id,
                organization_id=measurement.indicator.partnership.city_id,
                data={
                    "indicator_id": measurement.indicator_id,
                    "indicator": measurement.indicator.name,
                    "value": str(measurement.value),
                    "unit": measurement.indicator.unit,
                    "date": measurement.date,
                },
            )
            for measurement in measurements
        ],
        at=now,
    )
    Partnership.objects.filter(pk__in=partnerships).update(last_activity_at=now)
    return measurements


@transaction.atomic
def experiment_start(
    *,
    actor: User,
    partnership: Partnership,
    title: str,
    hypothesis: str,
    what_is_tried: str,
    started_on: date | None = None,
    ends_on: date | None = None,
    at: datetime | None = None,
) -> Experiment:
    now = moment(at)
    require(perms.can_contribute(actor, partnership))
    required_text({"title": title, "hypothesis": hypothesis, "what_is_tried": what_is_tried})
    within_length(Experiment, {"title": title})
    not_too_early(started_on, "started_on")
    not_too_far_ahead(started_on, "started_on", today=timezone.localdate(now))
    not_too_far_ahead(ends_on, "ends_on", today=timezone.localdate(now))
    started = started_on or timezone.localdate(now)
    if ends_on is not None and ends_on < started:
        raise ValidationError({"ends_on": _("The end comes before the start.")})
    experiment = attribute(
        Experiment(
            partnership=partnership,
            title=title.strip(),
            hypothesis=hypothesis.strip(),
            what_is_tried=what_is_tried.strip(),
            started_on=started,
            ends_on=ends_on,
            created_by=actor,
        ),
        actor,
        at,
    )
    experiment.save()
    record(
        partnership,
        actor,
        Action.EXPERIMENT_STARTED,
        target=experiment,
        data={"title": experiment.title, "started_on": started, "ends_on": ends_on},
        at=now,
    )
    return experiment


@transaction.atomic
def experiment_close(
    *,
    actor: User,
    experiment: Experiment,
    result: str,
    decision: str,
    ended_on: date | None = None,
    at: datetime | None = None,
) -> Experiment:
    now = moment(at)
    require(perms.can_contribute(actor, experiment.partnership))
    required_text({"result": result})
    if decision not in Experiment.Decision.values:
        raise ValidationError({"decision": _("Choose adopt, adapt or abandon.")})
    if experiment.decision:
        raise ValidationError(_("This experiment is already closed."))
    not_too_far_ahead(ended_on, "ended_on", today=timezone.localdate(now))
    ended = ended_on or timezone.localdate(now)
    if ended < experiment.started_on:
        raise ValidationError({"ended_on": _("The end comes before the start.")})
    experiment.result = result.strip()
    experiment.decision = decision
    experiment.ends_on = ended
    attribute(experiment, actor, at).save()
    record(
        experiment.partnership,
        actor,
        Action.EXPERIMENT_CLOSED,
        target=experiment,
        data={"title": experiment.title, "decision": decision, "ended_on": ended},
        at=now,
    )
    return experiment


# --- Corrections: an indicator edited, a measurement or an update corrected or withdrawn ---

INDICATOR_FIELDS = [
    "name",
    "unit",
    "direction",
    "baseline",
    "target",
    "target_date",
    "allows_negative",
    "allows_above_100",
]


@transaction.atomic
def indicator_update(
    *,
    actor: User,
    indicator: Indicator,
    name: str,
    unit: str,
    direction: str,
    baseline: Any,
    target: Any,
    target_date: date,
    allows_negative: bool = False,
    allows_above_100: bool = False,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Indicator:
    """Edits an indicator, if nobody saved it since ``expected_version``."""
    partnership = indicator.partnership
    require(perms.can_contribute(actor, partnership))
    baseline_d, target_d = _indicator_checks(
        name,
        unit,
        direction,
        baseline,
        target,
        target_date=target_date,
        allows_negative=allows_negative,
        allows_above_100=allows_above_100,
        today=timezone.localdate(moment(at)),
    )
    before = {field: getattr(indicator, field) for field in INDICATOR_FIELDS}
    indicator.name, indicator.unit, indicator.direction = name.strip(), unit.strip(), direction
    indicator.baseline, indicator.target, indicator.target_date = baseline_d, target_d, target_date
    indicator.allows_negative, indicator.allows_above_100 = allows_negative, allows_above_100
    try:
        save_versioned(
            attribute(indicator, actor, at),
            fields=INDICATOR_FIELDS,
            expected_version=expected_version,
        )
    except StaleEdit:
        for field, value in before.items():
            setattr(indicator, field, value)
        raise
    record(
        partnership,
        actor,
        Action.INDICATOR_UPDATED,
        target=indicator,
        data={
            "name": indicator.name,
            "changes": {
                field: [before[field], getattr(indicator, field)]
                for field in INDICATOR_FIELDS
                if before[field] != getattr(indicator, field)
            },
        },
        at=moment(at),
    )
    return indicator


def _still_current(item: Measurement | ProgressUpdate) -> None:
    if item.withdrawn_at is not None:
        raise ValidationError(_("This was withdrawn and can no longer be changed."))


@transaction.atomic
def measurement_correct(
    *,
    actor: User,
    measurement: Measurement,
    on: date,
    value: Any,
    source: str,
    at: datetime | None = None,
) -> Measurement:
    """Corrects a measurement; the value it had stays in its history and on the timeline."""
    now = moment(at)
    indicator = measurement.indicator
    partnership = indicator.partnership
    require(perms.can_correct(actor, partnership, author_id=measurement.entered_by_id))
    _still_current(measurement)
    value_d = _measurement_checks(indicator, on, value, source, now=now)
    old_value, old_date = measurement.value, measurement.date
    measurement.value = value_d
    measurement.date = on
    measurement.source = source.strip()
    attribute(measurement, actor, at).save(update_fields=["value", "date", "source"])
    record(
        partnership,
        actor,
        Action.MEASUREMENT_CORRECTED,
        target=measurement,
        data={
            "indicator_id": indicator.pk,
            "indicator": indicator.name,
            "unit": indicator.unit,
            "value": [str(old_value), str(measurement.value)],
            "date": [old_date, on],
        },
        at=now,
    )
    return measurement


@transaction.atomic
def measurement_withdraw(
    *, actor: User, measurement: Measurement, at: datetime | None = None
) -> Measurement:
    """Takes a measurement out of the charts, lists and exports; history keeps it."""
    now = moment(at)
    indicator = measurement.indicator
    partnership = indicator.partnership
    require(perms.can_correct(actor, partnership, author_id=measurement.entered_by_id))
    _still_current(measurement)
    measurement.withdrawn_at, measurement.withdrawn_by = now, actor
    attribute(measurement, actor, at).save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        partnership,
        actor,
        Action.MEASUREMENT_WITHDRAWN,
        target=measurement,
        data={
            "indicator_id": indicator.pk,
            "indicator": indicator.name,
            "unit": indicator.unit,
            "value": str(measurement.value),
            "date": measurement.date,
        },
        at=now,
    )
    return measurement


@transaction.atomic
def progress_correct(
    *,
    actor: User,
    update: ProgressUpdate,
    text: str,
    on: date,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> ProgressUpdate:
    """Corrects a progress update's text or date; the earlier text stays in its history.
    With ``expected_version``, only if nobody corrected it since (else ``StaleEdit``)."""
    now = moment(at)
    partnership = update.partnership
    require(perms.can_correct(actor, partnership, author_id=update.author_id))
    _still_current(update)
    required_text({"text": text})
    not_in_future(on, "date", today=timezone.localdate(now))
    not_too_early(on, "date")
    old_date, old_text = update.date, update.text
    update.text, update.date = text.strip(), on
    try:
        save_versioned(
            attribute(update, actor, at), fields=["text", "date"], expected_version=expected_version
        )
    except StaleEdit:
        update.text, update.date = old_text, old_date
        raise
    record(
        partnership,
        actor,
        Action.PROGRESS_CORRECTED,
        target=update,
        data={"excerpt": update.text[:120], "date": [old_date, on]},
        at=now,
    )
    return update


@transaction.atomic
def progress_withdraw(
    *, actor: User, update: ProgressUpdate, at: datetime | None = None
) -> ProgressUpdate:
    """Takes a progress update off the list; history and the timeline keep it."""
    now = moment(at)
    partnership = update.partnership
    require(perms.can_correct(actor, partnership, author_id=update.author_id))
    _still_current(update)
    update.withdrawn_at, update.withdrawn_by = now, actor
    attribute(update, actor, at).save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        partnership,
        actor,
        Action.PROGRESS_WITHDRAWN,
        target=update,
        data={"excerpt": update.text[:120], "date": update.date},
        at=now,
    )
    return update
