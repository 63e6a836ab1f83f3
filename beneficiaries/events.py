"""What happens in this room, and how it reads on the partnership's timeline.

The data holds the invitation's id and role, never the address it went to. Accepting an
invitation is told by the partnership's own event (``partnerships.participant.added``).
Comment events hold ids, never what was written: a hidden comment's text must not reach the
timeline. Reports and moderation are private (the partners read them, participants do not),
so nobody learns who reported them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.events import renders
from core.models import Event


class Action:
    INVITATION_SENT = "beneficiaries.invitation.sent"
    INVITATION_REVOKED = "beneficiaries.invitation.revoked"
    COMMENT_POSTED = "beneficiaries.comment.posted"
    COMMENT_EDITED = "beneficiaries.comment.edited"
    COMMENT_REPORTED = "beneficiaries.comment.reported"
    COMMENT_HIDDEN = "beneficiaries.comment.hidden"
    COMMENT_RESTORED = "beneficiaries.comment.restored"
    COMMENT_ANSWERED = "beneficiaries.comment.answered"
    VOICE_RECORDED = "beneficiaries.voice.recorded"
    CHECKIN_ATTENDANCE_RECORDED = "beneficiaries.checkin.attendance_recorded"


def _role(value: str) -> str:
    from partnerships.models import Participant

    if value in Participant.Role.values:
        return str(Participant.Role(value).label).lower()
    return value


@renders(Action.INVITATION_SENT)
def _invitation_sent(event: Event) -> str:
    return _("invited someone to take part as %(role)s") % {"role": _role(event.data["role"])}


@renders(Action.INVITATION_REVOKED)
def _invitation_revoked(event: Event) -> str:
    return _("withdrew an invitation to take part")


@renders(Action.COMMENT_POSTED)
def _comment_posted(event: Event) -> str:
    if event.data.get("parent"):
        return _("replied to a comment on the plan")
    return _("commented on the plan (version %(number)s)") % {
        "number": event.data["plan_version_number"]
    }


@renders(Action.COMMENT_EDITED)
def _comment_edited(event: Event) -> str:
    return _("corrected their comment on the plan")


@renders(Action.COMMENT_REPORTED)
def _comment_reported(event: Event) -> str:
    from beneficiaries.models import CommentReport

    reason = event.data["reason"]
    label = CommentReport.Reason(reason).label if reason in CommentReport.Reason.values else reason
    return _("reported a comment (%(reason)s)") % {"reason": str(label).lower()}


@renders(Action.COMMENT_HIDDEN)
def _comment_hidden(event: Event) -> str:
    if event.data.get("by_reports"):
        return _("hid a comment after three people reported it, until a moderator decides")
    return _("hid a comment: %(reason)s") % {"reason": event.data["reason"]}


@renders(Action.COMMENT_RESTORED)
def _comment_restored(event: Event) -> str:
    return _("showed a hidden comment again: %(reason)s") % {"reason": event.data["reason"]}


@renders(Action.COMMENT_ANSWERED)
def _comment_answered(event: Event) -> str:
    if event.data.get("changed_version_number"):
        return _("answered a comment and linked version %(number)s of the plan") % {
            "number": event.data["changed_version_number"]
        }
    return _("answered a comment on the plan")


@renders(Action.VOICE_RECORDED)
def _voice_recorded(event: Event) -> str:
    return _("recorded what residents said about the plan")


@renders(Action.CHECKIN_ATTENDANCE_RECORDED)
def _attendance_recorded(event: Event) -> str:
    count = int(event.data["participants"])
    return ngettext(
        "recorded that %(count)d beneficiary took part in a check-in",
        "recorded that %(count)d beneficiaries took part in a check-in",
        count,
    ) % {"count": count}
