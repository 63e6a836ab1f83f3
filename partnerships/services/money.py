"""Financial needs, stated openly to the partners and to no one else."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization
from core.history import attribute
from core.numbers import currency_codes
from core.versioning import StaleEdit, save_versioned
from partnerships import permissions as perms
from partnerships.events import Action
from partnerships.models import FinancialNeed, Partnership
from partnerships.services._common import (
    acting_organization,
    moment,
    record,
    require,
    required_text,
    within_length,
)
from partnerships.services.evidence import decimal_value

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def need_state(
    *,
    actor: User,
    partnership: Partnership,
    organization: Organization,
    amount: Any,
    currency: str,
    period: str,
    purpose: str,
    at: datetime | None = None,
) -> FinancialNeed:
    now = moment(at)
    require(perms.can_state_need(actor, partnership))
    required_text({"period": period, "purpose": purpose})
    within_length(FinancialNeed, {"period": period})
    acting_organization(actor, partnership, organization)
    amount_d = decimal_value(amount, "amount")
    if amount_d <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    code = (currency or "").strip().upper()
    if code not in currency_codes():
        raise ValidationError({"currency": _("Choose a currency from the list.")})
    need = attribute(
        FinancialNeed(
            partnership=partnership,
            organization=organization,
            amount=amount_d,
            currency=code,
            period=period.strip(),
            purpose=purpose.strip(),
            stated_by=actor,
            created_at=now,
        ),
        actor,
        at,
    )
    need.save()
    # Money is private to the partner organizations: so is its event.
    record(
        partnership,
        actor,
        Action.NEED_STATED,
        target=need,
        data={
            "organization_id": organization.pk,
            "organization": organization.name,
            "amount": str(amount_d),
            "currency": code,
        },
        private=True,
        at=now,
    )
    return need


@transaction.atomic
def need_update(
    *,
    actor: User,
    need: FinancialNeed,
    status: str,
    discussion_notes: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> FinancialNeed:
    require(perms.can_see_money(actor, need.partnership))
    if status not in FinancialNeed.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    old_status, old_notes = need.status, need.discussion_notes
    need.status = status
    need.discussion_notes = discussion_notes.strip()
    try:
        save_versioned(
            attribute(need, actor, at),
            fields=["status", "discussion_notes"],
            expected_version=expected_version,
        )
    except StaleEdit:
        need.status, need.discussion_notes = old_status, old_notes
        raise
    record(
        need.partnership,
        actor,
        Action.NEED_UPDATED,
        target=need,
        data={
            "organization_id": need.organization_id,
            "organization": need.organization.name,
            "status": [old_status, status],
        },
        private=True,
        at=moment(at),
    )
    return need
