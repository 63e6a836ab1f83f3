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
    """Built the first time a URL of the walk asks for it, then kept on the scene."""
    made = getattr(scene, "_cities", None)
    if made is not None:
        return made
    world = scene.world
    city = world.city
    PointOfContact.objects.create(city=city, person=world.city_staff, how_to_reach="Tuesdays")
    Offer.objects.create(
        organization=world.enterprise, who_we_are="Cooks", value="Meals", needs="A kitchen"
    )
    statement = Statement.objects.create(city=city)
    for order, key in enumerate(StatementSection.Key.values, start=1):
        StatementSection.objects.create(statement=statement, key=key, order=order, body=key)
    StatementVersion.objects.create(
        statement=statement, number=1, sections={k: f"{k} 1" for k in StatementSection.Key.values}
    )
    StatementInvitation.objects.create(statement=statement, organization=world.enterprise)
    introduction = Introduction.objects.create(
        city=city,
        organization=world.outsider_org,
        message="Hello",
        who_we_are="Us",
        value="Value",
        needs="Needs",
    )
    experience = Experience.objects.create(
        city=city,
        department="Parks",
        organization_name="Green Hands",
        what_happened="Planted trees",
        what_was_learned="Ask early",
    )
    network = f.OrganizationFactory(
        name="Riverton Social Enterprise Network", kind=Organization.Kind.NETWORK
    )
    f.MembershipFactory(organization=network, role=Membership.Role.ADMIN)
    member = NetworkMember.objects.create(network=network, organization=world.enterprise)
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
