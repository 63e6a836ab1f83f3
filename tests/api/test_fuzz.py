"""Schemathesis over every operation of the API, with a read token and a write token, on
a world like the demo's: no answer is a server error, and every answer keeps to the
schema (documented status, content type, headers and body).

Generated ids rarely name an object that exists, so half of the examples have their ``id``
swapped for one of the partnership's real objects: those reach the serializers and the
services. The number of examples per operation is kept small, so the whole run stays
well under two minutes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from health import services as health_services
from notifications.models import Notification
from tests import factories as f
from tests.api.conftest import make_token
from tests.conftest import World
from tests.test_url_walk import _bundle

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

_examples = itertools.count()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Schemathesis calls the WSGI application itself, which closes the database connection
    after each request, and with it the test's transaction; Django's test client stops
    that for its own requests, this does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(world: World) -> dict[str, Any]:
    mine = _bundle(world.partnership, world.city_staff)
    _bundle(world.other_partnership, world.other_city_staff)
    f.ProgressUpdateFactory(partnership=world.partnership, author=world.entrepreneur)
    # Scores to explain, and a notification of the token's person.
    health_services.scores_recompute(ids=[world.partnership.pk])
    notification = Notification.objects.create(
        recipient=world.entrepreneur, kind="stage_changed", partnership_id=world.partnership.pk
    )
    ids = {
        "partnerships": world.partnership.pk,
        "organizations": world.enterprise.pk,
        "plan-versions": mine.plan_version.pk,
        "checkins": mine.checkin.pk,
        "progress-updates": mine.progress_update.pk,
        "indicators": mine.indicator.pk,
        "measurements": mine.measurement.pk,
        "experiments": mine.experiment.pk,
        "financial-needs": mine.need.pk,
        "comments": mine.comment.pk,
        "notifications": notification.pk,
    }
    tokens = {scope: make_token(world.entrepreneur, scope)[1] for scope in ("read", "write")}
    return {"ids": ids, "tokens": tokens}


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_operation_within_its_schema(
    case: schemathesis.Case, fuzz_world: dict[str, Any]
) -> None:
    resource = case.path.removeprefix("/api/v1/").split("/")[0]
    params = case.path_parameters or {}
    if "id" in params and resource in fuzz_world["ids"] and next(_examples) % 2 == 0:
        params["id"] = fuzz_world["ids"][resource]
    for scope in ("read", "write"):
        cache.clear()
        case.call_and_validate(
            headers={"Authorization": f"Bearer {fuzz_world['tokens'][scope]}"}, checks=CHECKS
        )
