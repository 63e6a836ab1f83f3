"""The partnership itself, its partners and their responsibilities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as accounts_services
from accounts.models import Invitation, Organization
from core.history import attribute
from core.versioning import StaleEdit, save_versioned
from partnerships import mail
from partnerships import permissions as perms
from partnerships.events import Action
from partnerships.models import (
    Measurement,
    Participant,
    Partner,
    Partnership,
    Reframing,
    Responsibility,
    StageChange,
)
from partnerships.services._common import (
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
from partnerships.services.checkins import checkin_ensure_next

if TYPE_CHECKING:
    from accounts.models import User
    from playbook.models import ModelPathway, Stage


def _public_needs_summary(visibility: str, public_summary: str) -> None:
    if visibility == Partnership.Visibility.PUBLIC_SUMMARY and not public_summary.strip():
        raise ValidationError(
            {
                "public_summary": _(
                    "Write the summary the public will read, or keep the partnership private."
                )
            }
        )


@dataclass(frozen=True)
class NewOrganization:
    """An organization that is not on Tandem yet, as the city knows it: invited by e-mail."""

    name: str
    kind: str
    email: str


def _invite_new_organization(
    actor: User, city: Organization, new: NewOrganization, prefix: str
) -> Invitation:
    """The organization created and its first administrator invited; the e-mail is ours."""
    try:
        return accounts_services.organization_invite_new(
            actor=actor,
            city=city,
            name=new.name,
            kind=new.kind,
            email=new.email,
            send_email=False,
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        # The form asks for these as ``<prefix>_name`` and so on.
        raise ValidationError(
            {f"{prefix}_{field}": messages for field, messages in error.message_dict.items()}
        ) from error


def _announce_invitation(partner: Partner, invitation: Invitation | None) -> None:
    """After the commit: the organization's administrators hear of it, or, for an
    organization new to Tandem, the address invited to administer it."""
    partner_id = partner.pk
    if invitation is None:
        transaction.on_commit(lambda: mail.partner_invitation_send(partner_id=partner_id))
    else:
        invitation_id = invitation.pk
        transaction.on_commit(
            lambda: mail.new_organization_invitation_send(
                partner_id=partner_id, invitation_id=invitation_id
            )
        )


@transaction.atomic
def partnership_create(
    *,
    actor: User,
    city: Organization,
    lead: Organization | None = None,
    new_lead: NewOrganization | None = None,
    title: str,
    goal: str,
    problem_statement: str,
    lead_role: str = "",
    pathway: ModelPathway | None = None,
    stage: Stage | None = None,
    status: str = Partnership.Status.EXPLORING,
    cadence: str = Partnership.Cadence.MONTHLY,
    start_date: date | None = None,
    point_of_contact: User | None = None,
    visibility: str = Partnership.Visibility.PRIVATE,
    public_summary: str = "",
    at: datetime | None = None,
) -> Partnership:
    now = moment(at)
    today = timezone.localdate(now)
    require(perms.can_create_partnership(actor, city.pk))
    required_text({"title": title, "goal": goal, "problem_statement": problem_statement})
    not_too_far_ahead(start_date, "start_date", today=today)
    not_too_early(start_date, "start_date")
    _public_needs_summary(visibility, public_summary)
    if not city.is_city:
        raise ValidationError({"city": _("Choose a city government.")})
    if (lead is None) == (new_lead is None):
        raise ValidationError(
            {
                "lead": _(
                    "Choose the lead partner from the search, or invite one that is not on "
                    "Tandem yet, not both."
                )
                if lead is not None
                else _("Choose the lead partner, or invite one that is not on Tandem yet.")
            }
        )
    if lead is not None and lead.is_city:
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
    invitation = None
    if new_lead is not None:
        invitation = _invite_new_organization(actor, city, new_lead, "new_lead")
        lead = invitation.organization
    assert lead is not None

    partnership = attribute(
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
            start_date=start_date or today,
            point_of_contact=contact,
            visibility=visibility,
            public_summary=public_summary.strip(),
            created_at=now,
            last_activity_at=now,
        ),
        actor,
        at,
    )
    partnership.full_clean()
    partnership.save()
    # The lead is invited like any partner: the partnership is proposed until it accepts.
    lead_partner = attribute(
        Partner(
            partnership=partnership,
            organization=lead,
            role_description=lead_role.strip() or _("Leads the work."),
            joined_on=partnership.start_date,
            added_by=actor,
            status=Partner.Status.INVITED,
            invited_at=now,
        ),
        actor,
        at,
    )
    lead_partner.save()
    if stage is not None:
        StageChange.objects.create(
            partnership=partnership,
            from_stage=None,
            to_stage=stage,
            changed_by=actor,
            changed_at=now,
            reason=_("Starting stage."),
        )
    record(
        partnership,
        actor,
        Action.CREATED,
        target=partnership,
        data={"title": partnership.title, "lead_id": lead.pk},
        at=now,
    )
    # The created event names the lead: it says the invitation too.
    _announce_invitation(lead_partner, invitation)
    checkin_ensure_next(partnership=partnership, at=now)
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


def _nothing_dated_before(partnership: Partnership, start_date: date | None) -> None:
    """A later start may not leave measurements or responsibilities dated before it."""
    if start_date is None or start_date <= partnership.start_date:
        return
    earlier = (
        partnership.responsibilities.filter(due_date__lt=start_date).exists()
        or Measurement.objects.filter(
            indicator__partnership=partnership, date__lt=start_date
        ).exists()
    )
    if earlier:
        raise ValidationError(
            {
                "start_date": _(
                    "Some measurements or responsibilities are dated before this: "
                    "the partnership must start on or before them."
                )
            }
        )


@transaction.atomic
def partnership_update(
    *,
    actor: User,
    partnership: Partnership,
    expected_version: int | None = None,
    at: datetime | None = None,
    **changes: Any,
) -> Partnership:
    """Writes the changed fields, if nobody saved the partnership since ``expected_version``
    (by default the version of the instance passed in); else :class:`StaleEdit`."""
    now = moment(at)
    require(perms.can_manage(actor, partnership))
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"Cannot update {sorted(unknown)}")
    not_too_far_ahead(changes.get("start_date"), "start_date", today=timezone.localdate(now))
    not_too_early(changes.get("start_date"), "start_date")
    _nothing_dated_before(partnership, changes.get("start_date"))
    contact = changes.get("point_of_contact")
    if contact is not None and partnership.city_id not in contact.city_ids():
        raise ValidationError(
            {"point_of_contact": _("The point of contact must work for the city.")}
        )
    _public_needs_summary(
        changes.get("visibility", partnership.visibility),
        changes.get("public_summary", partnership.public_summary) or "",
    )
    original = {name: getattr(partnership, name) for name in changes}
    for name, value in changes.items():
        setattr(partnership, name, value.strip() if isinstance(value, str) else value)
    try:
        partnership.full_clean()
        save_versioned(
            attribute(partnership, actor, at), fields=changes, expected_version=expected_version
        )
    except ValidationError:
        # The caller's instance must still show what is stored, not the refused values.
        for name, value in original.items():
            setattr(partnership, name, value)
        raise
    record(
        partnership,
        actor,
        Action.UPDATED,
        target=partnership,
        data={
            "changes": {
                name: [original[name], getattr(partnership, name)]
                for name in sorted(changes)
                if original[name] != getattr(partnership, name)
            }
        },
        at=now,
    )
    return partnership


@transaction.atomic
def partnership_reframe(
    *,
    actor: User,
    partnership: Partnership,
    statement: str,
    learned: str,
    reframed_on: date | None = None,
    at: datetime | None = None,
) -> Reframing:
    now = moment(at)
    require(perms.can_contribute(actor, partnership))
    required_text({"statement": statement, "learned": learned})
    not_in_future(reframed_on, "reframed_on", today=timezone.localdate(now))
    not_too_early(reframed_on, "reframed_on")
    if statement.strip() == partnership.problem_statement.strip():
        raise ValidationError(
            {"statement": _("This is the same as the current problem statement.")}
        )
    reframing = attribute(
        Reframing(
            partnership=partnership,
            reframed_on=reframed_on or timezone.localdate(now),
            previous_statement=partnership.problem_statement,
            statement=statement.strip(),
            learned=learned.strip(),
            author=actor,
        ),
        actor,
        at,
    )
    reframing.save()
    partnership.problem_statement = reframing.statement
    attribute(partnership, actor, at).save(update_fields=["problem_statement"])
    record(
        partnership,
        actor,
        Action.REFRAMED,
        target=reframing,
        data={"reframed_on": reframing.reframed_on, "learned": reframing.learned},
        at=now,
    )
    return reframing


@transaction.atomic
def partnership_move_stage(
    *, actor: User, partnership: Partnership, stage: Stage, reason: str, at: datetime | None = None
) -> StageChange:
    now = moment(at)
    require(perms.can_manage(actor, partnership))
    required_text({"reason": reason})
    if stage.pk == partnership.stage_id:
        raise ValidationError({"stage": _("The partnership is already at this stage.")})
    if partnership.pathway_id is not None and stage.pathway_id != partnership.pathway_id:
        raise ValidationError({"stage": _("This stage belongs to another pathway.")})
    from_stage_id = partnership.stage_id
    change = StageChange.objects.create(
        partnership=partnership,
        from_stage_id=from_stage_id,
        to_stage=stage,
        changed_by=actor,
        changed_at=now,
        reason=reason.strip(),
    )
    partnership.stage = stage
    partnership.pathway_id = stage.pathway_id
    attribute(partnership, actor, at).save(update_fields=["stage", "pathway"])
    record(
        partnership,
        actor,
        Action.STAGE_MOVED,
        target=change,
        data={"from_stage_id": from_stage_id, "to_stage_id": stage.pk, "to_stage": stage.name},
        at=now,
    )
    return change


# --- Partners and responsibilities ----------------------------------------------


def _record_invited(
    partnership: Partnership, actor: User, partner: Partner, *, at: datetime
) -> None:
    organization = partner.organization
    record(
        partnership,
        actor,
        Action.PARTNER_INVITED,
        target=partner,
        data={
            "organization_id": organization.pk,
            "organization": organization.name,
            "lead": organization.pk == partnership.lead_id,
        },
        at=at,
    )


@transaction.atomic
def partner_add(
    *,
    actor: User,
    partnership: Partnership,
    role_description: str,
    organization: Organization | None = None,
    new_organization: NewOrganization | None = None,
    at: datetime | None = None,
) -> Partner:
    """Invite an organization into the partnership: one on Tandem, or one new to it by e-mail.

    Its administrators accept or decline; until they accept it sees nothing private. An
    organization that declined may be invited again.
    """
    now = moment(at)
    require(perms.can_manage(actor, partnership))
    required_text({"role_description": role_description})
    if (organization is None) == (new_organization is None):
        raise ValidationError(
            {
                "organization": _(
                    "Choose an organization from the search, or invite one that is not on "
                    "Tandem yet, not both."
                )
                if organization is not None
                else _("Choose an organization, or invite one that is not on Tandem yet.")
            }
        )
    invitation = None
    existing = None
    if organization is not None:
        if organization.pk == partnership.city_id:
            raise ValidationError(
                {"organization": _("The city is already part of this partnership.")}
            )
        existing = (
            partnership.partners.select_for_update().filter(organization=organization).first()
        )
        if existing is not None and existing.status != Partner.Status.DECLINED:
            raise ValidationError(
                {
                    "organization": _("This organization is already a partner.")
                    if existing.status == Partner.Status.ACCEPTED
                    else _("This organization has already been invited.")
                }
            )
    else:
        assert new_organization is not None
        invitation = _invite_new_organization(
            actor, partnership.city, new_organization, "new_organization"
        )
        organization = invitation.organization
    partner = existing or Partner(partnership=partnership, organization=organization)
    # Invited again after declining: the earlier answer stays in the history.
    partner.role_description = role_description.strip()
    partner.joined_on = timezone.localdate(now)
    partner.added_by = actor
    partner.status = Partner.Status.INVITED
    partner.invited_at = now
    partner.responded_at = None
    partner.responded_by = None
    partner.decline_reason = ""
    attribute(partner, actor, at).save()
    partnership.forget_partner_organizations()
    _record_invited(partnership, actor, partner, at=now)
    _announce_invitation(partner, invitation)
    return partner


def _open_invitation(actor: User, partner: Partner) -> Partner:
    require(perms.can_answer_invitation(actor, partner))
    locked = Partner.objects.select_for_update().select_related("organization").get(pk=partner.pk)
    if locked.status != Partner.Status.INVITED:
        raise ValidationError(_("This invitation has already been answered."), code="answered")
    return locked


def _answered(partner: Partner, locked: Partner) -> None:
    """The caller's instances show the answer too."""
    for name in ("status", "responded_at", "responded_by_id", "decline_reason", "joined_on"):
        setattr(partner, name, getattr(locked, name))
    partner.partnership.forget_partner_organizations()
    partner.partnership.__dict__.pop("lead_status", None)


