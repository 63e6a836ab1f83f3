"""The shared plan: versions published one after another, never changed afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.versioning import StaleEdit
from partnerships import permissions as perms
from partnerships.events import Action
from partnerships.models import Partnership, PlanSection, PlanVersion
from partnerships.services._common import moment, record, require, within_length

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def plan_publish(
    *,
    actor: User,
    partnership: Partnership,
    sections: Sequence[tuple[str, str] | tuple[str, str, str]],
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> PlanVersion:
    """Publishes a new version; earlier versions stay readable as they were.

    Each section is (heading, text) or (heading, text, one-line summary in plain words).

    Editing the plan means publishing the version after the one the editor started from:
    ``expected_version`` is that one's number (0 for the first plan). If someone published
    meanwhile, the new version would silently drop their changes, so it is refused
    (:class:`StaleEdit`, with the latest version to start from again).
    """
    now = moment(at)
    require(perms.can_contribute(actor, partnership))
    given = [(s[0].strip(), s[1].strip(), s[2].strip() if len(s) > 2 else "") for s in sections]
    cleaned = [(h, b, summary) for h, b, summary in given if h or b]
    if not cleaned:
        raise ValidationError({"sections": _("A plan needs at least one section.")})
    summary_limit = PlanSection._meta.get_field("summary").max_length or 0
    for heading, body, summary in cleaned:
        if not heading or not body:
            raise ValidationError({"sections": _("Every section needs a heading and a text.")})
        limit = PlanSection._meta.get_field("heading").max_length or 0
        if len(heading) > limit:
            raise ValidationError(
                {"sections": _("Keep every heading to %(limit)d characters.") % {"limit": limit}}
            )
        if len(summary) > summary_limit:
            raise ValidationError(
                {
                    "sections": _("Keep every summary to %(limit)d characters.")
                    % {"limit": summary_limit}
                }
            )
    within_length(PlanVersion, {"note": note})
    # Lock the partnership row so two people publishing at once get distinct numbers.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = partnership.plan_versions.aggregate(n=Max("number"))["n"] or 0
    if expected_version is not None and expected_version != last:
        raise StaleEdit(partnership.plan_versions.get(number=last))
    version = PlanVersion.objects.create(
        partnership=partnership,
        number=last + 1,
        note=note.strip(),
        published_by=actor,
        published_at=now,
    )
    PlanSection.objects.bulk_create(
        PlanSection(version=version, order=i, heading=h, body=b, summary=summary)
        for i, (h, b, summary) in enumerate(cleaned, start=1)
    )
    record(
        partnership,
        actor,
        Action.PLAN_PUBLISHED,
        target=version,
        data={"number": version.number, "sections": len(cleaned)},
        at=now,
    )
    return version
