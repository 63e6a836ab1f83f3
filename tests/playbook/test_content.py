"""The playbook content that the data migration loads."""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import translation

from playbook.models import ModelPathway, Practice, Stage

seed = import_module("playbook.migrations.0002_seed_playbook_content")

PRACTICE_SLUGS = [
    "beneficiaries-as-changemakers",
    "shared-agency",
    "build-bridges",
    "always-a-lab",
    "use-all-tools",
    "the-long-view",
    "honest-expectations",
    "shared-values",
]

pytestmark = pytest.mark.django_db


def test_migration_loads_the_eight_practices_in_order() -> None:
    practices = list(Practice.objects.all())
    assert [p.slug for p in practices] == PRACTICE_SLUGS
    assert [p.number for p in practices] == list(range(1, 9))


def test_every_practice_has_a_description_and_three_to_five_questions() -> None:
    for practice in Practice.objects.all():
        sentences = [s for s in practice.short_description.split(". ") if s.strip()]
        assert 2 <= len(sentences) <= 4, practice.slug
        with translation.override("en"):
            assert 3 <= len(practice.question_list()) <= 5, practice.slug
            assert all(q.endswith("?") for q in practice.question_list())


def test_migration_loads_one_pathway_per_endgame() -> None:
    pathways = {p.endgame: p.slug for p in ModelPathway.objects.all()}
    assert pathways == {
        ModelPathway.Endgame.IMPROVE_SERVICES: "improve-services",
        ModelPathway.Endgame.IMPROVE_OUTCOMES: "improve-outcomes",
        ModelPathway.Endgame.CHRONIC_PROBLEM: "tackle-a-chronic-problem",
    }


def test_each_pathway_has_four_to_six_stages_numbered_from_one() -> None:
    for pathway in ModelPathway.objects.all():
        orders = list(pathway.stages.values_list("order", flat=True))
        assert 4 <= len(orders) <= 6, pathway.slug
        assert orders == list(range(1, len(orders) + 1)), pathway.slug


def test_pathways_have_distinct_stages() -> None:
    stage_sets = [
        frozenset(p.stages.values_list("slug", flat=True)) for p in ModelPathway.objects.all()
    ]
    assert len(set(stage_sets)) == 3
    names = list(Stage.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))


def test_every_practice_is_translated_to_spanish() -> None:
    for practice in Practice.objects.all():
        spanish = practice.translations["es"]
        for field in ("name", "short_description", "guiding_questions"):
            assert spanish[field].strip(), (practice.slug, field)
            assert spanish[field] != getattr(practice, field), (practice.slug, field)
        assert len(spanish["guiding_questions"].splitlines()) == len(
            practice.guiding_questions.splitlines()
        )


def test_every_pathway_and_stage_is_translated_to_spanish() -> None:
    for pathway in ModelPathway.objects.all():
        for field in ("name", "description"):
            assert pathway.translations["es"][field] != getattr(pathway, field)
    for stage in Stage.objects.all():
        for field in ("name", "what_to_expect", "city_support"):
            assert stage.translations["es"][field].strip(), (stage.slug, field)
            assert stage.translations["es"][field] != getattr(stage, field), (stage.slug, field)


def test_tr_reads_the_active_language() -> None:
    practice = Practice.objects.get(slug="build-bridges")
    with translation.override("es"):
        assert practice.tr("name") == "Tender puentes"
        assert practice.question_list()[0].startswith("Cuando algo sale mal, ¿")
    with translation.override("en"):
        assert practice.tr("name") == "Build Bridges"


def test_tr_falls_back_to_english_when_a_translation_is_missing() -> None:
    practice = Practice.objects.get(slug="shared-values")
    practice.translations = {"es": {"name": "Valores compartidos"}}
    with translation.override("es"):
        assert practice.tr("name") == "Valores compartidos"
        assert practice.tr("short_description") == practice.short_description
    practice.translations = {}
    with translation.override("es"):
        assert practice.tr("name") == "Shared Values"


def test_tr_falls_back_to_english_for_a_language_without_translations() -> None:
    practice = Practice.objects.get(slug="always-a-lab")
    with translation.override("fr"):
        assert practice.tr("name") == "Always a Lab"


def test_loading_the_content_twice_changes_nothing() -> None:
    practice = Practice.objects.get(slug="the-long-view")
    practice.name = "Edited by hand"
    practice.save()

    seed.load_content(apps, None)

    assert Practice.objects.count() == 8
    assert ModelPathway.objects.count() == 3
    assert Stage.objects.count() == sum(len(p["stages"]) for p in seed.PATHWAYS)
    assert Practice.objects.get(slug="the-long-view").name == "The Long View"


def test_unloading_the_content_removes_practices_pathways_and_stages() -> None:
    seed.unload_content(apps, None)

    assert not Practice.objects.exists()
    assert not ModelPathway.objects.exists()
    assert not Stage.objects.exists()
