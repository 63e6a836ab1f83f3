"""The practice-health pages as each person sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from health import services
from health.models import Group, SurveyResponse
from partnerships.models import Partnership
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _round(world: World):
    return services.round_open(
        actor=world.city_staff,
        partnership=world.partnership,
        closes_on=timezone.localdate() + timedelta(days=14),
    )


def _answer_all(survey_round, people, group, rating):
    for person in people:
        services.survey_answer(
            actor=person,
            survey_round=survey_round,
            ratings={s.pk: rating for s in services.statements_for(group)},
        )


def test_the_page_explains_scores_and_why_a_group_is_hidden(world: World, client_as):
    survey_round = _round(world)
    staff = [world.city_staff, world.city_admin]
    for i in range(2):
        person = f.UserFactory(email=f"clerk{i}@riverton.gov")
        f.MembershipFactory(user=person, organization=world.city)
        staff.append(person)
    _answer_all(survey_round, staff, Group.CITY, 4)
    _answer_all(survey_round, [world.beneficiary], Group.BENEFICIARIES, 2)
    services.round_close(actor=world.city_staff, survey_round=survey_round)
    services.scores_recompute(ids=[world.partnership.pk])

    page = client_as("entrepreneur").get(reverse("health:partnership", args=[world.partnership.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Strongest:" in text
    assert "fewer than 3 people answered" in text
    assert "too few to show" in text
    assert "What would raise it" in text
    assert "<svg" in text and "<table" in text


def test_an_empty_partnership_says_what_to_do_first(world: World, client_as):
    page = client_as("beneficiary").get(reverse("health:partnership", args=[world.partnership.pk]))
    assert page.status_code == 200
    assert "not enough yet to score" in page.content.decode()
    # A beneficiary may answer but not run rounds.
    assert "Open a survey round" not in page.content.decode()


def test_the_survey_form_asks_a_beneficiary_their_statements_without_javascript(
    world: World, client_as
):
    survey_round = _round(world)
    client = client_as("beneficiary")
    url = reverse("health:survey", args=[world.partnership.pk, survey_round.pk])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "The city does what it told residents it would do." in text
    assert "The city gives the support we need" not in text
    assert "<script" not in text.split("</head>")[1]
    statements = services.statements_for(Group.BENEFICIARIES)
    data = {f"s{s.pk}": "5" for s in statements}
    data[f"s{statements[0].pk}"] = "dk"
    response = client.post(url, data)
    assert response.status_code == 302
    answers = SurveyResponse.objects.get(respondent=world.beneficiary).ratings
    assert answers.filter(rating__isnull=True).count() == 1
    assert answers.filter(rating=5).count() == len(statements) - 1


def test_an_answer_outside_the_scale_is_refused_with_the_form(world: World, client_as):
    survey_round = _round(world)
    url = reverse("health:survey", args=[world.partnership.pk, survey_round.pk])
    statement = services.statements_for(Group.CITY)[0]
    response = client_as("city_staff").post(url, {f"s{statement.pk}": "9"})
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_the_values_page_shows_who_agreed_to_which_version(world: World, client_as):
    version = services.values_write(
        actor=world.entrepreneur,
        partnership=world.partnership,
        text="People first, evidence before opinion, and we stay for the long haul.",
        based_on=0,
    )
    services.values_agree(actor=world.city_admin, version=version, organization_id=world.city.pk)
    page = client_as("entrepreneur").get(reverse("health:values", args=[world.partnership.pk]))
    text = page.content.decode()
    assert "City of Riverton" in text
    assert "Still to agree:" in text and "Second Harvest Kitchens" in text
    assert "We agree to these values" in text


def test_the_portfolio_filters_partnerships_with_a_concern(world: World, client_as):
    quiet = f.PartnershipFactory(title="Quiet corner", city=world.city)
    services.scores_recompute(ids=[world.partnership.pk, quiet.pk])
    from health.models import PracticeScore

    PracticeScore.objects.filter(partnership=quiet, practice__slug="the-long-view").update(
        band="concern", combined=10
    )
    client = client_as("city_staff")
    url = reverse("health:portfolio")
    everything = client.get(url).content.decode()
    assert "Quiet corner" in everything and world.partnership.title in everything
    filtered = client.get(url, {"concern": "the-long-view"}).content.decode()
    assert "Quiet corner" in filtered
    assert world.partnership.title not in filtered
    # An unknown practice is no filter at all, never an error.
    assert client.get(url, {"concern": "<script>"}).status_code == 200


def test_another_citys_portfolio_is_not_shown(world: World, client_as):
    services.scores_recompute(ids=list(Partnership.objects.values_list("pk", flat=True)))
    page = client_as("other_city_staff").get(reverse("health:portfolio")).content.decode()
    assert world.partnership.title not in page
    assert world.other_partnership.title in page
