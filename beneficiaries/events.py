"""What happens to participant invitations, and how it reads on the partnership's timeline.

The data holds the invitation's id and role, never the address it went to. Accepting an
invitation is told by the partnership's own event (``partnerships.participant.added``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.events import renders
from core.models import Event


class Action:
    INVITATION_SENT = "beneficiaries.invitation.sent"
    INVITATION_REVOKED = "beneficiaries.invitation.revoked"


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
