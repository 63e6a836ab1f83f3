"""Every change to a city's own playbook goes through one of these functions.

Each takes the acting person, checks the permission again, validates, writes in a
transaction and records an event (:mod:`cities.events`). A partnership opened from an
introduction is created by ``partnerships.services.partnership_create``, like any other.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from cities import permissions as perms
from cities.events import Action
from cities.models import (
    ChecklistItem,
    CityStory,
    Endorsement,
    Experience,
    Introduction,
    IntroductionNote,
    NetworkMember,
    Offer,
    PointOfContact,
    Statement,
    StatementComment,
    StatementInvitation,
    StatementSection,
    StatementVersion,
)
from core.events import Actor, log_event
from core.versioning import save_versioned
from partnerships import services as partnership_services
from playbook.models import GettingStartedStep

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Partnership
    from playbook.models import ModelPathway, Practice


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _text(fields: dict[str, str], *, optional: tuple[str, ...] = ()) -> dict[str, str]:
    """Stripped values; a required one left empty is a message on its field."""
    cleaned = {name: (value or "").strip() for name, value in fields.items()}
    errors = {
        name: _("This field is required.")
        for name, value in cleaned.items()
        if not value and name not in optional
    }
    if errors:
        raise ValidationError(errors)
    return cleaned


def _limit(fields: dict[str, str], limit: int = 10_000) -> None:
    errors = {
        name: _("Use at most %(limit)d characters.") % {"limit": limit}
        for name, value in fields.items()
        if len(value) > limit
    }
    if errors:
        raise ValidationError(errors)


# --- Point of contact ----------------------------------------------------------------------


@transaction.atomic
def contact_name(
    *,
    actor: User,
    city: Organization,
    person: User,
    public_email: str = "",
    how_to_reach: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> PointOfContact:
    _require(perms.can_name_contact(actor, city))
    if city.pk not in person.city_ids():
        raise ValidationError({"person": _("The point of contact must work for the city.")})
    how_to_reach = how_to_reach.strip()
    _limit({"how_to_reach": how_to_reach}, 2000)
    now = _now(at)
    contact = PointOfContact.objects.select_for_update().filter(city=city).first()
    if contact is None:
        contact = PointOfContact.objects.create(
            city=city,
            person=person,
            public_email=public_email.strip(),
            how_to_reach=how_to_reach,
            named_at=now,
        )
    else:
        contact.person = person
        contact.public_email = public_email.strip()
        contact.how_to_reach = how_to_reach
        contact.named_at = now
        save_versioned(
            contact,
            fields=["person", "public_email", "how_to_reach", "named_at"],
            expected_version=expected_version,
        )
    log_event(
        actor=actor,
        action=Action.CONTACT_NAMED,
        target=contact,
        organization_id=city.pk,
        data={"person": person.pk},
        at=now,
    )
    return contact


# --- The entrepreneur's offer ---------------------------------------------------------------


@transaction.atomic
def offer_save(
    *,
    actor: User,
    organization: Organization,
    who_we_are: str,
    value: str,
    needs: str,
    beneficiaries: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Offer:
    _require(perms.can_act_for(actor, organization))
    fields = _text(
        {"who_we_are": who_we_are, "value": value, "needs": needs, "beneficiaries": beneficiaries},
        optional=("beneficiaries",),
    )
    _limit(fields, 4000)
    now = _now(at)
    offer = Offer.objects.select_for_update().filter(organization=organization).first()
    if offer is None:
        offer = Offer.objects.create(
            organization=organization, updated_at=now, updated_by=actor, **fields
        )
    else:
        for name, text in fields.items():
            setattr(offer, name, text)
        offer.updated_at = now
        offer.updated_by = actor
        save_versioned(
            offer, fields=[*fields, "updated_at", "updated_by"], expected_version=expected_version
        )
    log_event(
        actor=actor,
        action=Action.OFFER_SAVED,
        target=offer,
        organization_id=organization.pk,
        at=now,
    )
    return offer


# --- Introductions --------------------------------------------------------------------------


@transaction.atomic
def introduction_send(
    *,
    actor: User,
    organization: Organization,
    city: Organization,
    message: str,
    at: datetime | None = None,
) -> Introduction:
    """The organization's offer, as it is now, goes to the city's point of contact."""
    _require(perms.can_introduce(actor, organization, city))
    (message,) = _text({"message": message}).values()
    _limit({"message": message}, 4000)
    offer = Offer.objects.filter(organization=organization).first()
    if offer is None:
        raise ValidationError(
            _("Write your organization's offer first: it travels with every introduction.")
        )
    if not PointOfContact.objects.filter(city=city).exists():
        raise ValidationError(_("This city has not named a point of contact yet."))
    if (
        Introduction.objects.select_for_update()
        .filter(
            city=city,
            organization=organization,
            status__in=[Introduction.Status.NEW, Introduction.Status.TALKING],
        )
        .exists()
    ):
        raise ValidationError(
            _("Your organization already has an open introduction with this city.")
        )
    now = _now(at)
    introduction = Introduction.objects.create(
        city=city,
        organization=organization,
        sent_by=actor,
        message=message,
        who_we_are=offer.who_we_are,
        value=offer.value,
        needs=offer.needs,
        beneficiaries=offer.beneficiaries,
        created_at=now,
    )
    members: list[int] = []
    if organization.kind == Organization.Kind.NETWORK:
        members = list(
            NetworkMember.objects.filter(network=organization).values_list(
                "organization_id", flat=True
            )
        )
        introduction.on_behalf_of.set(members)
    log_event(
        actor=actor,
        action=Action.INTRODUCTION_SENT,
        target=introduction,
        organization_id=city.pk,
        data={
            "introduction": introduction.pk,
            "organization_id": organization.pk,
            "organization": organization.name,
            "on_behalf_of": members,
        },
        at=now,
    )
    return introduction


def _handled(introduction: Introduction, actor: User, now: datetime) -> None:
    introduction.handled_by = actor
    introduction.handled_at = now


@transaction.atomic
def introduction_set_status(
    *,
    actor: User,
    introduction: Introduction,
    status: str,
    reason: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Introduction:
    _require(perms.can_handle_introductions(actor, introduction.city))
    reason = reason.strip()
    if status not in (Introduction.Status.TALKING, Introduction.Status.DECLINED):
        raise ValidationError(
            {"status": _("Choose “talking” or “declined”; a partnership is opened on its own.")}
        )
    if introduction.status == Introduction.Status.PARTNERSHIP_OPENED:
        raise ValidationError(_("A partnership was opened from this introduction."))
    if status == Introduction.Status.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why: the organization will read it.")})
    _limit({"reason": reason}, 2000)
    now = _now(at)
    old = introduction.status
    introduction.status = status
    introduction.decline_reason = reason if status == Introduction.Status.DECLINED else ""
    _handled(introduction, actor, now)
    save_versioned(
        introduction,
        fields=["status", "decline_reason", "handled_by", "handled_at"],
        expected_version=expected_version,
    )
    log_event(
        actor=actor,
        action=Action.INTRODUCTION_STATUS,
        target=introduction,
        organization_id=introduction.city_id,
        data={"introduction": introduction.pk, "from": old, "to": status},
        at=now,
    )
    return introduction


@transaction.atomic
def introduction_note(
    *, actor: User, introduction: Introduction, text: str, at: datetime | None = None
) -> IntroductionNote:
    _require(perms.can_handle_introductions(actor, introduction.city))
    (text,) = _text({"text": text}).values()
    _limit({"text": text}, 4000)
    now = _now(at)
    note = IntroductionNote.objects.create(
        introduction=introduction, author=actor, text=text, created_at=now
    )
    log_event(
        actor=actor,
        action=Action.INTRODUCTION_NOTED,
        target=introduction,
        organization_id=introduction.city_id,
        data={"introduction": introduction.pk},
        private=True,
        at=now,
    )
    return note


@transaction.atomic
def introduction_open_partnership(
    *,
    actor: User,
    introduction: Introduction,
    title: str,
    goal: str,
    problem_statement: str,
    pathway: ModelPathway | None = None,
    at: datetime | None = None,
) -> Partnership:
    """The partnership is created with the introducing organization invited as its lead."""
    _require(perms.can_handle_introductions(actor, introduction.city))
    locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if locked.status in (Introduction.Status.PARTNERSHIP_OPENED, Introduction.Status.DECLINED):
        raise ValidationError(_("This introduction is closed: no partnership can be opened."))
    now = _now(at)
    partnership = partnership_services.partnership_create(
        actor=actor,
        city=introduction.city,
        lead=introduction.organization,
        title=title,
        goal=goal,
        problem_statement=problem_statement,
        pathway=pathway,
        at=at,
    )
    old = locked.status
    locked.status = Introduction.Status.PARTNERSHIP_OPENED
    locked.partnership = partnership
    _handled(locked, actor, now)
    save_versioned(locked, fields=["status", "partnership", "handled_by", "handled_at"])
    log_event(
        actor=actor,
        action=Action.INTRODUCTION_OPENED,
        target=locked,
        organization_id=locked.city_id,
        partnership_id=partnership.pk,
        data={"introduction": locked.pk, "from": old, "partnership": partnership.pk},
        at=now,
    )
    return partnership


# --- Register of experiences ----------------------------------------------------------------

EXPERIENCE_FIELDS = ("department", "organization_name", "what_happened", "what_was_learned")


def _experience_fields(values: dict[str, str]) -> dict[str, str]:
    fields = _text(values)
    errors = {
        name: _("Use at most %(limit)d characters.") % {"limit": 200}
        for name in ("department", "organization_name")
        if len(fields[name]) > 200
    }
    if errors:
        raise ValidationError(errors)
    _limit(fields)
    return fields


@transaction.atomic
def experience_record(
    *,
    actor: User,
    city: Organization,
    department: str,
    organization_name: str,
    what_happened: str,
    what_was_learned: str,
    at: datetime | None = None,
) -> Experience:
    _require(perms.can_keep_register(actor, city))
    fields = _experience_fields(
        {
            "department": department,
            "organization_name": organization_name,
            "what_happened": what_happened,
            "what_was_learned": what_was_learned,
        }
    )
    now = _now(at)
    experience = Experience.objects.create(city=city, recorded_by=actor, recorded_at=now, **fields)
    log_event(
        actor=actor,
        action=Action.EXPERIENCE_RECORDED,
        target=experience,
        organization_id=city.pk,
        data={"department": experience.department},
        private=True,
        at=now,
    )
    return experience


@transaction.atomic
def experience_update(
    *,
    actor: User,
    experience: Experience,
    expected_version: int | None = None,
    at: datetime | None = None,
    **values: str,
) -> Experience:
    _require(perms.can_keep_register(actor, experience.city))
    fields = _experience_fields({name: values.get(name, "") for name in EXPERIENCE_FIELDS})
    for name, text in fields.items():
        setattr(experience, name, text)
    save_versioned(experience, fields=list(fields), expected_version=expected_version)
    log_event(
        actor=actor,
        action=Action.EXPERIENCE_UPDATED,
        target=experience,
        organization_id=experience.city_id,
        data={"department": experience.department},
        private=True,
        at=_now(at),
    )
    return experience


# --- Engagement statement -------------------------------------------------------------------


def statement_ensure(city: Organization) -> Statement:
    """The city's statement with its three sections, created the first time it is needed."""
    statement, _created = Statement.objects.get_or_create(city=city)
    for order, key in enumerate(StatementSection.Key.values, start=1):
        StatementSection.objects.get_or_create(
            statement=statement, key=key, defaults={"order": order}
        )
    return statement


