"""Every change to a partnership goes through one of these functions.

Views, the API, management commands and tasks call them alike. Each takes the
acting person, checks the permission again (a view's check is a courtesy, this
one is the rule), validates, writes in a transaction and records an event
(:mod:`core.events`) that the timeline renders in the reader's language. Bad
input raises ``ValidationError`` with messages per field and changes nothing.

Each takes an optional ``at``: when the change happened. It defaults to now;
the demo replays a year of history by passing past moments.

One import surface: ``from partnerships import services``; the modules split
the functions by subject.
"""

from partnerships.services.checkins import (
    checkin_ensure_next,
    checkin_move,
    checkin_record,
    checkin_schedule,
    checkins_ensure_next_bulk,
)
from partnerships.services.evidence import (
    NewMeasurement,
    RowErrors,
    experiment_close,
    experiment_start,
    indicator_create,
    indicator_update,
    measurement_add,
    measurement_correct,
    measurement_withdraw,
    measurements_add,
    progress_correct,
    progress_log,
    progress_withdraw,
)
from partnerships.services.money import need_state, need_update
from partnerships.services.partnership import (
    UPDATABLE_FIELDS,
    NewOrganization,
    participant_add,
    partner_accept,
    partner_add,
    partner_decline,
    partner_remove,
    partner_update,
    partnership_archive,
    partnership_create,
    partnership_delete,
    partnership_move_stage,
    partnership_reframe,
    partnership_unarchive,
    partnership_update,
    responsibility_add,
    responsibility_update,
)
from partnerships.services.plan import plan_publish

__all__ = [
    "UPDATABLE_FIELDS",
    "NewMeasurement",
    "NewOrganization",
    "RowErrors",
    "checkin_ensure_next",
    "checkin_move",
    "checkin_record",
    "checkin_schedule",
    "checkins_ensure_next_bulk",
    "experiment_close",
    "experiment_start",
    "indicator_create",
    "indicator_update",
    "measurement_add",
    "measurement_correct",
    "measurement_withdraw",
    "measurements_add",
    "need_state",
    "need_update",
    "participant_add",
    "partner_accept",
    "partner_add",
    "partner_decline",
    "partner_remove",
    "partner_update",
    "partnership_archive",
    "partnership_create",
    "partnership_delete",
    "partnership_move_stage",
    "partnership_reframe",
    "partnership_unarchive",
    "partnership_update",
    "plan_publish",
    "progress_correct",
    "progress_log",
    "progress_withdraw",
    "responsibility_add",
    "responsibility_update",
]
