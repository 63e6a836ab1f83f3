"""Every operation of the API, for every persona, through a read token, a write token
and a browser session, answers as this table says.

``OPERATIONS`` lists each operation of the OpenAPI schema by its id; a test in
tests/test_url_walk.py fails when the schema has an operation the table does not list
(or the table one the schema lacks), so no operation ships untested. Reads are expected
as the web shows the same objects; writes get fresh objects for each caller, so each
answer is the first one.

Callers: ``session`` (signed in, CSRF checks off as for the test client), ``read`` and
``write`` (a token of the persona's organization; the beneficiary is in none and the
anonymous visitor has none: their token rows are skipped). A read token writing is 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Organization, User
from beneficiaries.models import Comment
from notifications.models import Notification
from partnerships.models import CheckIn
from playbook.models import ModelPathway, Practice, Stage
from tests import factories as f
from tests.api.conftest import make_token
from tests.conftest import PERSONAS, World
from tests.test_url_walk import Bundle, _bundle

Expected = dict[str, int]


def each(default: int, **overrides: int) -> Expected:
    assert set(overrides) <= set(PERSONAS), set(overrides) - set(PERSONAS)
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


SIGNED_IN = each(200, anonymous=401)
SEES = each(404, city_staff=200, city_admin=200, entrepreneur=200, beneficiary=200, anonymous=401)
MONEY = each(404, city_staff=200, city_admin=200, entrepreneur=200, anonymous=401)
# Creating for our partnership: contributors succeed, a participant may not contribute,
# and to anyone else our indicator or partnership does not exist (a 400 on the field).
CREATE = each(400, city_staff=201, city_admin=201, entrepreneur=201, beneficiary=403, anonymous=401)
# Changing one of our objects: it is not found by those who cannot see it.
CHANGE = each(404, city_staff=200, city_admin=200, entrepreneur=200, beneficiary=403, anonymous=401)
# Answering a beneficiary's comment: the partners do, the city among them.
ANSWER = each(404, city_staff=201, city_admin=201, entrepreneur=201, beneficiary=403, anonymous=401)


@dataclass
class Ctx:
    world: World
    mine: Bundle
    etag: Callable[[str], str]
    # The organization the caller acts for (its own, else the lead's).
    organization: int
    # Who calls; None for the anonymous visitor.
    user: User | None = None


@dataclass(frozen=True)
class Operation:
    method: str
    url: Callable[[Ctx], str]
    expected: Expected
    body: Callable[[Ctx], Any] | None = None
    if_match: bool = False


def _today() -> str:
    return timezone.localdate().isoformat()


def _fresh_checkin(ctx: Ctx) -> str:
    checkin = f.CheckInFactory(partnership=ctx.mine.partnership, due_date=timezone.localdate())
    return f"/api/v1/checkins/{checkin.pk}/"


def _fresh_update(ctx: Ctx) -> str:
    update = f.ProgressUpdateFactory(
        partnership=ctx.mine.partnership, author=ctx.world.entrepreneur
    )
    return f"/api/v1/progress-updates/{update.pk}/"


def _measurement(ctx: Ctx) -> dict[str, Any]:
    return {"indicator": ctx.mine.indicator.pk, "date": _today(), "value": "7", "source": "Log"}


def _fresh_comment(ctx: Ctx) -> str:
    comment = Comment.objects.create(
        partnership=ctx.mine.partnership,
        section=ctx.mine.section,
        author=ctx.world.beneficiary,
        body="Saturdays too?",
    )
    return f"/api/v1/comments/{comment.pk}/answer/"


def _own_notification(ctx: Ctx) -> str:
    # About no partnership: one about a partnership the caller cannot see is not shown.
    notification = Notification.objects.create(
        recipient=ctx.user or ctx.world.city_staff, kind="partner_invited"
    )
    return f"/api/v1/notifications/{notification.pk}/"


def _first(model: Any) -> int:
    return int(model.objects.order_by("pk").values_list("pk", flat=True)[0])


def _detail(base: str, attribute: str) -> Callable[[Ctx], str]:
    return lambda ctx: f"/api/v1/{base}/{getattr(ctx.mine, attribute).pk}/"


def _list(base: str) -> Callable[[Ctx], str]:
    return lambda ctx: f"/api/v1/{base}/"


def _partnership(tail: str = "") -> Callable[[Ctx], str]:
    return lambda ctx: f"/api/v1/partnerships/{ctx.mine.partnership.pk}/{tail}"


OPERATIONS: dict[str, Operation] = {
    "organizations_list": Operation("get", _list("organizations"), SIGNED_IN),
    "organizations_retrieve": Operation(
        "get", lambda ctx: f"/api/v1/organizations/{ctx.world.city.pk}/", SIGNED_IN
    ),
    "partnerships_list": Operation("get", _list("partnerships"), SIGNED_IN),
    "partnerships_retrieve": Operation("get", _partnership(), SEES),
    "partnerships_partners_list": Operation("get", _partnership("partners/"), SEES),
    "partnerships_responsibilities_list": Operation("get", _partnership("responsibilities/"), SEES),
    "partnerships_stage_history_list": Operation("get", _partnership("stage-history/"), SEES),
    "partnerships_health_list": Operation("get", _partnership("health/"), SEES),
    "partnerships_round_scores_list": Operation("get", _partnership("round-scores/"), SEES),
    "plan_versions_list": Operation("get", _list("plan-versions"), SIGNED_IN),
    "plan_versions_retrieve": Operation("get", _detail("plan-versions", "plan_version"), SEES),
    "checkins_list": Operation("get", _list("checkins"), SIGNED_IN),
    "checkins_retrieve": Operation("get", _detail("checkins", "checkin"), SEES),
    "checkins_record_create": Operation(
        "post",
        lambda ctx: _fresh_checkin(ctx) + "record/",
        CHANGE,
        body=lambda ctx: {"held": True, "held_on": _today(), "notes": "Met at the kitchen"},
        if_match=True,
    ),
    "progress_updates_list": Operation("get", _list("progress-updates"), SIGNED_IN),
    "progress_updates_create": Operation(
        "post",
        _list("progress-updates"),
        CREATE,
        body=lambda ctx: {
            "partnership": ctx.mine.partnership.pk,
            "organization": ctx.organization,
            "text": "Served 40 meals",
        },
    ),
    "progress_updates_retrieve": Operation(
        "get", _detail("progress-updates", "progress_update"), SEES
    ),
    # Corrections are for the author (the entrepreneur here) and the partnership's managers.
    "progress_updates_partial_update": Operation(
        "patch",
        _fresh_update,
        {**CHANGE, "city_admin": 200, "city_staff": 200},
        body=lambda ctx: {"text": "Served 41 meals"},
        if_match=True,
    ),
    "indicators_list": Operation("get", _list("indicators"), SIGNED_IN),
    "indicators_retrieve": Operation("get", _detail("indicators", "indicator"), SEES),
    "measurements_list": Operation("get", _list("measurements"), SIGNED_IN),
    "measurements_create": Operation("post", _list("measurements"), CREATE, body=_measurement),
    "measurements_retrieve": Operation("get", _detail("measurements", "measurement"), SEES),
    "measurements_bulk_create": Operation(
        "post",
        lambda ctx: "/api/v1/measurements/bulk/",
        CREATE,
        body=lambda ctx: {"measurements": [_measurement(ctx), _measurement(ctx)]},
    ),
    "experiments_list": Operation("get", _list("experiments"), SIGNED_IN),
    "experiments_retrieve": Operation("get", _detail("experiments", "experiment"), SEES),
    "financial_needs_list": Operation("get", _list("financial-needs"), SIGNED_IN),
    "financial_needs_retrieve": Operation("get", _detail("financial-needs", "need"), MONEY),
    "comments_list": Operation("get", _list("comments"), SIGNED_IN),
    "comments_retrieve": Operation("get", _detail("comments", "comment"), SEES),
    "comments_answer_create": Operation(
        "post", _fresh_comment, ANSWER, body=lambda ctx: {"body": "From December, yes."}
    ),
    # One's own notifications only: everyone signed in reads and marks theirs.
    "notifications_list": Operation("get", _list("notifications"), SIGNED_IN),
    "notifications_retrieve": Operation("get", _own_notification, SIGNED_IN),
    "notifications_mark_read_create": Operation(
        "post", lambda ctx: "/api/v1/notifications/mark-read/", SIGNED_IN, body=lambda ctx: {}
    ),
    "practices_list": Operation("get", _list("practices"), SIGNED_IN),
    "practices_retrieve": Operation(
        "get", lambda ctx: f"/api/v1/practices/{_first(Practice)}/", SIGNED_IN
    ),
    "pathways_list": Operation("get", _list("pathways"), SIGNED_IN),
    "pathways_retrieve": Operation(
        "get", lambda ctx: f"/api/v1/pathways/{_first(ModelPathway)}/", SIGNED_IN
    ),
    "stages_list": Operation("get", _list("stages"), SIGNED_IN),
    "stages_retrieve": Operation("get", lambda ctx: f"/api/v1/stages/{_first(Stage)}/", SIGNED_IN),
}

# Who has which kind of caller: a token needs an organization.
CALLERS = [
    (persona, caller)
    for persona in PERSONAS
    for caller in ("session", "read", "write")
    if not (caller != "session" and persona in ("beneficiary", "other_beneficiary", "anonymous"))
]


def _client(world: World, persona: str, caller: str) -> APIClient:
    client = APIClient()
    if persona == "anonymous":
        return client
    user = getattr(world, persona)
    if caller == "session":
        client.force_login(user)
    else:
        _token, secret = make_token(user, caller)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def expected(operation: Operation, persona: str, caller: str) -> int:
    wanted = operation.expected[persona]
    if operation.method != "get" and caller == "read" and wanted != 401:
        return 403
    return wanted


@pytest.mark.parametrize(("persona", "caller"), CALLERS)
def test_every_operation_answers_each_persona_and_scope_as_the_table_says(
    persona: str, caller: str, world: World
) -> None:
    mine = _bundle(world.partnership, world.city_staff)
    _bundle(world.other_partnership, world.other_city_staff)
    # The stage history and the pathway's stages have something to show.
    Organization.objects.filter(pk=world.city.pk).update(status=Organization.Status.APPROVED)
    client = _client(world, persona, caller)
    admin = APIClient()
    admin.force_login(world.city_admin)

    def etag(url: str) -> str:
        return str(admin.get(url)["ETag"])

    user: User | None = getattr(world, persona, None)
    own = sorted(user.organization_ids()) if user is not None else []
    ctx = Ctx(
        world=world,
        mine=mine,
        etag=etag,
        organization=own[0] if own else world.enterprise.pk,
        user=user,
    )
    problems = []
    for key, operation in OPERATIONS.items():
        cache.clear()  # rate limits are tested on their own
        url = operation.url(ctx)
        headers = {}
        if operation.if_match:
            target = url.removesuffix("record/")
            headers["HTTP_IF_MATCH"] = etag(target)
        body = operation.body(ctx) if operation.body else None
        response = getattr(client, operation.method)(url, body, format="json", **headers)
        want = expected(operation, persona, caller)
        if response.status_code != want:
            problems.append(
                f"{key} {operation.method.upper()} {url} as {persona}/{caller}: "
                f"expected {want}, got {response.status_code} {response.content[:200]!r}"
            )
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}, key
    assert not problems, "\n".join(problems)


def test_a_write_that_succeeds_changes_what_the_web_shows(world: World) -> None:
    mine = _bundle(world.partnership, world.city_staff)
    client = _client(world, "entrepreneur", "write")
    url = f"/api/v1/checkins/{mine.checkin.pk}/"
    CheckIn.objects.filter(pk=mine.checkin.pk).update(due_date=timezone.localdate())

    response = client.post(
        url + "record/", {"held": False}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"]
    )

    assert response.status_code == 200
    assert CheckIn.objects.get(pk=mine.checkin.pk).status == CheckIn.Status.MISSED