@transaction.atomic
def partner_accept(*, actor: User, partner: Partner, at: datetime | None = None) -> Partner:
    """An administrator of the invited organization says yes: from now on it is a partner."""
    now = moment(at)
    locked = _open_invitation(actor, partner)
    locked.status = Partner.Status.ACCEPTED
    locked.responded_at = now
    locked.responded_by = actor
    locked.joined_on = timezone.localdate(now)
    attribute(locked, actor, at).save(
        update_fields=["status", "responded_at", "responded_by", "joined_on"]
    )
    _answered(partner, locked)
    record(
        partner.partnership,
        actor,
        Action.PARTNER_ACCEPTED,
        target=locked,
        data={"organization_id": locked.organization_id, "organization": locked.organization.name},
        at=now,
    )
    return partner


DECLINE_REASON_LIMIT = 2000


@transaction.atomic
def partner_decline(
    *, actor: User, partner: Partner, reason: str = "", at: datetime | None = None
) -> Partner:
    """An administrator of the invited organization says no, with a reason if they like; the
    city reads it on the partnership's page."""
    now = moment(at)
    locked = _open_invitation(actor, partner)
    reason = (reason or "").strip()
    if len(reason) > DECLINE_REASON_LIMIT:
        raise ValidationError(
            {"reason": _("Use at most %(limit)d characters.") % {"limit": DECLINE_REASON_LIMIT}}
        )
    locked.status = Partner.Status.DECLINED
    locked.responded_at = now
    locked.responded_by = actor
    locked.decline_reason = reason
    attribute(locked, actor, at).save(
        update_fields=["status", "responded_at", "responded_by", "decline_reason"]
    )
    _answered(partner, locked)
    # The reason is for the city, on the partnership's page, not for the whole timeline.
    record(
        partner.partnership,
        actor,
        Action.PARTNER_DECLINED,
        target=locked,
        data={"organization_id": locked.organization_id, "organization": locked.organization.name},
        at=now,
    )
    return partner


