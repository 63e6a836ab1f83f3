"""Personas shared by every test: who is asking matters more than what is asked.

- ``city_staff``: member of the city that runs ``partnership``; its point of contact.
- ``city_admin``: administrator of that city.
- ``entrepreneur``: member of the lead social enterprise of ``partnership``.
- ``beneficiary``: a participant (advisor) in ``partnership``, in no organization.
- ``other_city_staff``: staff of another city, with a partnership of its own.
- ``outsider``: signed in, in an organization that is not part of ``partnership``.
- ``anonymous``: nobody signed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import Membership, Organization, User
from beneficiaries.models import Participant
from partnerships.models import Partnership
from tests import factories as f


@dataclass
class World:
    city: Organization
    other_city: Organization
    enterprise: Organization
    outsider_org: Organization
    partnership: Partnership
    other_partnership: Partnership
    city_staff: User
    city_admin: User
    entrepreneur: User
    beneficiary: User
    other_city_staff: User
    outsider: User


@pytest.fixture
def world(db: None) -> World:
    city = f.CityFactory(name="City of Riverton")
    other_city = f.CityFactory(name="City of Lakeside")
    enterprise = f.OrganizationFactory(name="Second Harvest Kitchens")
    outsider_org = f.OrganizationFactory(name="Unrelated Ventures")

    city_staff = f.UserFactory(email="contact@riverton.gov", name="Rosa Contact")
    city_admin = f.UserFactory(email="admin@riverton.gov", name="Ada Admin")
    entrepreneur = f.UserFactory(email="founder@harvest.org", name="Eli Founder")
    beneficiary = f.UserFactory(email="resident@example.net", name="Bea Resident")
    other_city_staff = f.UserFactory(email="staff@lakeside.gov", name="Otto Other")
    outsider = f.UserFactory(email="someone@unrelated.org", name="Olive Outsider")

    f.MembershipFactory(user=city_staff, organization=city)
    f.MembershipFactory(user=city_admin, organization=city, role=Membership.Role.ADMIN)
    f.MembershipFactory(user=entrepreneur, organization=enterprise, role=Membership.Role.ADMIN)
    f.MembershipFactory(user=other_city_staff, organization=other_city, role=Membership.Role.ADMIN)
    f.MembershipFactory(user=outsider, organization=outsider_org)

    partnership = f.PartnershipFactory(
        title="Community meals for older neighbours",
        city=city,
        lead=enterprise,
        point_of_contact=city_staff,
    )
    other_partnership = f.PartnershipFactory(title="Lakeside river clean-up", city=other_city)
    Participant.objects.create(
        partnership=partnership, user=beneficiary, role=Participant.Role.ADVISOR
    )
    return World(
        city=city,
        other_city=other_city,
        enterprise=enterprise,
        outsider_org=outsider_org,
        partnership=partnership,
        other_partnership=other_partnership,
        city_staff=city_staff,
        city_admin=city_admin,
        entrepreneur=entrepreneur,
        beneficiary=beneficiary,
        other_city_staff=other_city_staff,
        outsider=outsider,
    )


def _client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def city_staff(world: World) -> User:
    return world.city_staff


@pytest.fixture
def entrepreneur(world: World) -> User:
    return world.entrepreneur


@pytest.fixture
def beneficiary(world: World) -> User:
    return world.beneficiary


@pytest.fixture
def other_city_staff(world: World) -> User:
    return world.other_city_staff


@pytest.fixture
def anonymous() -> None:
    return None


PERSONAS = [
    "city_staff",
    "city_admin",
    "entrepreneur",
    "beneficiary",
    "other_city_staff",
    "outsider",
    "anonymous",
]


@pytest.fixture
def client_as(world: World):
    """``client_as("entrepreneur")`` gives a test client signed in as that persona."""

    def make(persona: str) -> Client:
        return _client_for(None if persona == "anonymous" else getattr(world, persona))

    return make