@transaction.atomic
def statement_section_edit(
    *,
    actor: User,
    city: Organization,
    key: str,
    body: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> StatementSection:
    _require(perms.can_edit_statement(actor, city))
    statement = statement_ensure(city)
    section = statement.sections.get(key=key)
    body = body.strip()
    _limit({"body": body})
    section.body = body
    section.updated_at = _now(at)
    section.updated_by = actor
    save_versioned(
        section, fields=["body", "updated_at", "updated_by"], expected_version=expected_version
    )
    log_event(
        actor=actor,
        action=Action.SECTION_EDITED,
        target=section,
        organization_id=city.pk,
        data={"section": key},
        private=True,
        at=section.updated_at,
    )
    return section


@transaction.atomic
def statement_invite(
    *, actor: User, city: Organization, organization: Organization, at: datetime | None = None
) -> StatementInvitation:
    _require(perms.can_edit_statement(actor, city))
    if organization.is_city or organization.status != Organization.Status.APPROVED:
        raise ValidationError(
            {"organization": _("Invite a social enterprise, a group or a network.")}
        )
    statement = statement_ensure(city)
    now = _now(at)
    invitation, created = StatementInvitation.objects.get_or_create(
        statement=statement,
        organization=organization,
        defaults={"invited_by": actor, "invited_at": now},
    )
    if not created:
        raise ValidationError({"organization": _("This organization is already invited.")})
    log_event(
        actor=actor,
        action=Action.STATEMENT_INVITED,
        target=invitation,
        organization_id=city.pk,
        data={"organization_id": organization.pk, "organization": organization.name},
        at=now,
    )
    return invitation


def _invited(actor: User, statement: Statement, organization: Organization) -> None:
    if organization.pk not in perms.invited_organization_ids(actor, statement):
        raise ValidationError(
            {"organization": _("Choose an organization of yours that the city invited.")}
        )


@transaction.atomic
def statement_comment(
    *,
    actor: User,
    section: StatementSection,
    organization: Organization,
    text: str,
    at: datetime | None = None,
) -> StatementComment:
    statement = section.statement
    _require(bool(perms.invited_organization_ids(actor, statement)))
    _invited(actor, statement, organization)
    (text,) = _text({"text": text}).values()
    _limit({"text": text}, 4000)
    now = _now(at)
    comment = StatementComment.objects.create(
        section=section, organization=organization, author=actor, text=text, created_at=now
    )
    log_event(
        actor=actor,
        action=Action.STATEMENT_COMMENTED,
        target=comment,
        organization_id=statement.city_id,
        data={"section": section.key, "comment": comment.pk, "organization_id": organization.pk},
        private=True,
        at=now,
    )
    return comment


@transaction.atomic
def statement_endorse(
    *,
    actor: User,
    statement: Statement,
    organization: Organization,
    at: datetime | None = None,
) -> Endorsement:
    _require(bool(perms.invited_organization_ids(actor, statement)))
    _invited(actor, statement, organization)
    now = _now(at)
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                statement=statement, organization=organization, endorsed_by=actor, endorsed_at=now
            )
    except IntegrityError:
        raise ValidationError(
            {"organization": _("This organization already endorses the statement.")}
        ) from None
    log_event(
        actor=actor,
        action=Action.STATEMENT_ENDORSED,
        target=endorsement,
        organization_id=statement.city_id,
        data={"organization_id": organization.pk, "organization": organization.name},
        at=now,
    )
    return endorsement


