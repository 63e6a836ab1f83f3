"""Who may see and do what in a partnership.

Every view, export, fragment and API endpoint asks these predicates; none
decides on its own. A person who may not see a partnership must get "not
found", so callers use :func:`get_visible_partnership_or_404`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from accounts.models import Organization
from core.models import Event, EventQuerySet
from partnerships.models import Partner, Partnership

if TYPE_CHECKING:
    from accounts.models import User


def is_city_staff(user: User, partnership: Partnership) -> bool:
    return user.is_authenticated and partnership.city_id in user.city_ids()


def is_city_admin(user: User, partnership: Partnership) -> bool:
    return user.is_authenticated and partnership.city_id in user.admin_organization_ids()


def is_partner_member(user: User, partnership: Partnership) -> bool:
    """A member of the lead or of another partner organization (not the city)."""
    return user.is_authenticated and bool(
        user.organization_ids() & partnership.partner_organization_ids()
    )


def is_participant(user: User, partnership: Partnership) -> bool:
    if not user.is_authenticated:
        return False
    return partnership.participants.filter(user=user).exists()


def can_answer_invitation(user: User, partner: Partner) -> bool:
    """An administrator of the invited organization accepts or declines for it, once the city
    is approved (a city waiting for review prepares its partnerships in private)."""
    return (
        user.is_authenticated
        and partner.organization_id in user.admin_organization_ids()
        and partner.partnership.city.status == Organization.Status.APPROVED
    )


def can_view(user: User, partnership: Partnership) -> bool:
    return (
        is_city_staff(user, partnership)
        or is_partner_member(user, partnership)
        or is_participant(user, partnership)
    )


def can_manage(user: User, partnership: Partnership) -> bool:
    """Create-level rights: edit the partnership, move stages, manage partners."""
    if not user.is_authenticated:
        return False
    return is_city_admin(user, partnership) or (
        partnership.point_of_contact_id == user.pk and is_city_staff(user, partnership)
    )


def can_contribute(user: User, partnership: Partnership) -> bool:
    """Log progress, measurements, experiments, check-ins, plans, responsibilities."""
    return is_city_staff(user, partnership) or is_partner_member(user, partnership)


def can_archive(user: User, partnership: Partnership) -> bool:
    """Archive, unarchive and delete a partnership: the city's administrators."""
    return is_city_admin(user, partnership)


def can_correct(user: User, partnership: Partnership, *, author_id: int | None) -> bool:
    """Correct or withdraw a measurement or a progress update: its author, while still a
    contributor, or whoever manages the partnership."""
    if not user.is_authenticated:
        return False
    own = author_id is not None and author_id == user.pk
    return (own and can_contribute(user, partnership)) or can_manage(user, partnership)


def can_see_money(user: User, partnership: Partnership) -> bool:
    """Financial needs are for the partner organizations (the city among them) only."""
    return can_contribute(user, partnership)


def can_state_need(user: User, partnership: Partnership) -> bool:
    return can_contribute(user, partnership)


def can_export(user: User, partnership: Partnership) -> bool:
    return can_contribute(user, partnership)


def timeline_events(user: User, partnership: Partnership) -> EventQuerySet:
    """The partnership's timeline as this person may read it: money events for partners only."""
    events = Event.objects.of_partnership(partnership.pk)
    return events if can_see_money(user, partnership) else events.filter(private=False)


def can_create_partnership(user: User, city_id: int) -> bool:
    """City admins and staff of the city may start a partnership (becoming its contact)."""
    return user.is_authenticated and city_id in user.city_ids()


def can_create_any_partnership(user: User) -> bool:
    """Whether this person may start a partnership for at least one city."""
    return user.is_authenticated and any(
        can_create_partnership(user, city_id) for city_id in user.city_ids()
    )


def can_see_portfolio(user: User) -> bool:
    """The portfolio and its export are for city staff, who see their own cities' partnerships
    there (``Partnership.objects.of_user_cities``); to anyone else they do not exist."""
    return user.is_authenticated and bool(user.city_ids())


def organizations_for(user: User, partnership: Partnership) -> list[int]:
    """The partner organizations (the city included) this person may act for."""
    if not user.is_authenticated:
        return []
    allowed = partnership.partner_organization_ids() | {partnership.city_id}
    return sorted(user.organization_ids() & allowed)


def get_visible_partnership_or_404(user: User, pk: int) -> Partnership:
    try:
        partnership = (
            Partnership.objects.select_related(
                "city", "lead", "pathway", "stage", "point_of_contact"
            )
            .with_lead_status()
            .get(pk=pk)
        )
    except Partnership.DoesNotExist:
        raise Http404 from None
    if not can_view(user, partnership):
        raise Http404
    return partnership
