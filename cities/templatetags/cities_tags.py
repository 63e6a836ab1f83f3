"""The part of an organization's page that the cities room provides: its getting-started
progress and the way to its city's playbook (``{% load cities_tags %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.models import Organization
from cities.models import ChecklistItem
from cities.services import audience_of
from playbook.models import GettingStartedStep

register = template.Library()


@register.inclusion_tag("cities/_organization_playbook.html")
def organization_playbook(organization: Organization) -> dict[str, Any]:
    total = GettingStartedStep.objects.filter(audience=audience_of(organization)).count()
    done = ChecklistItem.objects.filter(
        organization=organization, done_at__isnull=False, step__audience=audience_of(organization)
    ).count()
    return {
        "organization": organization,
        "done": done,
        "total": total,
        "is_network": organization.kind == Organization.Kind.NETWORK,
    }