@transaction.atomic
def statement_publish(
    *, actor: User, city: Organization, change_note: str = "", at: datetime | None = None
) -> StatementVersion:
    """The draft's sections, as they are, become the next public version."""
    _require(perms.can_publish_statement(actor, city))
    statement = Statement.objects.select_for_update().filter(city=city).first()
    if statement is None:
        raise ValidationError(_("Write the statement's sections before publishing it."))
    sections = {s.key: s.body for s in statement.sections.all()}
    empty = [key for key in StatementSection.Key.values if not sections.get(key, "").strip()]
    if empty:
        raise ValidationError(
            _("Write every section before publishing: %(sections)s.")
            % {"sections": ", ".join(str(StatementSection.Key(k).label) for k in empty)}
        )
    change_note = change_note.strip()
    _limit({"change_note": change_note}, 2000)
    latest = statement.latest_version()
    if latest is not None and latest.sections == sections:
        raise ValidationError(_("Nothing changed since version %(n)d.") % {"n": latest.number})
    if latest is not None and not change_note:
        raise ValidationError({"change_note": _("Say in a sentence what changed.")})
    now = _now(at)
    version = StatementVersion.objects.create(
        statement=statement,
        number=(latest.number + 1) if latest else 1,
        sections=sections,
        change_note=change_note,
        published_at=now,
        published_by=actor,
    )
    log_event(
        actor=actor,
        action=Action.STATEMENT_PUBLISHED,
        target=version,
        organization_id=city.pk,
        data={"number": version.number},
        at=now,
    )
    return version


