"""What happens in the beneficiaries room, and how it reads on the partnership's timeline.

The data holds ids and plain values, never an address or a name: an invitation's id and
role, a training's id, a consent's version. Accepting an invitation is told by the
partnership's own event (``partnerships.participant.added``). Comment events hold ids, never
what was written: a hidden comment's text must not reach the timeline. Reports and
moderation are private (the partners read them, participants do not), so nobody learns who
reported them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.events import renders, when
from core.models import Event


class Action:
    INVITATION_SENT = "beneficiaries.invitation.sent"
    INVITATION_PRINTED = "beneficiaries.invitation.printed"
    SIGN_IN_CODE_PRINTED = "beneficiaries.sign_in_code.printed"
    INVITATION_REVOKED = "beneficiaries.invitation.revoked"
    COMMENT_POSTED = "beneficiaries.comment.posted"
    COMMENT_EDITED = "beneficiaries.comment.edited"
    COMMENT_REPORTED = "beneficiaries.comment.reported"
    COMMENT_HIDDEN = "beneficiaries.comment.hidden"
    COMMENT_RESTORED = "beneficiaries.comment.restored"
    COMMENT_ANSWERED = "beneficiaries.comment.answered"
    VOICE_RECORDED = "beneficiaries.voice.recorded"
    CHECKIN_ATTENDANCE_RECORDED = "beneficiaries.checkin.attendance_recorded"
    CONSENT_GIVEN = "beneficiaries.consent.given"
    CONSENT_WITHDRAWN = "beneficiaries.consent.withdrawn"
    TRAINING_SCHEDULED = "beneficiaries.training.scheduled"
    TRAINING_SIGNED_UP = "beneficiaries.training.signed_up"
    TRAINING_CANCELLED_SIGNUP = "beneficiaries.training.signup_cancelled"
    TRAINING_ATTENDANCE = "beneficiaries.training.attendance_recorded"
    ACCOUNT_DELETED = "beneficiaries.account.deleted"


def _role(value: str) -> str:
    from partnerships.models import Participant

    if value in Participant.Role.values:
        return str(Participant.Role(value).label).lower()
    return value


def _topic(event: Event) -> str:
    from beneficiaries.models import Training

    topic = event.data.get("topic", "")
    if topic == Training.Topic.OTHER and event.data.get("own_topic"):
        return str(event.data["own_topic"])
    if topic in Training.Topic.values:
        return str(Training.Topic(topic).label)
    return str(topic)


@renders(Action.INVITATION_SENT)
def _invitation_sent(event: Event) -> str:
    return _("invited someone to take part as %(role)s") % {"role": _role(event.data["role"])}


@renders(Action.INVITATION_PRINTED)
def _invitation_printed(event: Event) -> str:
    return _("printed an invitation to take part as %(role)s") % {"role": _role(event.data["role"])}


@renders(Action.SIGN_IN_CODE_PRINTED)
def _sign_in_code_printed(event: Event) -> str:
    return _("printed a sign-in code for a participant")


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


@renders(Action.CONSENT_GIVEN)
def _consent_given(event: Event) -> str:
    return _("agreed to take part on Tandem's terms")


@renders(Action.CONSENT_WITHDRAWN)
def _consent_withdrawn(event: Event) -> str:
    return _("withdrew their consent")


@renders(Action.TRAINING_SCHEDULED)
def _training_scheduled(event: Event) -> str:
    return _("scheduled a training, “%(topic)s”, on %(date)s") % {
        "topic": _topic(event),
        "date": when(event.data.get("starts_at")),
    }


@renders(Action.TRAINING_SIGNED_UP)
def _training_signed_up(event: Event) -> str:
    return _("signed up for the training “%(topic)s”") % {"topic": _topic(event)}


@renders(Action.TRAINING_CANCELLED_SIGNUP)
def _training_cancelled(event: Event) -> str:
    return _("gave up their place in the training “%(topic)s”") % {"topic": _topic(event)}


@renders(Action.TRAINING_ATTENDANCE)
def _training_attendance(event: Event) -> str:
    return _("recorded who came to the training “%(topic)s”: %(count)s people") % {
        "topic": _topic(event),
        "count": event.data.get("attended", 0),
    }


@renders(Action.ACCOUNT_DELETED)
def _account_deleted(event: Event) -> str:
    return _("deleted the account of a participant who left, at their request")
