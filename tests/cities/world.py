"""The cities room's objects in the personas' world, made once per scene.

Riverton (``world.city``) has a point of contact, a published statement (version 1) with a
draft on top, an introduction from the entrepreneur's organization, an experience in its
register; the entrepreneur's organization is invited to the draft and belongs to a network
that someone outside the personas administers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.models import Membership, Organization
from cities.models import (
    Experience,
    Introduction,
    NetworkMember,
    Offer,
    PointOfContact,
    Statement,
    StatementInvitation,
    StatementSection,
    StatementVersion,
)
from playbook.models import GettingStartedStep
from tests import factories as f


@dataclass
class CitiesScene:
    introduction: Introduction
    experience: Experience
    network: Organization
    member: NetworkMember
    city_step: str


def cities_scene(scene: Any) -> CitiesScene:
    """Built the first time a URL of the walk asks for it, then kept on the scene.

    The phone walk's scene is made from the demo (``world`` holds only its city and
    enterprise): what the demo already has is kept, the rest is added.
    """
    made = getattr(scene, "_cities", None)
    if made is not None:
        return made
    world = scene.world
    city, enterprise = world.city, world.enterprise
    other = getattr(world, "outsider_org", None) or f.OrganizationFactory(name="Other Ventures")
    PointOfContact.objects.get_or_create(
        city=city, defaults={"person": scene.membership.user, "how_to_reach": "Tuesdays"}
    )
    Offer.objects.get_or_create(
        organization=enterprise,
        defaults={"who_we_are": "Cooks", "value": "Meals", "needs": "A kitchen"},
    )
    statement, _created = Statement.objects.get_or_create(city=city)
    for order, key in enumerate(StatementSection.Key.values, start=1):
        StatementSection.objects.get_or_create(
            statement=statement, key=key, defaults={"order": order, "body": f"Draft text {order}"}
        )
    if not statement.versions.exists():
        StatementVersion.objects.create(
            statement=statement,
            number=1,
            sections={k: f"Published text {n}" for n, k in enumerate(StatementSection.Key.values)},
        )
    StatementInvitation.objects.get_or_create(statement=statement, organization=enterprise)
    introduction = Introduction.objects.create(
        city=city, organization=other, message="Hello", who_we_are="Us", value="V", needs="N"
    )
    experience = Experience.objects.create(
        city=city,
        department="Parks",
        organization_name="Green Hands",
        what_happened="Planted trees",
        what_was_learned="Ask early",
    )
    network = f.OrganizationFactory(name="Walk Network", kind=Organization.Kind.NETWORK)
    f.MembershipFactory(organization=network, role=Membership.Role.ADMIN)
    member = NetworkMember.objects.create(network=network, organization=enterprise)
    step = GettingStartedStep.objects.filter(audience="city").order_by("number").first()
    made = CitiesScene(
        introduction=introduction,
        experience=experience,
        network=network,
        member=member,
        city_step=step.slug if step else "none",
    )
    scene._cities = made
    return made
