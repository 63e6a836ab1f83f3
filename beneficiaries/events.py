"""What happens in the beneficiaries room, and how it reads on the partnership's timeline.

The data holds ids and plain values, never an address or a name: an invitation's id and
role, a training's id, a consent's version.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.events import renders, when
from core.models import Event


class Action:
    INVITATION_SENT = "beneficiaries.invitation.sent"
    INVITATION_PRINTED = "beneficiaries.invitation.printed"
    SIGN_IN_CODE_PRINTED = "beneficiaries.sign_in_code.printed"
    INVITATION_REVOKED = "beneficiaries.invitation.revoked"
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