@transaction.atomic
def partner_update(
    *, actor: User, partner: Partner, role_description: str, at: datetime | None = None
) -> Partner:
    require(perms.can_manage(actor, partner.partnership))
    required_text({"role_description": role_description})
    partner.role_description = role_description.strip()
    attribute(partner, actor, at).save(update_fields=["role_description"])
    record(
        partner.partnership,
        actor,
        Action.PARTNER_UPDATED,
        target=partner,
        data={
            "organization_id": partner.organization_id,
            "organization": partner.organization.name,
        },
        at=moment(at),
    )
    return partner


@transaction.atomic
def partner_remove(*, actor: User, partner: Partner, at: datetime | None = None) -> None:
    partnership = partner.partnership
    require(perms.can_manage(actor, partnership))
    if partner.organization_id == partnership.lead_id:
        raise ValidationError(_("The lead partner cannot be removed."))
    organization = partner.organization
    attribute(partner, actor, at).delete()
    partnership.forget_partner_organizations()
    record(
        partnership,
        actor,
        Action.PARTNER_REMOVED,
        data={"organization_id": organization.pk, "organization": organization.name},
        at=moment(at),
    )


def _responsibility_due(
    partnership: Partnership, due_date: date | None, at: datetime | None
) -> None:
    not_too_early(due_date, "due_date")
    not_before_start(due_date, "due_date", partnership)
    not_too_far_ahead(due_date, "due_date", today=timezone.localdate(moment(at)))


