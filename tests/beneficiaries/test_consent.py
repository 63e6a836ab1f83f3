"""Consent in plain words: a participant agrees before anything else, and can take it back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beneficiaries import services
from beneficiaries.events import Action
from beneficiaries.models import CONSENT_VERSION, Consent
from core.models import Event
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _without_consent(world: World) -> None:
    Consent.objects.filter(user=world.beneficiary).delete()


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("partnerships:my", {}),
        ("partnerships:detail", {"pk": None}),
        ("partnerships:plan", {"pk": None}),
        ("beneficiaries:trainings", {"pk": None}),
    ],
)
def test_a_participant_without_consent_is_sent_to_the_consent_page(
    world: World, client_as, name: str, kwargs: dict[str, object]
) -> None:
    _without_consent(world)
    if "pk" in kwargs:
        kwargs = {"pk": world.partnership.pk}
    url = reverse(name, kwargs=kwargs)

    response = client_as("beneficiary").get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("beneficiaries:consent") + "?next=" + url.replace(
        "/", "%2F"
    )


@pytest.mark.parametrize(
    "name", ["beneficiaries:consent", "beneficiaries:my_data", "beneficiaries:account_delete"]
)
def test_the_pages_to_agree_download_or_leave_open_without_consent(
    world: World, client_as, name: str
) -> None:
    _without_consent(world)
    assert client_as("beneficiary").get(reverse(name)).status_code == 200


def test_partners_are_not_asked(world: World, client_as) -> None:
    response = client_as("entrepreneur").get(
        reverse("partnerships:detail", args=[world.partnership.pk])
    )
    assert response.status_code == 200


def test_the_consent_page_says_in_plain_words_what_who_and_how_to_leave(
    world: World, client_as
) -> None:
    _without_consent(world)
    text = client_as("beneficiary").get(reverse("beneficiaries:consent")).content.decode()
    for words in ("What Tandem keeps about you", "Who sees it", "You can leave", "I agree"):
        assert words in text


def test_agreeing_stores_the_version_and_time_and_goes_on(world: World, client_as) -> None:
    _without_consent(world)
    client = client_as("beneficiary")
    detail = reverse("partnerships:detail", args=[world.partnership.pk])

    response = client.post(reverse("beneficiaries:consent"), {"agree": "on", "next": detail})

    assert response["Location"] == detail
    consent = Consent.objects.get(user=world.beneficiary)
    assert consent.version == CONSENT_VERSION and consent.withdrawn_at is None
    event = Event.objects.get(action=Action.CONSENT_GIVEN)
    assert event.partnership_id == world.partnership.pk
    assert event.data == {"consent": consent.pk, "version": CONSENT_VERSION}
    assert client.get(detail).status_code == 200


def test_an_unticked_box_is_refused(world: World, client_as) -> None:
    _without_consent(world)
    response = client_as("beneficiary").post(reverse("beneficiaries:consent"), {})
    assert response.status_code == 400
    assert not Consent.objects.filter(user=world.beneficiary).exists()


def test_a_next_elsewhere_is_not_followed(world: World, client_as) -> None:
    _without_consent(world)
    response = client_as("beneficiary").post(
        reverse("beneficiaries:consent"), {"agree": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("partnerships:my")


def test_withdrawing_closes_the_partnership_until_they_agree_again(world: World, client_as) -> None:
    client = client_as("beneficiary")

    response = client.post(reverse("beneficiaries:consent_withdraw"))

    assert response["Location"] == reverse("beneficiaries:my_data")
    assert Consent.objects.current().filter(user=world.beneficiary).count() == 0
    assert Event.objects.filter(action=Action.CONSENT_WITHDRAWN).count() == 1
    detail = client.get(reverse("partnerships:detail", args=[world.partnership.pk]))
    assert detail.status_code == 302
    services.consent_give(actor=world.beneficiary)
    assert Consent.objects.filter(user=world.beneficiary).count() == 2


def test_a_new_version_of_the_text_asks_again(world: World, client_as) -> None:
    Consent.objects.filter(user=world.beneficiary).update(version="2020-01")
    response = client_as("beneficiary").get(reverse("partnerships:my"))
    assert response.status_code == 302
