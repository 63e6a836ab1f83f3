import pytest
from django.contrib.sites.models import Site
from django.test import Client

from tests import factories as f


@pytest.mark.django_db
def test_site_is_named_tandem() -> None:
    assert Site.objects.get(pk=1).name == "Tandem"


@pytest.mark.django_db
def test_spanish_speaker_lands_on_spanish_pages_after_login(client: Client) -> None:
    f.UserFactory(email="lucia@example.mx", preferred_language="es")
    response = client.post(
        "/accounts/login/", {"login": "lucia@example.mx", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/es/")


@pytest.mark.django_db
def test_english_speaker_lands_on_english_pages_after_login(client: Client) -> None:
    f.UserFactory(email="sam@example.org", preferred_language="en")
    response = client.post(
        "/accounts/login/", {"login": "sam@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("/es/")


@pytest.mark.django_db
def test_a_person_without_a_name_is_shown_without_their_address() -> None:
    user = f.UserFactory(email="quiet.person@example.net", name="")
    assert str(user) == "quiet.person"
    assert "@" not in user.get_full_name()
