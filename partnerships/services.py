"""Every change to a partnership goes through one of these functions.

Views, the API, management commands and tasks call them alike. Each takes the
acting person, checks the permission again (a view's check is a courtesy, this
one is the rule), validates, writes in a transaction and adds a line to the
partnership's timeline. Bad input raises ``ValidationError`` with messages per
field and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from partnerships import permissions as perms
from partnerships.models import (
    Activity,
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Lever,
    Measurement,
    Partner,
    Partnership,
    PlanSection,
    PlanVersion,
    ProgressUpdate,
    Reframing,
    Responsibility,
    StageChange,
)

if TYPE_CHECKING:
    from accounts.models import User
    from playbook.models import Practice, Stage


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _attribute(obj: Any, actor: User | None) -> Any:
    """Tells simple_history who made the change, also outside a request."""
    obj._history_user = actor
    return obj


def _log(
    partnership: Partnership,
    actor: User | None,
    verb: str,
    summary: str = "",
    *,
    private: bool = False,
) -> Activity:
    now = timezone.now()
    activity = Activity.objects.create(
        partnership=partnership,
        actor=actor,
        verb=verb,
        summary=summary[:300],
        private=private,
        created_at=now,
    )
    Partnership.objects.filter(pk=partnership.pk).update(last_activity_at=now)
    partnership.last_activity_at = now
    return activity


def _not_in_future(value: date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


# Check-ins are scheduled by adding the cadence to these dates; a date near the end of the
# calendar would overflow there, and a date this far ahead is a typo anyway.
YEARS_AHEAD = 100


def _not_too_far_ahead(value: date | None, field: str) -> None:
    today = timezone.localdate()
    if value is not None and value.year > today.year + YEARS_AHEAD:
        raise ValidationError(
            {field: _("Choose a date before the year %(year)d.") % {"year": today.year + 101}}
        )


def _required_text(fields: dict[str, str | None]) -> None:
    errors = {
        name: _("This field is required.")
        for name, value in fields.items()
        if not (value or "").strip()
    }
    if errors:
        raise ValidationError(errors)


def _within_length(model: type[Any], fields: dict[str, str | None]) -> None:
    """A text longer than its column is a message, not a database error (PostgreSQL refuses it)."""
    errors = {}
    for name, value in fields.items():
        limit = model._meta.get_field(name).max_length
        if value and len(value.strip()) > limit:
            errors[name] = _("Use at most %(limit)d characters.") % {"limit": limit}
    if errors:
        raise ValidationError(errors)


def _acting_organization(actor: User, partnership: Partnership, organization: Organization) -> None:
    if organization.pk not in perms.organizations_for(actor, partnership):
        raise ValidationError(
            {
                "organization": _(
                    "You can only act for an organization you belong to in this partnership."
                )
            }
        )


# --- Partnership --------------------------------------------------------------


@transaction.atomic
def partnership_create(
    *,
    actor: User,
    city: Organization,
    lead: Organization,
    title: str,
    goal: str,
    problem_statement: str,
    lead_role: str = "",
    pathway: Any = None,
    stage: Stage | None = None,
    status: str = Partnership.Status.EXPLORING,
    cadence: str = Partnership.Cadence.MONTHLY,
    start_date: date | None = None,
    point_of_contact: User | None = None,
    visibility: str = Partnership.Visibility.PRIVATE,
    public_summary: str = "",
) -> Partnership:
    _require(perms.can_create_partnership(actor, city.pk))
    _required_text({"title": title, "goal": goal, "problem_statement": problem_statement})
    _not_too_far_ahead(start_date, "start_date")
    if not city.is_city:
        raise ValidationError({"city": _("Choose a city government.")})
    if lead.is_city:
        raise ValidationError({"lead": _("The lead partner must be a social enterprise or group.")})
    if stage is not None and pathway is not None and stage.pathway_id != pathway.pk:
        raise ValidationError({"stage": _("This stage belongs to another pathway.")})
    if pathway is None and stage is not None:
        pathway = stage.pathway
    if pathway is not None and stage is None:
        stage = pathway.stages.order_by("order").first()
    contact = point_of_contact or actor
    if city.pk not in contact.city_ids():
        raise ValidationError(
            {"point_of_contact": _("The point of contact must work for the city.")}
        )

    partnership = _attribute(
        Partnership(
            title=title.strip(),
            city=city,
            lead=lead,
            goal=goal.strip(),
            problem_statement=problem_statement.strip(),
            pathway=pathway,
            stage=stage,
            status=status,
            cadence=cadence,
            start_date=start_date or timezone.localdate(),
            point_of_contact=contact,
            visibility=visibility,
            public_summary=public_summary,
        ),
        actor,
    )
    partnership.full_clean()
    partnership.save()
    _attribute(
        Partner(
            partnership=partnership,
            organization=lead,
            role_description=lead_role.strip() or _("Leads the work."),
            joined_on=partnership.start_date,
            added_by=actor,
        ),
        actor,
    ).save()
    if stage is not None:
        StageChange.objects.create(
            partnership=partnership,
            from_stage=None,
            to_stage=stage,
            changed_by=actor,
            reason=_("Starting stage."),
        )
    _log(partnership, actor, Activity.Verb.CREATED, partnership.title)
    checkin_ensure_next(partnership=partnership)
    return partnership


UPDATABLE_FIELDS = {
    "title",
    "goal",
    "status",
    "cadence",
    "start_date",
    "point_of_contact",
    "visibility",
    "public_summary",
}


@transaction.atomic
def partnership_update(*, actor: User, partnership: Partnership, **changes: Any) -> Partnership:
    _require(perms.can_manage(actor, partnership))
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"Cannot update {sorted(unknown)}")
    _not_too_far_ahead(changes.get("start_date"), "start_date")
    contact = changes.get("point_of_contact")
    if contact is not None and partnership.city_id not in contact.city_ids():
        raise ValidationError(
            {"point_of_contact": _("The point of contact must work for the city.")}
        )
    original = {name: getattr(partnership, name) for name in changes}
    for name, value in changes.items():
        setattr(partnership, name, value.strip() if isinstance(value, str) else value)
    try:
        partnership.full_clean()
    except ValidationError:
        # The caller's instance must still show what is stored, not the refused values.
        for name, value in original.items():
            setattr(partnership, name, value)
        raise
    _attribute(partnership, actor).save()
    _log(partnership, actor, Activity.Verb.UPDATED, ", ".join(sorted(changes)))
    return partnership


@transaction.atomic
def partnership_reframe(
    *,
    actor: User,
    partnership: Partnership,
    statement: str,
    learned: str,
    reframed_on: date | None = None,
) -> Reframing:
    _require(perms.can_contribute(actor, partnership))
    _required_text({"statement": statement, "learned": learned})
    _not_in_future(reframed_on, "reframed_on")
    if statement.strip() == partnership.problem_statement.strip():
        raise ValidationError(
            {"statement": _("This is the same as the current problem statement.")}
        )
    reframing = _attribute(
        Reframing(
            partnership=partnership,
            reframed_on=reframed_on or timezone.localdate(),
            previous_statement=partnership.problem_statement,
            statement=statement.strip(),
            learned=learned.strip(),
            author=actor,
        ),
        actor,
    )
    reframing.save()
    partnership.problem_statement = reframing.statement
    _attribute(partnership, actor).save(update_fields=["problem_statement"])
    _log(partnership, actor, Activity.Verb.REFRAMED, reframing.learned)
    return reframing


@transaction.atomic
def partnership_move_stage(
    *, actor: User, partnership: Partnership, stage: Stage, reason: str
) -> StageChange:
    _require(perms.can_manage(actor, partnership))
    _required_text({"reason": reason})
    if stage.pk == partnership.stage_id:
        raise ValidationError({"stage": _("The partnership is already at this stage.")})
    if partnership.pathway_id is not None and stage.pathway_id != partnership.pathway_id:
        raise ValidationError({"stage": _("This stage belongs to another pathway.")})
    change = StageChange.objects.create(
        partnership=partnership,
        from_stage_id=partnership.stage_id,
        to_stage=stage,
        changed_by=actor,
        reason=reason.strip(),
    )
    partnership.stage = stage
    partnership.pathway_id = stage.pathway_id
    _attribute(partnership, actor).save(update_fields=["stage", "pathway"])
    _log(partnership, actor, Activity.Verb.STAGE_MOVED, stage.name)
    return change


# --- Partners and responsibilities ----------------------------------------------


@transaction.atomic
def partner_add(
    *, actor: User, partnership: Partnership, organization: Organization, role_description: str
) -> Partner:
    _require(perms.can_manage(actor, partnership))
    _required_text({"role_description": role_description})
    if organization.pk == partnership.city_id:
        raise ValidationError({"organization": _("The city is already part of this partnership.")})
    if partnership.partners.filter(organization=organization).exists():
        raise ValidationError({"organization": _("This organization is already a partner.")})
    partner = _attribute(
        Partner(
            partnership=partnership,
            organization=organization,
            role_description=role_description.strip(),
            added_by=actor,
        ),
        actor,
    )
    partner.save()
    partnership.forget_partner_organizations()
    _log(partnership, actor, Activity.Verb.PARTNER_ADDED, organization.name)
    return partner


@transaction.atomic
def partner_update(*, actor: User, partner: Partner, role_description: str) -> Partner:
    _require(perms.can_manage(actor, partner.partnership))
    _required_text({"role_description": role_description})
    partner.role_description = role_description.strip()
    _attribute(partner, actor).save(update_fields=["role_description"])
    _log(partner.partnership, actor, Activity.Verb.PARTNER_UPDATED, partner.organization.name)
    return partner


@transaction.atomic
def partner_remove(*, actor: User, partner: Partner) -> None:
    partnership = partner.partnership
    _require(perms.can_manage(actor, partnership))
    if partner.organization_id == partnership.lead_id:
        raise ValidationError(_("The lead partner cannot be removed."))
    name = partner.organization.name
    _attribute(partner, actor).delete()
    partnership.forget_partner_organizations()
    _log(partnership, actor, Activity.Verb.PARTNER_REMOVED, name)


@transaction.atomic
def responsibility_add(
    *,
    actor: User,
    partnership: Partnership,
    organization: Organization,
    description: str,
    due_date: date | None = None,
) -> Responsibility:
    _require(perms.can_contribute(actor, partnership))
    _required_text({"description": description})
    _within_length(Responsibility, {"description": description})
    allowed = partnership.partner_organization_ids() | {partnership.city_id}
    if organization.pk not in allowed:
        raise ValidationError({"organization": _("Choose one of the partners.")})
    responsibility = _attribute(
        Responsibility(
            partnership=partnership,
            organization=organization,
            description=description.strip(),
            due_date=due_date,
            created_by=actor,
        ),
        actor,
    )
    responsibility.save()
    _log(partnership, actor, Activity.Verb.RESPONSIBILITY_ADDED, responsibility.description)
    return responsibility


@transaction.atomic
def responsibility_update(
    *,
    actor: User,
    responsibility: Responsibility,
    status: str,
    due_date: date | None = None,
) -> Responsibility:
    _require(perms.can_contribute(actor, responsibility.partnership))
    if status not in Responsibility.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    responsibility.status = status
    responsibility.due_date = due_date
    _attribute(responsibility, actor).save(update_fields=["status", "due_date"])
    _log(
        responsibility.partnership,
        actor,
        Activity.Verb.RESPONSIBILITY_UPDATED,
        f"{responsibility.description}: {responsibility.get_status_display()}",
    )
    return responsibility


# --- Plan --------------------------------------------------------------------


@transaction.atomic
def plan_publish(
    *,
    actor: User,
    partnership: Partnership,
    sections: Sequence[tuple[str, str]],
    note: str = "",
) -> PlanVersion:
    """Publishes a new version; earlier versions stay readable as they were."""
    _require(perms.can_contribute(actor, partnership))
    cleaned = [(h.strip(), b.strip()) for h, b in sections if h.strip() or b.strip()]
    if not cleaned:
        raise ValidationError({"sections": _("A plan needs at least one section.")})
    for heading, body in cleaned:
        if not heading or not body:
            raise ValidationError({"sections": _("Every section needs a heading and a text.")})
        limit = PlanSection._meta.get_field("heading").max_length
        if len(heading) > limit:
            raise ValidationError(
                {"sections": _("Keep every heading to %(limit)d characters.") % {"limit": limit}}
            )
    _within_length(PlanVersion, {"note": note})
    # Lock the partnership row so two people publishing at once get distinct numbers.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = partnership.plan_versions.aggregate(n=Max("number"))["n"] or 0
    version = PlanVersion.objects.create(
        partnership=partnership, number=last + 1, note=note.strip(), published_by=actor
    )
    PlanSection.objects.bulk_create(
        PlanSection(version=version, order=i, heading=h, body=b)
        for i, (h, b) in enumerate(cleaned, start=1)
    )
    _log(partnership, actor, Activity.Verb.PLAN_PUBLISHED, _("Version %d") % version.number)
    return version


# --- Check-ins -----------------------------------------------------------------


def checkin_ensure_next(*, partnership: Partnership) -> CheckIn | None:
    """Keeps one check-in scheduled ahead for every partnership that is not closed.

    Idempotent: called after a check-in is recorded and by the periodic sweep.
    """
    with transaction.atomic():
        # The sweep and a recorded check-in may race: the row lock makes the second caller
        # wait and then find the check-in the first one scheduled. The status is read under
        # the lock too, so a partnership closed meanwhile gets nothing new.
        status = (
            Partnership.objects.select_for_update()
            .filter(pk=partnership.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status is None or status == Partnership.Status.CLOSED:
            return None
        return _checkin_schedule_next(partnership)


def _checkin_schedule_next(partnership: Partnership) -> CheckIn | None:
    if partnership.checkins.filter(status=CheckIn.Status.SCHEDULED).exists():
        return None
    last = (
        partnership.checkins.exclude(status=CheckIn.Status.SCHEDULED)
        .order_by("-due_date")
        .values_list("held_on", "due_date")
        .first()
    )
    base = (last[0] or last[1]) if last else max(partnership.start_date, timezone.localdate())
    try:
        due = base + partnership.cadence_interval()
    except OverflowError:
        # A date stored before dates were bounded, at the end of the calendar: nothing follows.
        return None
    if due < timezone.localdate():
        due = timezone.localdate() + partnership.cadence_interval()
    return CheckIn.objects.create(partnership=partnership, due_date=due)


@transaction.atomic
def checkin_schedule(*, actor: User, partnership: Partnership, due_date: date) -> CheckIn:
    _require(perms.can_contribute(actor, partnership))
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("Choose today or a later date.")})
    _not_too_far_ahead(due_date, "due_date")
    if partnership.checkins.filter(status=CheckIn.Status.SCHEDULED, due_date=due_date).exists():
        raise ValidationError({"due_date": _("A check-in is already scheduled on this date.")})
    checkin = _attribute(CheckIn(partnership=partnership, due_date=due_date), actor)
    checkin.save()
    _log(partnership, actor, Activity.Verb.CHECKIN_SCHEDULED, str(due_date))
    return checkin


@transaction.atomic
def checkin_record(
    *,
    actor: User,
    checkin: CheckIn,
    held: bool,
    held_on: date | None = None,
    attendees: Iterable[User] = (),
    attending_organizations: Iterable[Organization] = (),
    notes: str = "",
    decisions: str = "",
    follow_ups: str = "",
) -> CheckIn:
    partnership = checkin.partnership
    _require(perms.can_contribute(actor, partnership))
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.status != CheckIn.Status.SCHEDULED:
        raise ValidationError(_("This check-in has already been recorded."))
    if held:
        if held_on is None:
            raise ValidationError({"held_on": _("Say when the check-in was held.")})
        _not_in_future(held_on, "held_on")
    allowed_orgs = partnership.partner_organization_ids() | {partnership.city_id}
    orgs = list(attending_organizations)
    if any(org.pk not in allowed_orgs for org in orgs):
        raise ValidationError({"attending_organizations": _("Choose partner organizations only.")})
    # A check-in's attendees read its notes later: only people of the partnership qualify.
    people = list(attendees)
    if any(not perms.can_view(person, partnership) for person in people):
        raise ValidationError({"attendees": _("Choose people of this partnership only.")})
    checkin.status = CheckIn.Status.HELD if held else CheckIn.Status.MISSED
    checkin.held_on = held_on if held else None
    checkin.notes = notes.strip()
    checkin.decisions = decisions.strip()
    checkin.follow_ups = follow_ups.strip()
    checkin.recorded_by = actor
    checkin.recorded_at = timezone.now()
    _attribute(checkin, actor).save()
    checkin.attendees.set(people)
    checkin.attending_organizations.set(orgs)
    _log(
        partnership,
        actor,
        Activity.Verb.CHECKIN_RECORDED,
        _("held on %s") % held_on if held else _("missed (due %s)") % checkin.due_date,
    )
    checkin_ensure_next(partnership=partnership)
    return checkin


# --- Progress, evidence, experiments -----------------------------------------------


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
) -> ProgressUpdate:
    _require(perms.can_contribute(actor, partnership))
    _required_text({"text": text})
    _acting_organization(actor, partnership, organization)
    _not_in_future(on, "date")
    lever_list = list(dict.fromkeys(levers))
    if any(code not in Lever.values for code in lever_list):
        raise ValidationError({"levers": _("Choose levers from the list.")})
    update = _attribute(
        ProgressUpdate(
            partnership=partnership,
            author=actor,
            organization=organization,
            date=on or timezone.localdate(),
            text=text.strip(),
            levers=lever_list,
        ),
        actor,
    )
    update.save()
    update.practices.set(list(practices))
    _log(partnership, actor, Activity.Verb.PROGRESS_LOGGED, update.text[:120])
    return update


def _decimal(value: Any, field: str) -> Decimal:
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
) -> Indicator:
    _require(perms.can_contribute(actor, partnership))
    _required_text({"name": name, "unit": unit})
    _within_length(Indicator, {"name": name, "unit": unit})
    baseline_d, target_d = _decimal(baseline, "baseline"), _decimal(target, "target")
    if direction not in Indicator.Direction.values:
        raise ValidationError({"direction": _("Choose a direction.")})
    if baseline_d == target_d:
        raise ValidationError({"target": _("The target should differ from the baseline.")})
    if (direction == Indicator.Direction.UP) != (target_d > baseline_d):
        raise ValidationError({"target": _("The target does not match the direction you chose.")})
    indicator = _attribute(
        Indicator(
            partnership=partnership,
            name=name.strip(),
            unit=unit.strip(),
            direction=direction,
            baseline=baseline_d,
            target=target_d,
            target_date=target_date,
            created_by=actor,
        ),
        actor,
    )
    indicator.save()
    _log(partnership, actor, Activity.Verb.INDICATOR_ADDED, indicator.name)
    return indicator


@transaction.atomic
def measurement_add(
    *, actor: User, indicator: Indicator, on: date, value: Any, source: str
) -> Measurement:
    partnership = indicator.partnership
    _require(perms.can_contribute(actor, partnership))
    _required_text({"source": source})
    _within_length(Measurement, {"source": source})
    _not_in_future(on, "date")
    measurement = _attribute(
        Measurement(
            indicator=indicator,
            date=on,
            value=_decimal(value, "value"),
            source=source.strip(),
            entered_by=actor,
        ),
        actor,
    )
    measurement.save()
    _log(
        partnership,
        actor,
        Activity.Verb.MEASUREMENT_ADDED,
        f"{indicator.name}: {measurement.value} {indicator.unit}",
    )
    return measurement


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
) -> Experiment:
    _require(perms.can_contribute(actor, partnership))
    _required_text({"title": title, "hypothesis": hypothesis, "what_is_tried": what_is_tried})
    _within_length(Experiment, {"title": title})
    started = started_on or timezone.localdate()
    if ends_on is not None and ends_on < started:
        raise ValidationError({"ends_on": _("The end comes before the start.")})
    experiment = _attribute(
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
    )
    experiment.save()
    _log(partnership, actor, Activity.Verb.EXPERIMENT_STARTED, experiment.title)
    return experiment


@transaction.atomic
def experiment_close(
    *,
    actor: User,
    experiment: Experiment,
    result: str,
    decision: str,
    ended_on: date | None = None,
) -> Experiment:
    _require(perms.can_contribute(actor, experiment.partnership))
    _required_text({"result": result})
    if decision not in Experiment.Decision.values:
        raise ValidationError({"decision": _("Choose adopt, adapt or abandon.")})
    if experiment.decision:
        raise ValidationError(_("This experiment is already closed."))
    ended = ended_on or timezone.localdate()
    if ended < experiment.started_on:
        raise ValidationError({"ended_on": _("The end comes before the start.")})
    experiment.result = result.strip()
    experiment.decision = decision
    experiment.ends_on = ended
    _attribute(experiment, actor).save()
    _log(
        experiment.partnership,
        actor,
        Activity.Verb.EXPERIMENT_CLOSED,
        f"{experiment.title}: {experiment.get_decision_display()}",
    )
    return experiment


# --- Money -------------------------------------------------------------------


@transaction.atomic
def need_state(
    *,
    actor: User,
    partnership: Partnership,
    organization: Organization,
    amount: Any,
    currency: str,
    period: str,
    purpose: str,
) -> FinancialNeed:
    _require(perms.can_state_need(actor, partnership))
    _required_text({"period": period, "purpose": purpose})
    _within_length(FinancialNeed, {"period": period})
    _acting_organization(actor, partnership, organization)
    amount_d = _decimal(amount, "amount")
    if amount_d <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    code = (currency or "").strip().upper()
    # isalpha() alone would take "ÉUR": currency codes are three ASCII letters.
    if len(code) != 3 or not (code.isascii() and code.isalpha()):
        raise ValidationError({"currency": _("Use a three-letter currency code, such as USD.")})
    need = _attribute(
        FinancialNeed(
            partnership=partnership,
            organization=organization,
            amount=amount_d,
            currency=code,
            period=period.strip(),
            purpose=purpose.strip(),
            stated_by=actor,
        ),
        actor,
    )
    need.save()
    _log(
        partnership,
        actor,
        Activity.Verb.NEED_STATED,
        f"{organization.name}: {amount_d} {code}",
        private=True,
    )
    return need


@transaction.atomic
def need_update(
    *, actor: User, need: FinancialNeed, status: str, discussion_notes: str = ""
) -> FinancialNeed:
    _require(perms.can_see_money(actor, need.partnership))
    if status not in FinancialNeed.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    need.status = status
    need.discussion_notes = discussion_notes.strip()
    _attribute(need, actor).save(update_fields=["status", "discussion_notes"])
    _log(
        need.partnership,
        actor,
        Activity.Verb.NEED_UPDATED,
        f"{need.organization.name}: {need.get_status_display()}",
        private=True,
    )
    return need