@transaction.atomic
def responsibility_add(
    *,
    actor: User,
    partnership: Partnership,
    organization: Organization,
    description: str,
    due_date: date | None = None,
    at: datetime | None = None,
) -> Responsibility:
    require(perms.can_contribute(actor, partnership))
    required_text({"description": description})
    within_length(Responsibility, {"description": description})
    _responsibility_due(partnership, due_date, at)
    allowed = partnership.partner_organization_ids() | {partnership.city_id}
    if organization.pk not in allowed:
        raise ValidationError({"organization": _("Choose one of the partners.")})
    responsibility = attribute(
        Responsibility(
            partnership=partnership,
            organization=organization,
            description=description.strip(),
            due_date=due_date,
            created_by=actor,
        ),
        actor,
        at,
    )
    responsibility.save()
    record(
        partnership,
        actor,
        Action.RESPONSIBILITY_ADDED,
        target=responsibility,
        data={
            "organization_id": organization.pk,
            "description": responsibility.description,
            "due_date": due_date,
        },
        at=moment(at),
    )
    return responsibility


@transaction.atomic
def responsibility_update(
    *,
    actor: User,
    responsibility: Responsibility,
    status: str,
    due_date: date | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Responsibility:
    require(perms.can_contribute(actor, responsibility.partnership))
    if status not in Responsibility.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if due_date != responsibility.due_date:
        # A date kept as it was stays acceptable, even if the rules came after it.
        _responsibility_due(responsibility.partnership, due_date, at)
    old_status, old_due = responsibility.status, responsibility.due_date
    responsibility.status = status
    responsibility.due_date = due_date
    try:
        save_versioned(
            attribute(responsibility, actor, at),
            fields=["status", "due_date"],
            expected_version=expected_version,
        )
    except StaleEdit:
        responsibility.status, responsibility.due_date = old_status, old_due
        raise
    record(
        responsibility.partnership,
        actor,
        Action.RESPONSIBILITY_UPDATED,
        target=responsibility,
        data={
            "description": responsibility.description,
            "status": [old_status, status],
            "due_date": [old_due, due_date],
        },
        at=moment(at),
    )
    return responsibility


# --- Participants -----------------------------------------------------------------


@transaction.atomic
def participant_add(
    *,
    actor: User,
    partnership: Partnership,
    user: User,
    role: str = Participant.Role.ADVISOR,
    invited_by: User | None = None,
    at: datetime | None = None,
) -> Participant:
    """Make ``user`` a participant: added by a contributor, or joining on a contributor's word.

    A person may add themselves only on the word of someone who may still contribute to the
    partnership (``invited_by``, whoever sent the invitation they accept); an invitation from
    someone who has since left the partnership carries no weight.
    """
    now = moment(at)
    joining = actor.pk == user.pk
    vouched_by = invited_by if joining else actor
    require(vouched_by is not None and perms.can_contribute(vouched_by, partnership))
    if role not in Participant.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if partnership.participants.filter(user=user).exists():
        raise ValidationError(
            {"email": _("This person already takes part in the partnership.")},
            code="already_participant",
        )
    participant = attribute(
        Participant(
            partnership=partnership,
            user=user,
            role=role,
            invited_by=vouched_by,
            created_at=now,
        ),
        actor,
        at,
    )
    participant.save()
    record(
        partnership,
        actor,
        Action.PARTICIPANT_ADDED,
        target=participant,
        data={"role": role, "joined": joining},
        at=now,
    )
    return participant


# --- Archiving and deleting -------------------------------------------------------


@transaction.atomic
def partnership_archive(
    *, actor: User, partnership: Partnership, at: datetime | None = None
) -> Partnership:
    """Takes the partnership out of the active portfolio; everything in it stays readable."""
    now = moment(at)
    require(perms.can_archive(actor, partnership))
    if not Partnership.objects.filter(pk=partnership.pk, archived_at__isnull=True).update(
        archived_at=now
    ):
        raise ValidationError(_("This partnership is already archived."))
    partnership.archived_at = now
    record(
        partnership,
        actor,
        Action.ARCHIVED,
        target=partnership,
        data={"title": partnership.title},
        at=now,
    )
    return partnership


@transaction.atomic
def partnership_unarchive(
    *, actor: User, partnership: Partnership, at: datetime | None = None
) -> Partnership:
    now = moment(at)
    require(perms.can_archive(actor, partnership))
    if not Partnership.objects.filter(pk=partnership.pk, archived_at__isnull=False).update(
        archived_at=None
    ):
        raise ValidationError(_("This partnership is not archived."))
    partnership.archived_at = None
    record(
        partnership,
        actor,
        Action.UNARCHIVED,
        target=partnership,
        data={"title": partnership.title},
        at=now,
    )
    return partnership


@transaction.atomic
def partnership_delete(
    *, actor: User, partnership: Partnership, at: datetime | None = None
) -> None:
    """Deletes a partnership created by mistake, before anything was recorded in it.

    Once the partners have recorded work (a check-in, progress, a measurement, a plan, an
    experiment, a financial need) it is theirs too: it can be archived, not deleted. The
    event keeps the title and id, and outlives the partnership (the log points at no row).
    """
    now = moment(at)
    require(perms.can_archive(actor, partnership))
    # Locked, so nothing is recorded in it between the check and the deletion.
    locked = Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    if locked is None:
        raise ValidationError(_("This partnership no longer exists."))
    if locked.has_recorded_work():
        raise ValidationError(
            _(
                "The partners have already recorded work in this partnership, so it cannot be "
                "deleted. Archive it instead."
            )
        )
    record(
        partnership,
        actor,
        Action.DELETED,
        target=partnership,
        data={"partnership_id": partnership.pk, "title": partnership.title},
        at=now,
    )
    attribute(locked, actor, at).delete()
