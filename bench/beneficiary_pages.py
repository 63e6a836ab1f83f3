"""Beneficiary page weights: what each page a beneficiary sees transfers on a cold load.

    .venv/bin/python bench/beneficiary_pages.py

Sets up a scratch test database (DATABASE_URL, else SQLite in memory), makes a partnership
with a participant, a printed invitation, an e-mailed one and a training, then opens every
page a beneficiary sees and prints, per page, the gzip-compressed size of the HTML and of
every stylesheet and script it links (read from the static files, compressed at level 9 as
the web server's pre-compressed copies are), and the total. The target is under 30 KB
(30,720 bytes) per page, CSS and scripts included; the exit status is 1 when a page misses
it. ``tests/beneficiaries/test_page_weight.py`` holds the same limit with the same sums.
Writes nothing into the repository.
"""

from __future__ import annotations

import gzip
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LIMIT = 30 * 1024
ASSET = re.compile(
    r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"|<script[^>]+src="([^"]+)"', re.IGNORECASE
)


@dataclass(frozen=True)
class Weight:
    html: int
    assets: dict[str, int]

    @property
    def total(self) -> int:
        return self.html + sum(self.assets.values())


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def weigh(html: str) -> Weight:
    """The compressed HTML plus every stylesheet and script it links, from the static files."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    assets: dict[str, int] = {}
    for css, js in ASSET.findall(html):
        url = css or js
        name = url.split("?")[0].removeprefix(settings.STATIC_URL).removeprefix("/static/")
        found = finders.find(name)
        assert found, f"{url} is not a static file"
        assets[name] = gzipped(Path(str(found)).read_bytes())
    return Weight(html=gzipped(html.encode()), assets=assets)


def beneficiary_pages() -> dict[str, tuple[object, str]]:
    """Page name -> (a client of the person who sees it, its URL), on fresh demo-like data."""
    from datetime import timedelta

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from beneficiaries import services
    from beneficiaries.models import CONSENT_VERSION, Consent
    from health import services as health_services
    from partnerships.models import Participant, PlanSection, PlanVersion
    from tests import factories as f

    city = f.CityFactory(name="City of Riverton")
    staff = f.UserFactory(email="contact@riverton.example", name="Rosa Contact")
    f.MembershipFactory(user=staff, organization=city)
    partnership = f.PartnershipFactory(
        title="Community meals for older neighbours", city=city, point_of_contact=staff
    )
    person = f.UserFactory(email="resident@example.net", name="Bea Resident")
    Participant.objects.create(partnership=partnership, user=person)
    Consent.objects.create(user=person, version=CONSENT_VERSION)
    training = services.training_schedule(
        actor=staff,
        partnership=partnership,
        topic="negotiation",
        starts_at=timezone.now() + timedelta(days=5),
        place="Community hall, 12 River Street",
        capacity=12,
    )
    services.training_signup(actor=person, training=training)
    emailed = services.participant_invitation_send(
        actor=staff, partnership=partnership, email="newcomer@example.net"
    )
    printed = services.participant_invitation_print(actor=staff, partnership=partnership)
    version = PlanVersion.objects.create(partnership=partnership, number=1, published_by=staff)
    section = PlanSection.objects.create(
        version=version,
        order=1,
        heading="Who comes to the meals",
        body="Older neighbours who live alone, and anyone they bring along.",
        summary="The meals are for older neighbours living alone.",
    )
    services.comment_post(actor=person, section=section, body="Could we start earlier?")
    survey_round = health_services.round_open(
        actor=staff, partnership=partnership, closes_on=timezone.localdate() + timedelta(days=14)
    )

    signed_in = Client()
    signed_in.force_login(person)
    visitor = Client()
    with_code = Client()
    with_code.post(reverse("beneficiaries:join"), {"code": printed.code})
    pk = partnership.pk
    return {
        "join (type the code)": (visitor, reverse("beneficiaries:join")),
        "join welcome": (with_code, reverse("beneficiaries:join_welcome")),
        "e-mailed invitation": (
            visitor,
            reverse("beneficiaries:invitation_accept", kwargs={"token": emailed.token}),
        ),
        "consent": (signed_in, reverse("beneficiaries:consent")),
        "my data": (signed_in, reverse("beneficiaries:my_data")),
        "delete account": (signed_in, reverse("beneficiaries:account_delete")),
        "trainings": (signed_in, reverse("beneficiaries:trainings", args=[pk])),
        "training": (
            signed_in,
            reverse("beneficiaries:training_detail", args=[pk, training.pk]),
        ),
        "plan in plain words": (signed_in, reverse("beneficiaries:plan", args=[pk])),
        "plan section": (signed_in, reverse("beneficiaries:section", args=[pk, section.pk])),
        "printed plan": (signed_in, reverse("beneficiaries:plan_print", args=[pk, 1])),
        "my comments": (signed_in, reverse("beneficiaries:my_comments", args=[pk])),
        "practice survey": (signed_in, reverse("health:survey", args=[pk, survey_round.pk])),
    }


def measure() -> dict[str, Weight]:
    weights = {}
    for name, (client, url) in beneficiary_pages().items():
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200, (name, url, response.status_code)
        weights[name] = weigh(response.content.decode())
    return weights


def main() -> int:
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        weights = measure()
    finally:
        teardown_databases(databases, verbosity=0)
    worst = 0
    print(f"{'page':<22} {'HTML':>7} {'CSS+JS':>8} {'total':>8}   (bytes, gzip -9)")
    for name, weight in weights.items():
        assets = sum(weight.assets.values())
        print(f"{name:<22} {weight.html:>7} {assets:>8} {weight.total:>8}")
        worst = max(worst, weight.total)
    any_weight = next(iter(weights.values()))
    for asset, size in any_weight.assets.items():
        print(f"  {asset}: {size} bytes compressed")
    print(f"heaviest page: {worst} bytes ({worst / 1024:.1f} KB); limit {LIMIT} bytes")
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