# --- Getting started ------------------------------------------------------------------------


def audience_of(organization: Organization) -> str:
    if organization.is_city:
        return GettingStartedStep.Audience.CITY
    return GettingStartedStep.Audience.ENTREPRENEUR


def _step_for(organization: Organization, step: GettingStartedStep) -> None:
    if step.audience != audience_of(organization):
        raise ValidationError(_("This step is not on this organization's checklist."))


@transaction.atomic
def checklist_update(
    *,
    actor: User,
    organization: Organization,
    step: GettingStartedStep,
    done: bool,
    note: str = "",
    evidence_url: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> ChecklistItem:
    _require(perms.can_tick(actor, organization))
    _step_for(organization, step)
    note = note.strip()
    _limit({"note": note}, 4000)
    now = _now(at)
    item, _created = ChecklistItem.objects.get_or_create(organization=organization, step=step)
    was_done = item.done
    item.note = note
    item.evidence_url = evidence_url.strip()
    if done and not was_done:
        item.done_at, item.done_by = now, actor
    elif not done:
        item.done_at, item.done_by, item.ticked_by_event = None, None, None
    save_versioned(
        item,
        fields=["note", "evidence_url", "done_at", "done_by", "ticked_by_event"],
        expected_version=expected_version if not _created else None,
    )
    log_event(
        actor=actor,
        action=Action.STEP_TICKED if done and not was_done else Action.STEP_UPDATED,
        target=item,
        organization_id=organization.pk,
        data={"step": step.slug, "done": done},
        at=now,
    )
    return item


@transaction.atomic
def checklist_tick_seen(
    *, organization: Organization, signal: str, event_id: int, at: datetime | None = None
) -> ChecklistItem | None:
    """Tandem saw a step happen (``signal``): it is ticked, once. Returns the item when this
    call ticked it, ``None`` when it had been ticked before or there is no such step."""
    step = GettingStartedStep.objects.filter(
        audience=audience_of(organization), signal=signal
    ).first()
    if step is None:
        return None
    now = _now(at)
    item, _created = ChecklistItem.objects.get_or_create(organization=organization, step=step)
    # The conditional update decides: two events at once tick the step once.
    ticked = ChecklistItem.objects.filter(pk=item.pk, done_at__isnull=True).update(
        done_at=now, ticked_by_event=event_id
    )
    if not ticked:
        return None
    log_event(
        actor=Actor.system(),
        action=Action.STEP_TICKED,
        target=item,
        organization_id=organization.pk,
        data={"step": step.slug, "done": True, "event": event_id},
        at=now,
    )
    item.refresh_from_db()
    return item


def checklist_for(organization: Organization) -> list[dict[str, Any]]:
    """Every step of the organization's checklist with its item (or ``None``)."""
    items = {i.step_id: i for i in ChecklistItem.objects.filter(organization=organization)}
    steps = GettingStartedStep.objects.filter(audience=audience_of(organization))
    return [{"step": step, "item": items.get(step.pk)} for step in steps]


# --- Networks -------------------------------------------------------------------------------


@transaction.atomic
def network_member_add(
    *,
    actor: User,
    network: Organization,
    organization: Organization,
    at: datetime | None = None,
) -> NetworkMember:
    _require(perms.can_manage_network(actor, network))
    if organization.is_city or organization.pk == network.pk:
        raise ValidationError(
            {"organization": _("A network's members are social enterprises and groups.")}
        )
    now = _now(at)
    member, created = NetworkMember.objects.get_or_create(
        network=network, organization=organization, defaults={"added_by": actor, "added_at": now}
    )
    if not created:
        raise ValidationError({"organization": _("This organization is already a member.")})
    log_event(
        actor=actor,
        action=Action.NETWORK_MEMBER_ADDED,
        target=member,
        organization_id=network.pk,
        data={"organization_id": organization.pk, "organization": organization.name},
        at=now,
    )
    return member


@transaction.atomic
def network_member_remove(
    *, actor: User, member: NetworkMember, at: datetime | None = None
) -> None:
    _require(perms.can_manage_network(actor, member.network))
    log_event(
        actor=actor,
        action=Action.NETWORK_MEMBER_REMOVED,
        target=member.network,
        organization_id=member.network_id,
        data={"organization_id": member.organization_id, "organization": member.organization.name},
        at=_now(at),
    )
    member.delete()


# --- A city's own stories -------------------------------------------------------------------


@transaction.atomic
def city_story_add(
    *,
    actor: User,
    city: Organization,
    title: str,
    body: str,
    practices: list[Practice] | None = None,
    pathways: list[ModelPathway] | None = None,
    at: datetime | None = None,
) -> CityStory:
    _require(perms.can_edit_statement(actor, city))
    fields = _text({"title": title, "body": body})
    if len(fields["title"]) > 150:
        raise ValidationError({"title": _("Use at most %(limit)d characters.") % {"limit": 150}})
    _limit(fields)
    now = _now(at)
    story = CityStory.objects.create(city=city, written_by=actor, created_at=now, **fields)
    story.practices.set(practices or [])
    story.pathways.set(pathways or [])
    log_event(
        actor=actor,
        action=Action.STORY_ADDED,
        target=story,
        organization_id=city.pk,
        data={"story": story.pk},
        at=now,
    )
    return story
