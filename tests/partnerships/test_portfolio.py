"""The city's portfolio dashboard and a person's own partnerships page."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Organization
from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Partner,
    Partnership,
    Responsibility,
)
from playbook.models import ModelPathway, Practice, Stage
from tests import factories as f
from tests.conftest import World

DASHBOARD = reverse("partnerships:dashboard")
MY = reverse("partnerships:my")


def _pathway(endgame: str = ModelPathway.Endgame.IMPROVE_SERVICES) -> ModelPathway:
    # The playbook seed migration may already hold the pathways; reuse them when it does.
    pathway, _ = ModelPathway.objects.get_or_create(
        endgame=endgame,
        defaults={"slug": f"test-{endgame}", "name": f"Pathway {endgame}", "description": "x"},
    )
    return pathway


def _stage(pathway: ModelPathway, order: int, name: str) -> Stage:
    return Stage.objects.create(
        pathway=pathway,
        order=100 + order,
        slug=f"test-stage-{order}",
        name=name,
        what_to_expect="x",
        city_support="x",
    )


def _practice() -> Practice:
    return Practice.objects.create(
        slug="test-practice",
        number=99,
        name="Test practice",
        short_description="x",
        guiding_questions="x",
    )


def _titles(response) -> list[str]:
    """Partnership titles in the order the table shows them."""
    html = response.content.decode()
    return re.findall(
        r'<td data-label="Partnership"><a href="[^"]+"><strong>([^<]+)</strong>', html
    )


def _make_many(world: World, count: int, *, start: int = 0) -> None:
    """Rows with every column filled: lead, pathway and stage, a check-in, an open need."""
    pathway = _pathway()
    stage = pathway.stages.order_by("order").first() or _stage(pathway, 1, "Explore")
    leads = Organization.objects.bulk_create(
        Organization(
            name=f"Enterprise {n}",
            slug=f"bulk-enterprise-{n}",
            kind=Organization.Kind.SOCIAL_ENTERPRISE,
            country="US",
        )
        for n in range(start, start + count)
    )
    partnerships = Partnership.objects.bulk_create(
        Partnership(
            title=f"Bulk partnership {n:04d}",
            city=world.city,
            lead=lead,
            goal="g",
            problem_statement="p",
            status=Partnership.Status.ACTIVE,
            pathway=pathway,
            stage=stage,
        )
        for n, lead in zip(range(start, start + count), leads, strict=True)
    )
    today = timezone.localdate()
    Partner.objects.bulk_create(
        Partner(partnership=p, organization_id=p.lead_id, role_description="Leads")
        for p in partnerships
    )
    CheckIn.objects.bulk_create(
        CheckIn(partnership=p, due_date=today + timedelta(days=n % 20 - 10))
        for n, p in enumerate(partnerships)
    )
    FinancialNeed.objects.bulk_create(
        FinancialNeed(
            partnership=p,
            organization_id=p.lead_id,
            amount=Decimal("1000"),
            period="2027",
            purpose="Staff",
        )
        for p in partnerships
    )
    Responsibility.objects.bulk_create(
        Responsibility(partnership=p, organization=world.enterprise, description="Report")
        for p in partnerships
    )
    Experiment.objects.bulk_create(
        Experiment(
            partnership=p,
            title="Trial",
            hypothesis="h",
            what_is_tried="w",
            started_on=today - timedelta(days=30),
            ends_on=today - timedelta(days=1),
        )
        for p in partnerships
    )
    # The entrepreneur takes part in every one, so "my partnerships" grows too.
    Partner.objects.bulk_create(
        Partner(partnership=p, organization=world.enterprise, role_description="Helps")
        for p in partnerships
    )


# --- Who may open the dashboard ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["city_staff", "city_admin"])
def test_city_people_see_their_city_portfolio_and_not_another_city(world, client_as, persona):
    response = client_as(persona).get(DASHBOARD)
    assert response.status_code == 200
    assert world.partnership.title in response.content.decode()
    assert world.other_partnership.title not in response.content.decode()


def test_other_city_staff_sees_only_their_own_city(world, client_as):
    response = client_as("other_city_staff").get(DASHBOARD)
    assert response.status_code == 200
    assert _titles(response) == [world.other_partnership.title]


@pytest.mark.parametrize("persona", ["entrepreneur", "outsider"])
def test_partner_organization_members_are_sent_to_their_own_partnerships(client_as, persona):
    response = client_as(persona).get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == MY


def test_beneficiary_without_organization_gets_not_found(client_as):
    assert client_as("beneficiary").get(DASHBOARD).status_code == 404


def test_anonymous_visitor_is_asked_to_log_in(client_as):
    response = client_as("anonymous").get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_city_staff_get_a_new_partnership_link(client_as):
    content = client_as("city_staff").get(DASHBOARD).content.decode()
    assert f'href="{reverse("partnerships:create")}"' in content


# Every persona against the three portfolio URLs: status code, and where a redirect goes.
LOGIN = reverse("account_login")
PERSONA_MATRIX = {
    "city_staff": {"dashboard": 200, "my": 200, "export": 200},
    "city_admin": {"dashboard": 200, "my": 200, "export": 200},
    "other_city_staff": {"dashboard": 200, "my": 200, "export": 200},
    "entrepreneur": {"dashboard": (302, MY), "my": 200, "export": 404},
    "outsider": {"dashboard": (302, MY), "my": 200, "export": 404},
    "beneficiary": {"dashboard": 404, "my": 200, "export": 404},
    "anonymous": {"dashboard": (302, LOGIN), "my": (302, LOGIN), "export": (302, LOGIN)},
}


@pytest.mark.parametrize("persona", list(PERSONA_MATRIX))
@pytest.mark.parametrize("page", ["dashboard", "my", "export"])
def test_each_persona_gets_the_designed_answer(client_as, persona, page):
    url = {"dashboard": DASHBOARD, "my": MY, "export": reverse("partnerships:portfolio_export")}
    expected = PERSONA_MATRIX[persona][page]
    response = client_as(persona).get(url[page])
    if isinstance(expected, tuple):
        assert response.status_code == expected[0]
        assert response["Location"].split("?")[0] == expected[1]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("persona", ["city_staff", "entrepreneur", "anonymous"])
def test_portfolio_pages_refuse_writes(client_as, persona):
    assert client_as(persona).post(DASHBOARD).status_code == 405


# --- Columns ----------------------------------------------------------------------------


def test_row_shows_lead_pathway_stage_status_and_open_need_count(world, client_as):
    pathway = _pathway()
    stage = _stage(pathway, 1, "Prove the model")
    Partnership.objects.filter(pk=world.partnership.pk).update(pathway=pathway, stage=stage)
    f.FinancialNeedFactory(partnership=world.partnership)
    f.FinancialNeedFactory(partnership=world.partnership)
    f.FinancialNeedFactory(partnership=world.partnership, status=FinancialNeed.Status.MET)
    content = client_as("city_staff").get(DASHBOARD).content.decode()
    assert "Second Harvest Kitchens" in content
    assert f"{pathway.name} · Prove the model" in content
    assert "Active" in content
    money = reverse("partnerships:money", args=[world.partnership.pk])
    assert f'<a href="{money}">2</a>' in content
    assert f'href="{world.partnership.get_absolute_url()}"' in content


def test_overdue_check_in_is_marked_with_text_not_only_colour(world, client_as):
    f.CheckInFactory(
        partnership=world.partnership, due_date=timezone.localdate() - timedelta(days=3)
    )
    content = client_as("city_staff").get(DASHBOARD).content.decode()
    assert 'class="overdue"' in content
    assert "Overdue" in content


def test_upcoming_check_in_is_not_marked_overdue(world, client_as):
    f.CheckInFactory(partnership=world.partnership)
    content = client_as("city_staff").get(DASHBOARD).content.decode()
    assert 'class="overdue"' not in content
    assert (timezone.localdate() + timedelta(days=7)).isoformat() in content


def test_table_collapses_into_labelled_cards_on_small_screens(client_as):
    content = client_as("city_staff").get(DASHBOARD).content.decode()
    assert 'class="responsive' in content
    assert 'data-label="Next check-in"' in content


# --- Filters, search, sort, pagination -------------------------------------------------


@pytest.fixture
def riverton(world: World) -> dict[str, Partnership]:
    pathway_a = _pathway(ModelPathway.Endgame.IMPROVE_SERVICES)
    pathway_b = _pathway(ModelPathway.Endgame.CHRONIC_PROBLEM)
    stage_a = _stage(pathway_a, 1, "Stage A")
    stage_b = _stage(pathway_b, 2, "Stage B")
    garden = f.PartnershipFactory(
        title="Allotment gardens",
        city=world.city,
        status=Partnership.Status.EXPLORING,
        pathway=pathway_a,
        stage=stage_a,
        lead=f.OrganizationFactory(name="Green Thumbs Co-op"),
    )
    housing = f.PartnershipFactory(
        title="Zero homelessness",
        city=world.city,
        status=Partnership.Status.PAUSED,
        pathway=pathway_b,
        stage=stage_b,
    )
    f.PartnerFactory(partnership=housing, organization=f.OrganizationFactory(name="Shelter Now"))
    world.partnership.pathway = pathway_a
    world.partnership.stage = stage_a
    world.partnership.save()
    return {"garden": garden, "housing": housing, "meals": world.partnership}


def test_status_filter_keeps_only_that_status(riverton, client_as):
    response = client_as("city_staff").get(DASHBOARD, {"status": "paused"})
    assert _titles(response) == ["Zero homelessness"]


def test_pathway_and_stage_filters(riverton, client_as):
    client = client_as("city_staff")
    pathway_b = riverton["housing"].pathway
    assert _titles(client.get(DASHBOARD, {"pathway": pathway_b.pk})) == ["Zero homelessness"]
    stage_a = riverton["garden"].stage
    assert _titles(client.get(DASHBOARD, {"stage": stage_a.pk})) == [
        "Allotment gardens",
        "Community meals for older neighbours",
    ]


def test_practice_filter_keeps_partnerships_whose_updates_name_the_practice(riverton, client_as):
    practice = _practice()
    update = f.ProgressUpdateFactory(partnership=riverton["garden"])
    update.practices.add(practice)
    f.ProgressUpdateFactory(partnership=riverton["housing"])
    response = client_as("city_staff").get(DASHBOARD, {"practice": practice.pk})
    assert _titles(response) == ["Allotment gardens"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("GARDEN", ["Allotment gardens"]),
        ("green thumbs", ["Allotment gardens"]),  # lead organization
        ("shelter", ["Zero homelessness"]),  # another partner organization
        ("  meals ", ["Community meals for older neighbours"]),
    ],
)
def test_search_matches_title_and_partner_organization_names(riverton, client_as, q, expected):
    assert _titles(client_as("city_staff").get(DASHBOARD, {"q": q})) == expected


def test_search_never_reveals_another_citys_partnership(riverton, client_as):
    response = client_as("city_staff").get(DASHBOARD, {"q": "Lakeside"})
    assert _titles(response) == []
    assert "Nothing matches these filters" in response.content.decode()


def test_sort_by_title_descending(riverton, client_as):
    response = client_as("city_staff").get(DASHBOARD, {"sort": "-title"})
    assert _titles(response) == [
        "Zero homelessness",
        "Community meals for older neighbours",
        "Allotment gardens",
    ]


def test_sort_by_status_follows_the_partnership_lifecycle(riverton, client_as):
    response = client_as("city_staff").get(DASHBOARD, {"sort": "status"})
    # exploring, active, paused
    assert _titles(response) == [
        "Allotment gardens",
        "Community meals for older neighbours",
        "Zero homelessness",
    ]


def test_sort_by_next_check_in_puts_unscheduled_last(riverton, client_as):
    today = timezone.localdate()
    f.CheckInFactory(partnership=riverton["housing"], due_date=today + timedelta(days=2))
    f.CheckInFactory(partnership=riverton["meals"], due_date=today + timedelta(days=9))
    client = client_as("city_staff")
    assert _titles(client.get(DASHBOARD, {"sort": "next_checkin"})) == [
        "Zero homelessness",
        "Community meals for older neighbours",
        "Allotment gardens",
    ]
    assert _titles(client.get(DASHBOARD, {"sort": "-next_checkin"})) == [
        "Community meals for older neighbours",
        "Zero homelessness",
        "Allotment gardens",
    ]


def test_sort_by_last_activity(riverton, client_as):
    now = timezone.now()
    Partnership.objects.filter(pk=riverton["garden"].pk).update(last_activity_at=now)
    Partnership.objects.filter(pk=riverton["housing"].pk).update(
        last_activity_at=now - timedelta(days=40)
    )
    Partnership.objects.filter(pk=riverton["meals"].pk).update(
        last_activity_at=now - timedelta(days=2)
    )
    response = client_as("city_staff").get(DASHBOARD, {"sort": "-last_activity"})
    assert _titles(response) == [
        "Allotment gardens",
        "Community meals for older neighbours",
        "Zero homelessness",
    ]
    assert "now" in response.content.decode()  # naturaltime


def test_unknown_sort_falls_back_silently_to_title(riverton, client_as):
    response = client_as("city_staff").get(DASHBOARD, {"sort": "password; DROP TABLE"})
    assert response.status_code == 200
    assert _titles(response)[0] == "Allotment gardens"
    assert "not understood" not in response.content.decode()


def test_unknown_status_is_ignored_with_a_clear_message(riverton, client_as):
    response = client_as("city_staff").get(DASHBOARD, {"status": "secret"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Some filters were not understood" in content
    assert "Status" in content
    assert len(_titles(response)) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"stage": "abc"},
        {"pathway": "99999999999999999999999"},
        {"practice": "-1"},
        {"q": "x" * 500},
        {"status": ["active", "paused"]},
    ],
)
def test_bad_filter_values_never_break_the_page(riverton, client_as, params):
    response = client_as("city_staff").get(DASHBOARD, params)
    assert response.status_code == 200


def test_pagination_uses_the_configured_page_size(world, client_as, settings):
    settings.TANDEM_PAGE_SIZE = 2
    f.PartnershipFactory(title="B second", city=world.city)
    f.PartnershipFactory(title="A first", city=world.city)
    client = client_as("city_staff")
    first = client.get(DASHBOARD)
    assert _titles(first) == ["A first", "B second"]
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(DASHBOARD, {"page": "2"})
    assert _titles(second) == ["Community meals for older neighbours"]


@pytest.mark.parametrize(("page", "expected"), [("abc", "A first"), ("999", "Community meals")])
def test_invalid_page_gives_first_or_last_page(world, client_as, settings, page, expected):
    settings.TANDEM_PAGE_SIZE = 2
    f.PartnershipFactory(title="B second", city=world.city)
    f.PartnershipFactory(title="A first", city=world.city)
    response = client_as("city_staff").get(DASHBOARD, {"page": page})
    assert response.status_code == 200
    assert _titles(response)[0].startswith(expected)


def test_pagination_links_keep_filters(world, client_as, settings):
    settings.TANDEM_PAGE_SIZE = 1
    f.PartnershipFactory(title="Meals on wheels", city=world.city)
    content = client_as("city_staff").get(DASHBOARD, {"q": "meals"}).content.decode()
    assert 'href="?q=meals&amp;page=2"' in content


def test_export_link_keeps_the_current_filters_but_not_the_page(world, client_as):
    content = (
        client_as("city_staff")
        .get(DASHBOARD, {"status": "active", "q": "meals", "page": "1"})
        .content.decode()
    )
    export = reverse("partnerships:portfolio_export")
    assert f'href="{export}?status=active&amp;q=meals"' in content


def test_column_heading_toggles_the_sort_direction(riverton, client_as):
    content = client_as("city_staff").get(DASHBOARD, {"sort": "title"}).content.decode()
    assert 'aria-sort="ascending"><a href="?sort=-title"' in content


def test_descending_sort_pages_through_equal_titles_without_repeats(world, client_as, settings):
    settings.TANDEM_PAGE_SIZE = 1
    first = f.PartnershipFactory(title="Same title", city=world.city)
    second = f.PartnershipFactory(title="Same title", city=world.city)
    client = client_as("city_staff")
    links = [
        re.findall(
            r'<a href="/partnerships/(\d+)/"><strong>',
            client.get(DASHBOARD, {"sort": "-title", "page": page}).content.decode(),
        )
        for page in ("1", "2", "3")
    ]
    assert sorted(links[0] + links[1]) == sorted([str(first.pk), str(second.pk)])
    assert links[2] == [str(world.partnership.pk)]


def test_last_activity_shows_hours_within_a_day_and_the_date_beyond(riverton, client_as):
    now = timezone.now()
    Partnership.objects.filter(pk=riverton["garden"].pk).update(
        last_activity_at=now - timedelta(hours=3)
    )
    long_ago = now - timedelta(days=40)
    Partnership.objects.filter(pk=riverton["housing"].pk).update(last_activity_at=long_ago)
    content = client_as("city_staff").get(DASHBOARD).content.decode()
    assert "3\xa0hours ago" in content
    assert f"{timezone.localtime(long_ago):%b}" in content
    assert f'datetime="{timezone.localtime(long_ago).isoformat()}"' in content


# --- Filter menus -----------------------------------------------------------------------


def test_filter_menus_keep_the_chosen_values_selected(riverton, client_as):
    pathway = riverton["housing"].pathway
    stage = riverton["housing"].stage
    content = (
        client_as("city_staff")
        .get(
            DASHBOARD,
            {"status": "paused", "pathway": pathway.pk, "stage": stage.pk, "sort": "-title"},
        )
        .content.decode()
    )
    assert '<option value="paused" selected>Paused</option>' in content
    assert f'<option value="{pathway.pk}" selected>{pathway.name}</option>' in content
    assert f'<option value="{stage.pk}" selected>{pathway.name}: Stage B</option>' in content
    assert '<option value="-title" selected>' in content
    assert '<option value="" selected>Any practice</option>' in content


def test_without_a_sort_the_menu_shows_the_default_order(client_as):
    content = client_as("city_staff").get(DASHBOARD, {"sort": "nonsense"}).content.decode()
    assert '<option value="title" selected>' in content


def test_a_filter_that_was_not_understood_is_marked_on_its_control(riverton, client_as):
    content = client_as("city_staff").get(DASHBOARD, {"status": "secret"}).content.decode()
    assert 'aria-invalid="true" aria-describedby="id_status_error"' in content
    assert '<ul class="errorlist" id="id_status_error">' in content


def test_search_box_keeps_the_words_and_its_help(client_as):
    content = client_as("city_staff").get(DASHBOARD, {"q": "<meals>"}).content.decode()
    assert 'value="&lt;meals&gt;"' in content
    assert 'aria-describedby="id_q_helptext"' in content


def test_menus_and_rows_name_the_playbook_in_the_visitors_language(riverton, client_as):
    pathway = riverton["garden"].pathway
    pathway.translations = {"es": {"name": "Camino de prueba"}}
    pathway.save()
    stage = riverton["garden"].stage
    stage.translations = {"es": {"name": ""}}  # empty: falls back to English
    stage.save()
    with translation.override("es"):
        url = reverse("partnerships:dashboard")
    content = client_as("city_staff").get(url).content.decode()
    assert f'<option value="{pathway.pk}">Camino de prueba</option>' in content
    assert f'<option value="{stage.pk}">Camino de prueba: Stage A</option>' in content
    assert "Camino de prueba · Stage A" in content


# --- Empty states -----------------------------------------------------------------------


def test_city_without_partnerships_sees_a_first_run_message(world, client_as):
    world.other_partnership.delete()
    response = client_as("other_city_staff").get(DASHBOARD)
    content = response.content.decode()
    assert "No partnerships yet" in content
    assert "Nothing matches these filters" not in content


def test_filters_without_results_say_so(world, client_as):
    content = client_as("city_staff").get(DASHBOARD, {"status": "closed"}).content.decode()
    assert "Nothing matches these filters" in content
    assert "No partnerships yet" not in content


# --- htmx -------------------------------------------------------------------------------


def test_htmx_request_gets_only_the_results_fragment(world, client_as):
    response = client_as("city_staff").get(
        DASHBOARD, {"q": "meals"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="results"')
    assert "<html" not in content
    assert 'role="search"' not in content
    assert world.partnership.title in content
    assert "HX-Request" in response["Vary"]


def test_htmx_fragment_refreshes_the_sort_menu_and_the_page_has_it_once(client_as):
    client = client_as("city_staff")
    fragment = client.get(DASHBOARD, {"sort": "-title"}, headers={"HX-Request": "true"})
    assert 'id="sort-control" hx-swap-oob="true"' in fragment.content.decode()
    page = client.get(DASHBOARD).content.decode()
    assert page.count('id="sort-control"') == 1


def test_htmx_history_restore_gets_the_whole_page(client_as):
    response = client_as("city_staff").get(
        DASHBOARD, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_filter_form_works_without_javascript_and_is_enhanced_with_htmx(client_as):
    content = client_as("city_staff").get(DASHBOARD).content.decode()
    form = re.search(r'<form method="get" action="([^"]+)"[^>]*>', content)
    assert form is not None
    assert form.group(1) == DASHBOARD
    assert 'hx-target="#results"' in form.group(0)
    assert 'hx-push-url="true"' in form.group(0)
    assert '<button type="submit">' in content


# --- Query count ------------------------------------------------------------------------


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow_with_partnerships(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as("city_staff")
    _make_many(world, 10)
    # The first visit fills the shared playbook-names cache, as it does outside the test's
    # transaction; measure steady pages.
    with django_capture_on_commit_callbacks(execute=True):
        _count_queries(client, DASHBOARD)
    few = _count_queries(client, DASHBOARD)
    _make_many(world, 490, start=10)
    assert Partnership.objects.filter(city=world.city).count() == 501
    many = _count_queries(client, DASHBOARD)
    assert few == many
    # Session, user, memberships, nav, filter menus, count and the page itself.
    assert many <= 12


def test_my_partnerships_query_count_does_not_grow_with_partnerships(world, client_as):
    client = client_as("entrepreneur")
    _make_many(world, 10)
    few = _count_queries(client, MY)
    _make_many(world, 490, start=10)
    many = _count_queries(client, MY)
    assert few == many
    # One of them is the consent middleware's: is this person a participant somewhere?
    assert many <= 13


# --- My partnerships ----------------------------------------------------------------------


def test_entrepreneur_sees_own_partnership_with_quick_links(world, client_as):
    response = client_as("entrepreneur").get(MY)
    content = response.content.decode()
    assert response.status_code == 200
    assert world.partnership.title in content
    assert world.other_partnership.title not in content
    assert reverse("partnerships:progress_log", args=[world.partnership.pk]) in content
    assert reverse("partnerships:need_state", args=[world.partnership.pk]) in content


def test_beneficiary_sees_partnership_but_cannot_state_a_need(world, client_as):
    content = client_as("beneficiary").get(MY).content.decode()
    assert world.partnership.title in content
    assert reverse("partnerships:need_state", args=[world.partnership.pk]) not in content
    assert reverse("partnerships:progress_log", args=[world.partnership.pk]) not in content


def test_person_without_partnerships_sees_an_empty_state(world, client_as):
    content = client_as("outsider").get(MY).content.decode()
    assert "You are not part of a partnership yet" in content
    assert world.partnership.title not in content


def test_other_city_staff_see_only_partnerships_they_are_contact_for(world, client_as):
    Partnership.objects.filter(pk=world.other_partnership.pk).update(
        point_of_contact=world.other_city_staff
    )
    content = client_as("other_city_staff").get(MY).content.decode()
    assert world.other_partnership.title in content
    assert world.partnership.title not in content


def test_city_contact_who_left_the_city_no_longer_sees_the_partnership(world, client_as):
    world.city_staff.memberships.all().delete()
    content = client_as("city_staff").get(MY).content.decode()
    assert world.partnership.title not in content


def test_city_admin_who_is_no_contact_is_pointed_to_the_portfolio(world, client_as):
    content = client_as("city_admin").get(MY).content.decode()
    assert "You are not the point of contact for a partnership yet" in content
    assert f'href="{DASHBOARD}"' in content


def test_anonymous_visitor_is_asked_to_log_in_for_my_partnerships(client_as):
    response = client_as("anonymous").get(MY)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_my_partnerships_lists_what_is_due_for_my_organizations(world, client_as):
    today = timezone.localdate()
    Responsibility.objects.create(
        partnership=world.partnership,
        organization=world.enterprise,
        description="Send the monthly numbers",
        due_date=today - timedelta(days=2),
    )
    Responsibility.objects.create(
        partnership=world.partnership,
        organization=world.enterprise,
        description="Book the hall",
        due_date=today + timedelta(days=5),
    )
    Responsibility.objects.create(
        partnership=world.partnership,
        organization=world.enterprise,
        description="Already handled",
        status=Responsibility.Status.DONE,
    )
    Responsibility.objects.create(
        partnership=world.partnership,
        organization=world.city,
        description="City publishes the data",
    )
    f.ExperimentFactory(
        partnership=world.partnership,
        title="Evening hours",
        started_on=today - timedelta(days=40),
        ends_on=today - timedelta(days=1),
    )
    f.ExperimentFactory(
        partnership=world.partnership,
        title="Closed trial",
        started_on=today - timedelta(days=40),
        ends_on=today - timedelta(days=1),
        decision=Experiment.Decision.ADOPT,
        result="Worked",
    )
    f.CheckInFactory(partnership=world.partnership, due_date=today - timedelta(days=1))
    content = client_as("entrepreneur").get(MY).content.decode()
    assert "Send the monthly numbers" in content
    assert "Book the hall" in content
    assert "Already handled" not in content
    assert "City publishes the data" not in content  # not the entrepreneur's organization
    assert "Evening hours" in content
    assert "Closed trial" not in content
    assert content.count("Overdue") == 2  # the check-in and the late responsibility
    assert content.index("Send the monthly numbers") < content.index("Book the hall")
