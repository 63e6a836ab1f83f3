"""Who may bring beneficiaries into a partnership.

Everyone who may contribute to the partnership (the city's staff and the members of the
partner organizations) may invite participants and withdraw invitations, not only its
managers: the entrepreneurs are the ones who know the people the partnership is for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from partnerships import permissions as partnership_perms

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Partnership


def can_invite_participants(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_contribute(user, partnership)


def can_schedule_trainings(user: User, partnership: Partnership) -> bool:
    """The partners (city staff and partner organizations) teach; participants learn."""
    return partnership_perms.can_contribute(user, partnership)


def can_sign_up_for_trainings(user: User, partnership: Partnership) -> bool:
    return partnership_perms.is_participant(user, partnership)


def can_see_trainings(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_view(user, partnership)
