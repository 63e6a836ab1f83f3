"""The one registry: which kinds of notification there are, which events become which kind,
and who receives them.

A kind is a slug (stored in preferences, dispatches and notifications as a plain string),
so adding one needs no migration. An event action maps to a kind and to a function that
finds its recipients for a whole list of events at once, in a fixed number of queries.
Check-in reminders are not events: the reminder sweep (``notifications.services``) finds
them in the check-in schedule, and they use the ``checkin_due`` kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization
from core.models import Event
from notifications.models import Channel, Frequency
from partnerships.events import Action
from partnerships.models import Participant, Partner, Partnership

CHECKIN_DUE = "checkin_due"
COMMENT_ANSWERED = "comment_answered"
NEED_UPDATED = "need_updated"
STAGE_CHANGED = "stage_changed"
PARTNER_INVITED = "partner_invited"
SURVEY_OPEN = "survey_open"


@dataclass(frozen=True)
class Kind:
    slug: str
    label: Promise
    # A sentence with %(partnership)s, in the reader's language when shown.
    headline: Promise
    defaults: dict[str, str] = field(
        default_factory=lambda: {
            Channel.APP: Frequency.IMMEDIATELY,
            Channel.EMAIL: Frequency.IMMEDIATELY,
        }
    )


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in [
        Kind(CHECKIN_DUE, _("Check-in due"), _("A check-in of %(partnership)s is due")),
        Kind(
            COMMENT_ANSWERED,
            _("Comment answered"),
            _("Your comment on %(partnership)s has an answer"),
        ),
        Kind(
            NEED_UPDATED,
            _("Financial need updated"),
            _("A financial need of %(partnership)s was updated"),
            {Channel.APP: Frequency.IMMEDIATELY, Channel.EMAIL: Frequency.DAILY},
        ),
        Kind(
            STAGE_CHANGED,
            _("Stage changed"),
            _("%(partnership)s moved to another stage"),
            {Channel.APP: Frequency.IMMEDIATELY, Channel.EMAIL: Frequency.WEEKLY},
        ),
        Kind(
            PARTNER_INVITED,
            _("Invited as a partner"),
            _("Your organization is invited to join %(partnership)s"),
            # The invitation is an e-mail of its own already (partnerships/mail.py).
            {Channel.APP: Frequency.IMMEDIATELY, Channel.EMAIL: Frequency.NEVER},
        ),
        Kind(SURVEY_OPEN, _("Pulse survey open"), _("A pulse survey of %(partnership)s is open")),
    ]
}

# --- Recipients, in bulk -------------------------------------------------------------
# Each takes many partnership ids and answers in one or two queries.


def partner_people(partnership_ids: Iterable[int]) -> dict[int, set[int]]:
    """The members of each partnership's accepted partner organizations, and its city's
    point of contact."""
    ids = set(partnership_ids)
    people: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(
        organization__partner_roles__partnership_id__in=ids,
        organization__partner_roles__status=Partner.Status.ACCEPTED,
    ).values_list("organization__partner_roles__partnership_id", "user_id")
    for partnership_id, user_id in rows:
        people[partnership_id].add(user_id)
    contacts = Partnership.objects.filter(pk__in=ids, point_of_contact__isnull=False)
    for partnership_id, user_id in contacts.values_list("pk", "point_of_contact_id"):
        people[partnership_id].add(user_id)
    return people


def participants(partnership_ids: Iterable[int]) -> dict[int, set[int]]:
    people: dict[int, set[int]] = defaultdict(set)
    rows = Participant.objects.filter(partnership_id__in=set(partnership_ids))
    for partnership_id, user_id in rows.values_list("partnership_id", "user_id"):
        people[partnership_id].add(user_id)
    return people


def everyone(partnership_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = set(partnership_ids)
    people = partner_people(ids)
    for partnership_id, users in participants(ids).items():
        people[partnership_id] |= users
    return people


Recipients = Callable[[list[Event]], dict[int, set[int]]]


def _by_partnership(find: Callable[[Iterable[int]], dict[int, set[int]]]) -> Recipients:
    """Recipients: the people ``find`` names for the event's partnership, but the actor."""

    def recipients(events: list[Event]) -> dict[int, set[int]]:
        people = find(event.partnership_id for event in events if event.partnership_id)
        return {
            event.pk: people.get(event.partnership_id or 0, set()) - {event.actor_id or 0}
            for event in events
        }

    return recipients


def _commenter(events: list[Event]) -> dict[int, set[int]]:
    """The person whose comment was answered, if they still have an account."""
    return {
        event.pk: {event.data["commenter"]} - {event.actor_id}
        for event in events
        if isinstance(event.data.get("commenter"), int)
    }


def _invited_organization_admins(events: list[Event]) -> dict[int, set[int]]:
    """The administrators of the invited organization, once the inviting city is approved
    (a city waiting for review sends its invitations when it is)."""
    approved = set(
        Partnership.objects.filter(
            pk__in={event.partnership_id for event in events},
            city__status=Organization.Status.APPROVED,
        ).values_list("pk", flat=True)
    )
    events = [event for event in events if event.partnership_id in approved]
    org_ids = {event.data.get("organization_id") for event in events}
    admins: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(
        organization_id__in=org_ids, role=Membership.Role.ADMIN
    ).values_list("organization_id", "user_id")
    for organization_id, user_id in rows:
        admins[organization_id].add(user_id)
    return {
        event.pk: admins.get(event.data.get("organization_id"), set()) - {event.actor_id or 0}
        for event in events
    }


@dataclass(frozen=True)
class EventRule:
    kind: str
    recipients: Recipients
    # Where the notification leads: a URL name taking the partnership's id (or, with
    # ``by_target``, the id of the event's target).
    url_name: str = "partnerships:detail"
    by_target: bool = False


EVENT_RULES: dict[str, EventRule] = {
    "beneficiaries.comment.answered": EventRule(COMMENT_ANSWERED, _commenter, "partnerships:plan"),
    Action.NEED_UPDATED: EventRule(
        NEED_UPDATED, _by_partnership(partner_people), "partnerships:money"
    ),
    Action.NEED_STATED: EventRule(
        NEED_UPDATED, _by_partnership(partner_people), "partnerships:money"
    ),
    Action.STAGE_MOVED: EventRule(STAGE_CHANGED, _by_partnership(everyone)),
    Action.PARTNER_INVITED: EventRule(
        PARTNER_INVITED, _invited_organization_admins, "partnerships:invitation", by_target=True
    ),
    "health.round.opened": EventRule(SURVEY_OPEN, _by_partnership(everyone), "health:partnership"),
}


def event_url(event: Event) -> str:
    rule = EVENT_RULES.get(event.action)
    if rule is None:
        return ""
    key = event.target_id if rule.by_target else event.partnership_id
    return reverse(rule.url_name, args=[key]) if key is not None else ""


def headline(kind: str, partnership: str) -> str:
    """The kind's sentence in the active language."""
    found = KINDS.get(kind)
    if found is None:
        return gettext("Something happened in %(partnership)s") % {"partnership": partnership}
    return str(found.headline) % {"partnership": partnership}


def default_frequency(kind: str, channel: str) -> str:
    found = KINDS.get(kind)
    return found.defaults.get(channel, Frequency.NEVER) if found else Frequency.NEVER
