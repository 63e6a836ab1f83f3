"""The playbook names pages share between requests, and how they are refreshed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from playbook import names
from playbook.models import ModelPathway, Practice, Stage
from playbook.names import PlaybookNames

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def load(django_capture_on_commit_callbacks) -> Callable[[], PlaybookNames]:
    """``PlaybookNames.load()`` as a request in autocommit calls it: what it puts in the
    cache stays there (the test's own transaction never commits)."""

    def load() -> PlaybookNames:
        with django_capture_on_commit_callbacks(execute=True):
            return PlaybookNames.load()

    return load


def _a_stage() -> Stage:
    pathway = ModelPathway.objects.first() or ModelPathway.objects.create(
        slug="test-pathway", endgame="improve_services", name="Test pathway", description="x"
    )
    return Stage.objects.create(
        pathway=pathway,
        order=77,
        slug="test-cached-stage",
        name="Before",
        what_to_expect="x",
        city_support="x",
    )


def test_names_come_from_the_cache_after_the_first_read(
    load, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        stage = _a_stage()
    first = load()
    with django_assert_num_queries(0):
        again = load()
    assert again == first
    assert again.stages[stage.pk] == "Before"


def test_a_committed_rename_is_read_afresh(
    load, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        stage = _a_stage()
    assert load().stages[stage.pk] == "Before"

    stage.name = "After"
    with django_capture_on_commit_callbacks(execute=True):
        stage.save()

    assert load().stages[stage.pk] == "After"
    with django_assert_num_queries(0):
        assert load().stages[stage.pk] == "After"


@pytest.mark.parametrize("model", [Practice, ModelPathway, Stage])
def test_a_committed_delete_drops_the_name(model, load, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        stage = _a_stage()
        practice = Practice.objects.create(
            slug="cached-practice",
            number=98,
            name="Cached practice",
            short_description="x",
            guiding_questions="x",
        )
    before = load()
    assert stage.pk in before.stages
    assert practice.pk in before.practices

    # delete() clears the instance's pk, so the ids are kept first.
    stage_pk, pathway_pk, practice_pk = stage.pk, stage.pathway_id, practice.pk
    doomed = {Practice: practice, ModelPathway: stage.pathway, Stage: stage}[model]
    with django_capture_on_commit_callbacks(execute=True):
        doomed.delete()

    after = load()
    if model is Practice:
        assert practice_pk not in after.practices
    else:
        assert stage_pk not in after.stages
    if model is ModelPathway:
        assert pathway_pk not in after.pathways


def test_names_read_in_an_unfinished_transaction_are_never_cached() -> None:
    # The test's transaction is never committed here, just as one that will roll back.
    stage = _a_stage()
    key = f"playbook:names:{names.names_version()}:en"

    assert PlaybookNames.load().stages[stage.pk] == "Before"
    assert cache.get(key) is None


def test_each_language_has_its_own_entry(load, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        stage = _a_stage()
        stage.translations = {"es": {"name": "Antes"}}
        stage.save()

    assert load().stages[stage.pk] == "Before"
    with translation.override("es"):
        assert load().stages[stage.pk] == "Antes"
    assert load().stages[stage.pk] == "Before"


def test_a_lost_version_never_falls_back_to_an_older_one() -> None:
    old = names.names_version()
    names.bump_names_version()
    bumped = names.names_version()
    assert bumped != old

    cache.delete(names.VERSION_KEY)  # evicted, as a full cache may do

    assert names.names_version() not in (old, bumped)


def test_the_dashboard_shows_a_rename_committed_after_the_names_were_cached(
    client_as, world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        stage = _a_stage()
        world.partnership.pathway = stage.pathway
        world.partnership.stage = stage
        world.partnership.save()
    client = client_as("city_staff")
    dashboard = reverse("partnerships:dashboard")
    with django_capture_on_commit_callbacks(execute=True):
        assert "· Before</td>" in client.get(dashboard).content.decode()

    stage.name = "Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        stage.save()

    content = client.get(dashboard).content.decode()
    assert "· Renamed</td>" in content
    assert f'<option value="{stage.pk}">' in content
    assert "Before" not in content
