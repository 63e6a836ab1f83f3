"""Who may manage an organization's API tokens and webhooks: its administrators."""

from __future__ import annotations

from accounts.models import Organization, User
from accounts.permissions import is_organization_admin


def can_manage_api(user: User, organization: Organization) -> bool:
    return is_organization_admin(user, organization)
