"""Who may open and answer survey rounds, write and agree to the shared values, and read
the scores. The partnership's own predicates decide who belongs to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from health.models import Group, SurveyRound
from partnerships import permissions as partnership_perms

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Partnership


def respondent_group(user: User, partnership: Partnership) -> Group | None:
    """The group a person answers in: the city's staff, the partner organizations' members,
    or the beneficiaries. Someone in two answers once, in the first that applies."""
    if partnership_perms.is_city_staff(user, partnership):
        return Group.CITY
    if partnership_perms.is_partner_member(user, partnership):
        return Group.ENTREPRENEURS
    if partnership_perms.is_participant(user, partnership):
        return Group.BENEFICIARIES
    return None


def can_see_health(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_view(user, partnership)


def can_run_rounds(user: User, partnership: Partnership) -> bool:
    """Open and close rounds: whoever manages the partnership, or the lead's members."""
    return partnership_perms.can_manage(user, partnership) or (
        user.is_authenticated and partnership.lead_id in user.organization_ids()
    )


def can_answer(user: User, survey_round: SurveyRound) -> bool:
    return (
        survey_round.is_open
        and respondent_group(user, survey_round.partnership) is not None
        and survey_round.partnership.archived_at is None
    )


def can_write_values(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_contribute(user, partnership)


def values_organizations(user: User, partnership: Partnership) -> list[int]:
    """The parties (the city, the accepted partner organizations) this person may agree for:
    those where they are an administrator."""
    if not user.is_authenticated:
        return []
    parties = partnership.partner_organization_ids() | {partnership.city_id}
    return sorted(user.admin_organization_ids() & parties)
