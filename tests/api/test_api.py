"""The API as a partner system meets it: tokens, the same rules as the web, safe writes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from api import services
from api.models import ApiToken
from core.models import Event
from partnerships.models import CheckIn, Measurement, ProgressUpdate
from tests import factories as f
from tests.api.conftest import make_token
from tests.conftest import World

TokenClient = Callable[..., APIClient]
TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_reads_what_its_person_sees_and_another_city_is_not_found(
    world: World, token_for: TokenClient
) -> None:
    client = token_for("entrepreneur")

    listed = client.get("/api/v1/partnerships/").json()
    theirs = client.get(f"/api/v1/partnerships/{world.other_partnership.pk}/")

    assert [row["id"] for row in listed["results"]] == [world.partnership.pk]
    assert theirs.status_code == 404
    assert theirs.json()["error"]["code"] == "not_found"


def test_every_object_has_an_etag(world: World, token_for: TokenClient) -> None:
    response = token_for("city_staff").get(f"/api/v1/partnerships/{world.partnership.pk}/")

    assert response["ETag"] == f'"v{world.partnership.version}"'


def test_a_read_token_cannot_write(world: World, token_for: TokenClient) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    body = {"indicator": indicator.pk, "date": TODAY(), "value": "3", "source": "Count"}

    response = token_for("entrepreneur", "read").post("/api/v1/measurements/", body, format="json")

    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_a_write_through_a_token_is_logged_as_the_token_with_its_person(
    world: World,
) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    token, secret = make_token(world.entrepreneur, "write")
    body = {"indicator": indicator.pk, "date": TODAY(), "value": "3", "source": "Count"}

    response = _bearer(secret).post("/api/v1/measurements/", body, format="json")

    assert response.status_code == 201, response.content
    event = Event.objects.get(action="partnerships.measurement.added")
    assert (event.actor_kind, event.token_id, event.actor) == (
        "token",
        token.pk,
        world.entrepreneur,
    )
    assert "through the API token" in event.actor_display()


def test_service_messages_come_back_per_field(world: World, token_for: TokenClient) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    body = {"indicator": indicator.pk, "date": future, "value": "3", "source": "Count"}

    response = token_for("entrepreneur", "write").post("/api/v1/measurements/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"date": ["This date is in the future."]}


def test_revocation_and_expiry_apply_on_the_next_request(world: World) -> None:
    token, secret = make_token(world.city_admin, "read")
    client = _bearer(secret)
    assert client.get("/api/v1/practices/").status_code == 200

    services.token_revoke(actor=world.city_admin, token=token)
    assert client.get("/api/v1/practices/").status_code == 401

    other, other_secret = make_token(world.city_admin, "read")
    ApiToken.objects.filter(pk=other.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _bearer(other_secret).get("/api/v1/practices/").status_code == 401
    assert _bearer(other_secret[:-2] + "xx").get("/api/v1/practices/").status_code == 401


def test_last_use_is_recorded(world: World) -> None:
    token, secret = make_token(world.city_admin)

    _bearer(secret).get("/api/v1/practices/")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_financial_needs_are_for_partner_organizations_only(
    world: World, token_for: TokenClient, client_as: Callable[[str], object]
) -> None:
    need = f.FinancialNeedFactory(partnership=world.partnership)

    assert [
        n["id"] for n in token_for("entrepreneur").get("/api/v1/financial-needs/").json()["results"]
    ] == [need.pk]
    beneficiary = client_as("beneficiary")
    assert beneficiary.get("/api/v1/financial-needs/").json()["results"] == []  # type: ignore[attr-defined]
    assert beneficiary.get(f"/api/v1/financial-needs/{need.pk}/").status_code == 404  # type: ignore[attr-defined]


def _bulk(indicator_pk: int, n: int, bad: int | None = None) -> dict[str, object]:
    rows = [
        {"indicator": indicator_pk, "date": TODAY(), "value": str(i), "source": "Sensor"}
        for i in range(n)
    ]
    if bad is not None:
        rows[bad]["value"] = "-5"
    return {"measurements": rows}


def test_bulk_is_all_or_nothing(world: World, token_for: TokenClient) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    client = token_for("entrepreneur", "write")

    refused = client.post(
        "/api/v1/measurements/bulk/", _bulk(indicator.pk, 5, bad=3), format="json"
    )

    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]["rows"]) == ["3"]
    assert not Measurement.objects.exists()
    accepted = client.post("/api/v1/measurements/bulk/", _bulk(indicator.pk, 5), format="json")
    assert accepted.status_code == 201
    assert Measurement.objects.count() == 5
    assert Event.objects.filter(action="partnerships.measurement.added").count() == 5


def test_bulk_queries_do_not_grow_with_the_rows(world: World, token_for: TokenClient) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    client = token_for("entrepreneur", "write")
    client.get("/api/v1/practices/")  # the token's first use records it: not counted below
    counts = []
    for n in (3, 60):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/api/v1/measurements/bulk/", _bulk(indicator.pk, n), format="json"
            )
        assert response.status_code == 201
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_same_idempotency_key_replays_and_a_different_body_is_refused(
    world: World, token_for: TokenClient
) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    client = token_for("entrepreneur", "write")
    body = {"indicator": indicator.pk, "date": TODAY(), "value": "3", "source": "Count"}
    key = {"HTTP_IDEMPOTENCY_KEY": "8c2b1f0e"}

    first = client.post("/api/v1/measurements/", body, format="json", **key)
    again = client.post("/api/v1/measurements/", body, format="json", **key)
    other = client.post("/api/v1/measurements/", {**body, "value": "4"}, format="json", **key)

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Measurement.objects.count() == 1


def test_a_key_still_running_answers_409(world: World, token_for: TokenClient) -> None:
    from api.models import IdempotencyKey

    indicator = f.IndicatorFactory(partnership=world.partnership)
    _token, secret = make_token(world.entrepreneur, "write")
    body = {"indicator": indicator.pk, "date": TODAY(), "value": "3", "source": "Count"}
    client = _bearer(secret)
    first = client.post("/api/v1/measurements/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    IdempotencyKey.objects.filter(key="k1").update(state="running")

    again = client.post("/api/v1/measurements/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert (first.status_code, again.status_code) == (201, 409)


def test_old_idempotency_keys_are_swept(world: World, token_for: TokenClient) -> None:
    from api.models import IdempotencyKey
    from api.tasks import idempotency_keys_purge_task

    IdempotencyKey.objects.create(owner="organization:1", key="old", fingerprint="x")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyKey.objects.create(owner="organization:1", key="new", fingerprint="x")

    assert idempotency_keys_purge_task.delay().get() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_an_edit_needs_if_match_and_a_stale_one_is_refused(
    world: World, token_for: TokenClient
) -> None:
    update = f.ProgressUpdateFactory(partnership=world.partnership, author=world.entrepreneur)
    client = token_for("entrepreneur", "write")
    url = f"/api/v1/progress-updates/{update.pk}/"
    etag = client.get(url)["ETag"]

    missing = client.patch(url, {"text": "New"}, format="json")
    first = client.patch(url, {"text": "First"}, format="json", HTTP_IF_MATCH=etag)
    stale = client.patch(url, {"text": "Second"}, format="json", HTTP_IF_MATCH=etag)

    assert (missing.status_code, first.status_code, stale.status_code) == (428, 200, 412)
    assert first["ETag"] != etag
    update.refresh_from_db()
    assert update.text == "First"


@pytest.mark.django_db(transaction=True)
def test_two_clients_recording_one_checkin_at_once_one_wins_one_gets_412() -> None:
    """Two partner systems read the same check-in and record it at the same moment, each
    in its own thread and database connection: the version in the UPDATE decides."""
    from accounts.models import Membership

    city = f.CityFactory()
    admin = f.UserFactory()
    f.MembershipFactory(user=admin, organization=city, role=Membership.Role.ADMIN)
    partnership = f.PartnershipFactory(city=city)
    checkin = f.CheckInFactory(partnership=partnership, due_date=timezone.localdate())
    clients = [_bearer(make_token(admin, "write")[1]) for _ in range(2)]
    url = f"/api/v1/checkins/{checkin.pk}/record/"
    etag = clients[0].get(f"/api/v1/checkins/{checkin.pk}/")["ETag"]
    barrier = threading.Barrier(2)
    # SQLite has one writer at a time: there the two requests take turns.
    turns = threading.Lock() if connection.vendor != "postgresql" else None
    statuses: list[int] = []

    def record(client: APIClient) -> None:
        barrier.wait(timeout=10)
        body = {"held": True, "held_on": timezone.localdate().isoformat(), "notes": "Met"}
        try:
            if turns is not None:
                with turns:
                    answer = client.post(url, body, format="json", HTTP_IF_MATCH=etag)
            else:
                answer = client.post(url, body, format="json", HTTP_IF_MATCH=etag)
            statuses.append(answer.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # The loser either lost the UPDATE (412) or found it recorded under its row lock (400).
    assert sorted(statuses)[0] == 200 and sorted(statuses)[1] in (400, 412), statuses
    assert CheckIn.objects.get(pk=checkin.pk).status == CheckIn.Status.HELD


def test_a_checkin_record_with_a_stale_etag_is_412(world: World, token_for: TokenClient) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=timezone.localdate())
    client = token_for("entrepreneur", "write")
    CheckIn.objects.filter(pk=checkin.pk).update(version=5)
    body = {"held": False}

    response = client.post(
        f"/api/v1/checkins/{checkin.pk}/record/", body, format="json", HTTP_IF_MATCH='"v1"'
    )

    assert response.status_code == 412
    assert CheckIn.objects.get(pk=checkin.pk).status == CheckIn.Status.SCHEDULED


def test_progress_is_logged_through_the_service(world: World, token_for: TokenClient) -> None:
    body = {
        "partnership": world.partnership.pk,
        "organization": world.enterprise.pk,
        "text": "Fed 40",
    }

    response = token_for("entrepreneur", "write").post(
        "/api/v1/progress-updates/", body, format="json"
    )

    assert response.status_code == 201, response.content
    assert ProgressUpdate.objects.get().text == "Fed 40"
    theirs = {**body, "partnership": world.other_partnership.pk}
    refused = token_for("entrepreneur", "write").post(
        "/api/v1/progress-updates/", theirs, format="json"
    )
    assert refused.status_code == 400
    assert "partnership" in refused.json()["error"]["fields"]


def test_a_browser_session_needs_the_csrf_token_to_write(world: World) -> None:
    indicator = f.IndicatorFactory(partnership=world.partnership)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.entrepreneur)
    body = {"indicator": indicator.pk, "date": TODAY(), "value": "3", "source": "Count"}

    assert client.get("/api/v1/partnerships/").status_code == 200
    response = client.post("/api/v1/measurements/", body, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


def test_too_many_requests_answer_429_with_retry_after(world: World, settings: object) -> None:
    from django.conf import settings as django_settings
    from django.core.cache import cache
    from django.test import override_settings

    cache.clear()
    rates = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/min"}}
    _token, secret = make_token(world.city_admin)
    client = _bearer(secret)
    with override_settings(REST_FRAMEWORK=rates):
        answers = [client.get("/api/v1/practices/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0


def test_the_schema_generates_without_warnings_and_documents_every_operation() -> None:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert GENERATOR_STATS._warn_cache == {} and GENERATOR_STATS._error_cache == {}
    problems = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if not operation.get("description"):
                problems.append(f"{method} {path}: no description")
            examples = [
                content.get("examples")
                for response in operation["responses"].values()
                for content in response.get("content", {}).values()
            ] + [
                content.get("examples")
                for content in operation.get("requestBody", {}).get("content", {}).values()
            ]
            if not any(examples):
                problems.append(f"{method} {path}: no example")
    assert not problems, "\n".join(problems)


def test_the_documentation_pages_keep_the_content_security_policy(client: object) -> None:
    """Scripts from our own origin only; ReDoc alone may add inline styles (api/docs.py)."""
    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)  # type: ignore[attr-defined]
        html = response.content.decode()
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-eval" not in policy
        assert "<script>" not in html and "https://" not in html
        assert "/static/drf_spectacular_sidecar/" in html


def test_a_partnership_row_of_the_list_is_the_partnership_as_read_alone(
    world: World, token_for: TokenClient
) -> None:
    client = token_for("city_staff")

    row = client.get("/api/v1/partnerships/").json()["results"][0]

    assert row == client.get(f"/api/v1/partnerships/{row['id']}/").json()
