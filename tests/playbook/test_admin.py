"""Site staff can edit the playbook content in the admin."""

import pytest
from django.test import Client

from playbook.models import ModelPathway, Practice, Stage
from tests import factories as f


@pytest.fixture
def admin_client_for_staff(db: None) -> Client:
    user = f.UserFactory(email="editor@tandem.example", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_admin_lists_practices_pathways_and_stages(admin_client_for_staff: Client) -> None:
    for url in [
        "/admin/playbook/practice/",
        "/admin/playbook/modelpathway/",
        "/admin/playbook/stage/",
    ]:
        assert admin_client_for_staff.get(url).status_code == 200


def test_pathway_admin_edits_its_stages_inline(admin_client_for_staff: Client) -> None:
    pathway = ModelPathway.objects.get(slug="improve-services")
    response = admin_client_for_staff.get(f"/admin/playbook/modelpathway/{pathway.pk}/change/")
    assert response.status_code == 200
    assert b"stages-TOTAL_FORMS" in response.content
    assert b"Pilot a better way" in response.content


def test_admin_change_pages_open_for_a_practice_and_a_stage(
    admin_client_for_staff: Client,
) -> None:
    practice = Practice.objects.get(slug="shared-agency")
    stage = Stage.objects.get(slug="work-as-a-lab")
    assert (
        admin_client_for_staff.get(f"/admin/playbook/practice/{practice.pk}/change/").status_code
        == 200
    )
    assert (
        admin_client_for_staff.get(f"/admin/playbook/stage/{stage.pk}/change/").status_code == 200
    )
