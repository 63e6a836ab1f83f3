"""What every partnership service shares: the permission rule, attribution, the event."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.events import log_event
from core.models import Event
from partnerships import permissions as perms
from partnerships.models import Partnership

if TYPE_CHECKING:
    from accounts.models import Organization, User

# Check-ins are scheduled by adding the cadence to these dates; a date near the end of the
# calendar would overflow there, and a date this far ahead is a typo anyway.
YEARS_AHEAD = 100
# Nothing a partnership records happened before this: an earlier year is a typo (1925 for 2025).
EARLIEST_DATE = date(1950, 1, 1)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def moment(at: datetime | None) -> datetime:
    """When the change happens: now, or the past moment a replay (the demo) passes in."""
    return at or timezone.now()


def record(
    partnership: Partnership,
    actor: User | None,
    action: str,
    *,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    private: bool = False,
    at: datetime,
) -> Event:
    """The event for the partnership's timeline, and its last activity moved on."""
    event = log_event(
        actor=actor,
        action=action,
        target=target,
        partnership_id=partnership.pk,
        organization_id=partnership.city_id,
        data=data,
        private=private,
        at=at,
    )
    Partnership.objects.filter(pk=partnership.pk).update(last_activity_at=at)
    partnership.last_activity_at = at
    return event


def not_in_future(value: date | None, field: str, *, today: date) -> None:
    if value is not None and value > today:
        raise ValidationError({field: _("This date is in the future.")})


def not_too_far_ahead(value: date | None, field: str, *, today: date) -> None:
    if value is not None and value.year > today.year + YEARS_AHEAD:
        raise ValidationError(
            {field: _("Choose a date before the year %(year)d.") % {"year": today.year + 101}}
        )


def not_too_early(value: date | None, field: str) -> None:
    if value is not None and value < EARLIEST_DATE:
        raise ValidationError(
            {field: _("Choose a date in %(year)d or later.") % {"year": EARLIEST_DATE.year}}
        )


def not_before_start(value: date | None, field: str, partnership: Partnership) -> None:
    if value is not None and value < partnership.start_date:
        raise ValidationError(
            {
                field: _("This date is before the partnership started, on %(date)s.")
                % {"date": formats.date_format(partnership.start_date, "DATE_FORMAT")}
            }
        )


def required_text(fields: dict[str, str | None]) -> None:
    errors = {
        name: _("This field is required.")
        for name, value in fields.items()
        if not (value or "").strip()
    }
    if errors:
        raise ValidationError(errors)


def within_length(model: type[models.Model], fields: dict[str, str | None]) -> None:
    """A text longer than its column is a message, not a database error (PostgreSQL refuses it)."""
    errors = {}
    for name, value in fields.items():
        limit = model._meta.get_field(name).max_length  # type: ignore[union-attr]
        if value and limit is not None and len(value.strip()) > limit:
            errors[name] = _("Use at most %(limit)d characters.") % {"limit": limit}
    if errors:
        raise ValidationError(errors)


def acting_organization(actor: User, partnership: Partnership, organization: Organization) -> None:
    if organization.pk not in perms.organizations_for(actor, partnership):
        raise ValidationError(
            {
                "organization": _(
                    "You can only act for an organization you belong to in this partnership."
                )
            }
        )
