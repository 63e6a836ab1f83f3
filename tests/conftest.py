"""Personas shared by every test: who is asking matters more than what is asked.

- ``city_staff``: member of the city that runs ``partnership``; its point of contact.
- ``city_admin``: administrator of that city.
- ``entrepreneur``: member of the lead social enterprise of ``partnership``.
- ``beneficiary``: a participant (advisor) in ``partnership``, in no organization; has
  given consent (``beneficiaries.Consent``).
- ``other_beneficiary``: a participant of ``other_partnership`` (another city), with consent.
- ``other_city_staff``: staff of another city, with a partnership of its own.
- ``outsider``: signed in, in an organization that is not part of ``partnership``.
- ``anonymous``: nobody signed in.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.models import Membership, Organization, User
from beneficiaries.models import CONSENT_VERSION, Consent
from partnerships.models import Participant, Partnership
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
    other_beneficiary: User
    other_city_staff: User
    outsider: User


@pytest.fixture(autouse=True)
def _broker_not_paused() -> None:
    """A test that stopped the broker leaves core.queueing's pause behind: not for the next."""
    import core.queueing

    core.queueing._paused_until = 0.0


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request to /es/... leaves Spanish active in this thread; later tests expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    other_beneficiary = f.UserFactory(email="neighbour@example.net", name="Nico Neighbour")
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
    Participant.objects.create(
        partnership=other_partnership, user=other_beneficiary, role=Participant.Role.ADVISOR
    )
    # Both agreed to the consent text, so the pages of their partnerships open to them.
    Consent.objects.create(user=beneficiary, version=CONSENT_VERSION)
    Consent.objects.create(user=other_beneficiary, version=CONSENT_VERSION)
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
        other_beneficiary=other_beneficiary,
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
    "other_beneficiary",
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


# --- Tests that need real services -------------------------------------------
# ``services`` tests need Redis and a real Celery worker; ``e2e`` tests need Chromium.
# On a laptop without them those tests are deselected (with a note in the header);
# CI sets TANDEM_REQUIRE_SERVICES=1, where a missing service is an error, never a
# silently smaller test run.

CHROMIUM = Path("/usr/bin/chromium")
_MISSING_SERVICES = pytest.StashKey[dict[str, str]]()


def _redis_answers(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except redis.RedisError:
        return False


def _missing_services() -> dict[str, str]:
    """Marker name -> why the service it needs is not available here."""
    missing: dict[str, str] = {}
    redis_url = os.environ.get("REDIS_URL", "")
    celery = Path(sys.executable).with_name("celery")
    if not redis_url:
        missing["services"] = "REDIS_URL is not set"
    elif not _redis_answers(redis_url):
        missing["services"] = "Redis at REDIS_URL does not answer"
    elif not celery.exists():
        missing["services"] = f"{celery} is not installed"
    if not CHROMIUM.exists():
        missing["e2e"] = f"{CHROMIUM} is not installed (apt-get install chromium)"
    elif importlib.util.find_spec("playwright") is None:
        missing["e2e"] = "the playwright package is not installed (make install-dev)"
    return missing


def pytest_configure(config: pytest.Config) -> None:
    missing = _missing_services()
    if missing and os.environ.get("TANDEM_REQUIRE_SERVICES") == "1":
        reasons = "; ".join(f"'{marker}' tests: {why}" for marker, why in missing.items())
        raise pytest.UsageError(f"TANDEM_REQUIRE_SERVICES=1 but {reasons}")
    config.stash[_MISSING_SERVICES] = missing


def pytest_report_header(config: pytest.Config) -> list[str]:
    missing = config.stash.get(_MISSING_SERVICES, {})
    return [
        f"tandem: '{marker}' tests deselected: {why} (CI runs them)"
        for marker, why in missing.items()
    ]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # Repeated at the end, where it is seen even with -q (which hides the header).
    for line in pytest_report_header(terminalreporter.config):
        terminalreporter.write_line(line, yellow=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = config.stash.get(_MISSING_SERVICES, {})
    if not missing:
        return
    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        needs_missing = any(item.get_closest_marker(marker) for marker in missing)
        (deselected if needs_missing else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
