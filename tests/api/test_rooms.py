"""The API's health scores, plan comments and notifications show each caller what the web
shows the same person: hidden survey figures stay hidden, a hidden comment is for the
moderators and its author, and a person reads only their own notifications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from beneficiaries import services as beneficiary_services
from beneficiaries.models import Comment, CommentAnswer
from core.models import Event
from health import services as health_services
from health.models import Group, PracticeScore
from notifications.models import Notification
from tests import factories as f
from tests.conftest import World
from tests.test_url_walk import _bundle

pytestmark = pytest.mark.django_db

Client = Callable[..., APIClient]


def _session(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _scored(world: World) -> None:
    """Four of the city's people, three of the lead's and one beneficiary answer a round,
    which closes: the beneficiary's figure is too few to show, and the lead's is hidden too
    (with it, the beneficiary's could be worked out); the city's is shown."""
    survey_round = health_services.round_open(
        actor=world.city_staff,
        partnership=world.partnership,
        closes_on=timezone.localdate() + timedelta(days=14),
    )
    staff = [world.city_staff, world.city_admin]
    for i in range(2):
        person = f.UserFactory(email=f"clerk{i}@riverton.gov")
        f.MembershipFactory(user=person, organization=world.city)
        staff.append(person)
    lead = [world.entrepreneur]
    for i in range(2):
        person = f.UserFactory(email=f"cook{i}@example.org")
        f.MembershipFactory(user=person, organization=world.enterprise)
        lead.append(person)
    answers = (
        [(p, Group.CITY, 4) for p in staff]
        + [(p, Group.ENTREPRENEURS, 3) for p in lead]
        + [(world.beneficiary, Group.BENEFICIARIES, 2)]
    )
    for person, group, rating in answers:
        health_services.survey_answer(
            actor=person,
            survey_round=survey_round,
            ratings={s.pk: rating for s in health_services.statements_for(group)},
        )
    health_services.round_close(actor=world.city_staff, survey_round=survey_round)
    health_services.scores_recompute(ids=[world.partnership.pk])


def test_health_scores_explain_themselves_and_never_show_a_hidden_figure(
    world: World, token_for: Client
) -> None:
    _scored(world)
    stored = PracticeScore.objects.filter(partnership=world.partnership).first()
    assert stored is not None
    # The lone beneficiary's figure is stored, but hidden: fewer than three answered.
    assert stored.detail["groups"]["beneficiaries"]["n"] == 1
    assert stored.detail["groups"]["beneficiaries"]["hidden"] == "few"

    response = token_for("entrepreneur").get(f"/api/v1/partnerships/{world.partnership.pk}/health/")

    assert response.status_code == 200
    assert response["ETag"]
    rows = response.json()
    assert len(rows) == 8
    assert [row["practice"] for row in rows] == sorted(
        PracticeScore.objects.filter(partnership=world.partnership)
        .order_by("practice__number")
        .values_list("practice_id", flat=True)
    )
    groups = [group for row in rows for group in row["groups"]]
    hidden = [group for group in groups if group["hidden"]]
    assert hidden and all(g["n"] is None and g["score"] is None for g in hidden)
    assert all(g["hidden_reason"] for g in hidden)
    beneficiaries = [g for g in groups if g["group"] == "beneficiaries"]
    assert all(g["hidden"] and "fewer than 3 people" in g["hidden_reason"] for g in beneficiaries)
    shown = [g for g in groups if g["score"] is not None]
    assert shown and all(g["group"] == "city" and g["n"] == 4 for g in shown)
    assert any("too few to show" in g["hidden_reason"] for g in groups)
    assert any(row["contributions"] for row in rows)
    assert any(row["would_raise"] for row in rows)
    assert all(c["sentence"] for row in rows for c in row["contributions"])


def test_the_trend_lists_the_scores_of_closed_rounds(world: World, token_for: Client) -> None:
    _scored(world)

    response = token_for("city_staff").get(
        f"/api/v1/partnerships/{world.partnership.pk}/round-scores/"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8
    assert {row["round_number"] for row in body["results"]} == {1}
    assert all(row["closed_at"] for row in body["results"])


@pytest.mark.parametrize("persona", ["outsider", "other_city_staff"])
def test_health_of_a_partnership_one_cannot_see_is_not_found(
    world: World, token_for: Client, persona: str
) -> None:
    _scored(world)
    client = token_for(persona)
    for tail in ("health/", "round-scores/"):
        response = client.get(f"/api/v1/partnerships/{world.partnership.pk}/{tail}")
        assert response.status_code == 404
        assert set(response.json()) == {"error"}


def test_a_hidden_comment_is_for_the_moderators_and_its_author_only(world: World) -> None:
    mine = _bundle(world.partnership, world.city_staff)
    theirs = _bundle(world.other_partnership, world.other_city_staff)
    said = beneficiary_services.comment_post(
        actor=world.entrepreneur, section=mine.section, body="Buy a second van."
    )
    beneficiary_services.comment_moderate(
        actor=world.city_staff, comment=said, decision="hide", reason="Names a person."
    )

    def ids(user: Any, query: str = "") -> set[int]:
        response = _session(user).get(f"/api/v1/comments/{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids(world.city_staff) == {mine.comment.pk, said.pk}  # a moderator
    assert ids(world.entrepreneur) == {mine.comment.pk, said.pk}  # its author
    assert ids(world.beneficiary) == {mine.comment.pk}
    assert ids(world.outsider) == set()
    assert ids(world.other_city_staff) == {theirs.comment.pk}
    hidden = _session(world.beneficiary).get(f"/api/v1/comments/{said.pk}/")
    assert hidden.status_code == 404
    assert _session(world.entrepreneur).get(f"/api/v1/comments/{said.pk}/").json()["hidden"]
    other = _session(world.entrepreneur).get(f"/api/v1/comments/{theirs.comment.pk}/")
    assert other.status_code == 404
    assert ids(world.city_staff, f"?partnership={world.partnership.pk}&answered=true") == set()


def test_a_partner_answers_a_comment_once_through_the_service(
    world: World, token_for: Client
) -> None:
    mine = _bundle(world.partnership, world.city_staff)
    url = f"/api/v1/comments/{mine.comment.pk}/answer/"
    client = token_for("entrepreneur", "write")

    first = client.post(url, {"body": "From December, yes."}, format="json")
    again = client.post(url, {"body": "Yes again."}, format="json")

    assert first.status_code == 201, first.content
    assert first.json()["answer"]["body"] == "From December, yes."
    assert first.json()["answer"]["answered_by"] == world.entrepreneur.pk
    assert again.status_code == 400
    assert set(again.json()) == {"error"}
    assert CommentAnswer.objects.get(comment=mine.comment).body == "From December, yes."
    event = Event.objects.get(action="beneficiaries.comment.answered")
    assert event.data["commenter"] == world.beneficiary.pk
    listed = client.get(f"/api/v1/comments/?answered=true&partnership={world.partnership.pk}")
    assert [row["id"] for row in listed.json()["results"]] == [mine.comment.pk]
    # A beneficiary reads the answer but may not answer.
    fresh = Comment.objects.create(
        partnership=world.partnership, section=mine.section, author=world.entrepreneur, body="?"
    )
    refused = _session(world.beneficiary).post(
        f"/api/v1/comments/{fresh.pk}/answer/", {"body": "Sure."}, format="json"
    )
    assert refused.status_code == 403
    foreign = client.post(
        f"/api/v1/comments/{fresh.pk}/answer/",
        {
            "body": "Sure.",
            "changed_version": _bundle(
                world.other_partnership, world.other_city_staff
            ).plan_version.pk,
        },
        format="json",
    )
    assert foreign.status_code == 400
    assert "changed_version" in foreign.json()["error"]["fields"]


def test_a_person_reads_and_marks_only_their_own_notifications(
    world: World, token_for: Client
) -> None:
    own = Notification.objects.create(
        recipient=world.entrepreneur, kind="stage_changed", partnership_id=world.partnership.pk
    )
    older = Notification.objects.create(
        recipient=world.entrepreneur,
        kind="partner_invited",
        created_at=timezone.now() - timedelta(days=1),
    )
    # About a partnership the entrepreneur cannot see: the web does not list it either.
    gone = Notification.objects.create(
        recipient=world.entrepreneur,
        kind="stage_changed",
        partnership_id=world.other_partnership.pk,
    )
    someone_elses = Notification.objects.create(recipient=world.city_staff, kind="stage_changed")
    reader = token_for("entrepreneur", "read")
    writer = token_for("entrepreneur", "write")

    listed = reader.get("/api/v1/notifications/")

    assert [row["id"] for row in listed.json()["results"]] == [own.pk, older.pk]
    assert reader.get(f"/api/v1/notifications/{someone_elses.pk}/").status_code == 404
    assert reader.get(f"/api/v1/notifications/{gone.pk}/").status_code == 404
    assert reader.post("/api/v1/notifications/mark-read/", {}, format="json").status_code == 403
    marked = writer.post(
        "/api/v1/notifications/mark-read/", {"ids": [own.pk, someone_elses.pk]}, format="json"
    )
    assert marked.status_code == 200
    assert marked.json() == {"marked": 1}
    assert Notification.objects.filter(read_at__isnull=False).get() == own
    unread = reader.get("/api/v1/notifications/?unread=true").json()["results"]
    assert [row["id"] for row in unread] == [older.pk]
    assert writer.post("/api/v1/notifications/mark-read/", {}, format="json").json() == {
        "marked": 2
    }
    assert Notification.objects.get(pk=someone_elses.pk).read_at is None
