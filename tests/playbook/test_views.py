"""The public playbook pages, in English and Spanish, for every persona."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from playbook.models import ModelPathway, Practice
from tests.conftest import PERSONAS

PUBLIC_URLS = [
    "/playbook/",
    "/playbook/pathways/",
    "/playbook/pathways/improve-services/",
    "/playbook/pathways/improve-outcomes/",
    "/playbook/pathways/tackle-a-chronic-problem/",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_playbook_pages_are_public_for_every_persona(client_as, persona: str, url: str) -> None:
    response = client_as(persona).get(url)
    assert response.status_code == 200


def test_url_names_resolve_to_the_playbook_paths() -> None:
    with translation.override("en"):
        assert reverse("playbook:practices") == "/playbook/"
        assert reverse("playbook:pathways") == "/playbook/pathways/"
        assert (
            reverse("playbook:pathway_detail", args=["improve-outcomes"])
            == "/playbook/pathways/improve-outcomes/"
        )


@pytest.mark.django_db
def test_practice_library_shows_every_practice_with_its_questions_and_anchor(
    client: Client,
) -> None:
    content = client.get("/playbook/").content.decode()
    for practice in Practice.objects.all():
        assert f'id="{practice.slug}"' in content
        assert f'href="#{practice.slug}"' in content
        assert practice.name in content
        for question in practice.question_list():
            assert question.replace("'", "&#x27;") in content


@pytest.mark.django_db
def test_practice_library_in_spanish_shows_spanish_names(client: Client) -> None:
    response = client.get("/es/playbook/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'lang="es"' in content
    assert "Beneficiarios como agentes de cambio" in content
    assert "Tender puentes" in content
    assert "Expectativas honestas" in content
    assert "Build Bridges" not in content


@pytest.mark.django_db
def test_pathway_list_shows_each_pathway_with_its_stages_in_order(client: Client) -> None:
    content = client.get("/playbook/pathways/").content.decode()
    for pathway in ModelPathway.objects.prefetch_related("stages"):
        assert pathway.name in content
        positions = [content.index(stage.name) for stage in pathway.stages.all()]
        assert positions == sorted(positions)
        assert f'href="/playbook/pathways/{pathway.slug}/"' in content


@pytest.mark.django_db
def test_pathway_list_in_spanish_shows_spanish_pathways(client: Client) -> None:
    content = client.get("/es/playbook/pathways/").content.decode()
    assert "Abordar un problema crónico" in content
    assert "Replantear la necesidad con los vecinos" in content
    assert 'href="/es/playbook/pathways/improve-services/"' in content


@pytest.mark.django_db
def test_pathway_page_shows_each_stage_with_what_to_expect_and_city_support(
    client: Client,
) -> None:
    pathway = ModelPathway.objects.get(slug="tackle-a-chronic-problem")
    content = client.get("/playbook/pathways/tackle-a-chronic-problem/").content.decode()
    for stage in pathway.stages.all():
        assert f'id="{stage.slug}"' in content
        assert stage.what_to_expect.replace("'", "&#x27;") in content
        assert stage.city_support.replace("'", "&#x27;") in content
    # Only this pathway's stages: another pathway's are not listed.
    assert "Pilot a better way" not in content
    assert "Improve services" in content  # linked among the other pathways


@pytest.mark.django_db
def test_pathway_page_in_spanish_shows_spanish_stages(client: Client) -> None:
    content = client.get("/es/playbook/pathways/improve-services/").content.decode()
    assert "Mejorar servicios" in content
    assert "Probar una manera mejor" in content
    assert "Pilot a better way" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/es"])
def test_unknown_pathway_slug_is_not_found(client: Client, prefix: str) -> None:
    response = client.get(f"{prefix}/playbook/pathways/no-such-pathway/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_pages_say_so_when_no_content_is_loaded(client: Client) -> None:
    ModelPathway.objects.all().delete()
    Practice.objects.all().delete()
    assert b"have not been loaded yet" in client.get("/playbook/").content
    assert b"have not been loaded yet" in client.get("/playbook/pathways/").content


@pytest.mark.django_db
def test_playbook_pages_use_no_inline_styles_or_scripts(client: Client) -> None:
    for url in PUBLIC_URLS:
        content = client.get(url).content.decode()
        assert "style=" not in content
        assert "<script>" not in content
