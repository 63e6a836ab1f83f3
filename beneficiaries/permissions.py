"""Who may bring beneficiaries into a partnership, read its plan, comment and moderate.

Everyone who may contribute to the partnership (the city's staff and the members of the
partner organizations) may invite participants and withdraw invitations, not only its
managers: the entrepreneurs are the ones who know the people the partnership is for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from partnerships import permissions as partnership_perms

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User
    from beneficiaries.models import Comment
    from partnerships.models import Partnership


def can_invite_participants(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_contribute(user, partnership)


def can_read_plan(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_view(user, partnership)


def can_comment(user: User, partnership: Partnership) -> bool:
    """Everyone of the partnership speaks on its plan: participants, partners, the city."""
    return partnership_perms.can_view(user, partnership)


def can_moderate(user: User, partnership: Partnership) -> bool:
    """The city's staff of the partnership and the members of its lead organization."""
    if not user.is_authenticated:
        return False
    if partnership_perms.is_city_staff(user, partnership):
        return True
    return (
        partnership.lead_id in user.organization_ids()
        and partnership.lead_id in partnership.partner_organization_ids()
    )


def can_answer(user: User, partnership: Partnership) -> bool:
    """The partners answer ("you said, we did"), the city among them."""
    return partnership_perms.can_contribute(user, partnership)


def can_record_voices(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_contribute(user, partnership)


def can_record_attendance(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_contribute(user, partnership)


def can_edit_comment(user: User, comment: Comment, *, now: datetime) -> bool:
    """Its author, for a short while after writing it, while it is not hidden."""
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and comment.source == comment.Source.ONLINE
        and comment.hidden_at is None
        and now < comment.editable_until()
    )


def can_report(user: User, comment: Comment) -> bool:
    """Anyone who reads a comment may report it, but not their own."""
    return user.is_authenticated and comment.author_id != user.pk


def can_view_comments(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_view(user, partnership)


def can_schedule_trainings(user: User, partnership: Partnership) -> bool:
    """The partners (city staff and partner organizations) teach; participants learn."""
    return partnership_perms.can_contribute(user, partnership)


def can_sign_up_for_trainings(user: User, partnership: Partnership) -> bool:
    return partnership_perms.is_participant(user, partnership)


def can_see_trainings(user: User, partnership: Partnership) -> bool:
    return partnership_perms.can_view(user, partnership)
