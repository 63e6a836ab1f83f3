"""Adding an organization to a partnership is an invitation: its administrators say yes or
no, and until they say yes it sees only what it needs to decide."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import Invitation, Membership, Organization, User
from core.models import Event
from partnerships import services
from partnerships.events import Action
from partnerships.models import Partner, Partnership
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _admin_of(organization: Organization, language: str = "en") -> User:
    admin = f.UserFactory(preferred_language=language)
    f.MembershipFactory(user=admin, organization=organization, role=Membership.Role.ADMIN)
    return admin


def _invite_outsider(world: World, **kwargs: Any) -> Partner:
    return services.partner_add(
        actor=world.city_staff,
        partnership=world.partnership,
        organization=world.outsider_org,
        role_description="Lends its hall on Tuesdays.",
        **kwargs,
    )


def _section(name: str, world: World) -> str:
    return reverse(f"partnerships:{name}", args=[world.partnership.pk])


# --- Before and after the answer ------------------------------------------------------


@pytest.mark.parametrize("section", ["detail", "plan", "money", "timeline", "need_state"])
def test_an_invited_organizations_people_find_nothing_private_before_accepting(
    world: World, section: str
) -> None:
    admin = _admin_of(world.outsider_org)
    partner = _invite_outsider(world)

    for person in (world.outsider, admin):
        assert _client(person).get(_section(section, world)).status_code == 404

    services.partner_accept(actor=admin, partner=partner)

    world.outsider.forget_memberships()
    assert _client(world.outsider).get(_section(section, world)).status_code == 200


def test_the_invited_admin_sees_just_enough_to_decide(world: World) -> None:
    admin = _admin_of(world.outsider_org)
    partner = _invite_outsider(world)
    f.FinancialNeedFactory(partnership=world.partnership, purpose="A secret second van")

    response = _client(admin).get(reverse("partnerships:invitation", args=[partner.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert world.partnership.title in page
    assert world.city.name in page
    assert world.partnership.goal in page
    assert world.city_staff.display_name in page
    assert "A secret second van" not in page
    assert world.partnership.problem_statement not in page
    # A member who is not an administrator does not answer for the organization.
    assert (
        _client(world.outsider)
        .get(reverse("partnerships:invitation", args=[partner.pk]))
        .status_code
        == 404
    )


def test_only_an_administrator_of_the_invited_organization_answers(world: World) -> None:
    partner = _invite_outsider(world)

    for person in (world.outsider, world.city_staff, world.city_admin, world.entrepreneur):
        with pytest.raises(PermissionDenied):
            services.partner_accept(actor=person, partner=partner)
        with pytest.raises(PermissionDenied):
            services.partner_decline(actor=person, partner=partner)
    partner.refresh_from_db()
    assert partner.status == Partner.Status.INVITED


def test_an_answered_invitation_cannot_be_answered_again(world: World) -> None:
    admin = _admin_of(world.outsider_org)
    partner = _invite_outsider(world)
    services.partner_decline(actor=admin, partner=partner, reason="Too busy")

    with pytest.raises(ValidationError):
        services.partner_accept(actor=admin, partner=partner)
    assert (
        _client(admin)
        .post(reverse("partnerships:invitation_accept", args=[partner.pk]))
        .status_code
        == 404
    )
    partner.refresh_from_db()
    assert partner.status == Partner.Status.DECLINED


def test_accepting_records_who_and_when_and_an_event(world: World) -> None:
    admin = _admin_of(world.outsider_org)
    partner = _invite_outsider(world)

    response = _client(admin).post(reverse("partnerships:invitation_accept", args=[partner.pk]))

    assert response.status_code == 302
    assert response["Location"] == world.partnership.get_absolute_url()
    partner.refresh_from_db()
    assert (partner.status, partner.responded_by) == (Partner.Status.ACCEPTED, admin)
    assert partner.responded_at is not None
    event = Event.objects.filter(partnership_id=world.partnership.pk).order_by("-pk").first()
    assert event is not None
    assert (event.action, event.actor) == (Action.PARTNER_ACCEPTED, admin)
    assert (
        world.outsider_org.pk
        in Partnership.objects.get(pk=world.partnership.pk).partner_organization_ids()
    )


def test_a_decline_and_its_reason_reach_the_city_not_the_other_partners(world: World) -> None:
    admin = _admin_of(world.outsider_org)
    partner = _invite_outsider(world)

    response = _client(admin).post(
        reverse("partnerships:invitation_decline", args=[partner.pk]),
        {"reason": "Our hall is booked all year."},
    )

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.status, partner.decline_reason) == (
        Partner.Status.DECLINED,
        "Our hall is booked all year.",
    )
    assert Event.objects.filter(
        partnership_id=world.partnership.pk, action=Action.PARTNER_DECLINED, actor=admin
    ).exists()
    detail = _section("detail", world)
    assert "Our hall is booked all year." in _client(world.city_staff).get(detail).content.decode()
    assert "Our hall is booked all year." not in (
        _client(world.entrepreneur).get(detail).content.decode()
    )
    assert _client(admin).get(detail).status_code == 404


def test_a_declined_organization_can_be_invited_again(world: World) -> None:
    admin = _admin_of(world.outsider_org)
    partner = _invite_outsider(world)
    services.partner_decline(actor=admin, partner=partner, reason="Not this year")

    again = _invite_outsider(world)

    assert again.pk == partner.pk
    assert (again.status, again.decline_reason) == (Partner.Status.INVITED, "")
    with pytest.raises(ValidationError):
        _invite_outsider(world)  # already invited


# --- Proposed until the lead accepts --------------------------------------------------


def test_a_new_partnership_is_proposed_until_its_lead_accepts(world: World) -> None:
    partnership = services.partnership_create(
        actor=world.city_staff,
        city=world.city,
        lead=world.enterprise,
        title="Warm homes",
        goal="No cold homes by 2030",
        problem_statement="Old houses lose heat.",
    )
    staff = _client(world.city_staff)
    assert "Proposed" in staff.get(partnership.get_absolute_url()).content.decode()
    assert "Proposed" in staff.get(reverse("partnerships:dashboard")).content.decode()
    assert not Partnership.objects.involving(world.entrepreneur).filter(pk=partnership.pk)
    mine = _client(world.entrepreneur).get(reverse("partnerships:my")).content.decode()
    assert "Invitations waiting for your answer" in mine and "Warm homes" in mine

    services.partner_accept(actor=world.entrepreneur, partner=partnership.partners.get())

    assert "Proposed" not in staff.get(partnership.get_absolute_url()).content.decode()
    assert "Proposed" not in staff.get(reverse("partnerships:dashboard")).content.decode()
    mine = _client(world.entrepreneur).get(reverse("partnerships:my")).content.decode()
    assert "Invitations waiting for your answer" not in mine and "Warm homes" in mine


def test_the_organizations_admins_find_its_invitations_on_their_page(world: World) -> None:
    admin = _admin_of(world.outsider_org)
    partner = _invite_outsider(world)
    url = reverse("partnerships:organization_invitations", args=[world.outsider_org.pk])

    page = _client(admin).get(url)

    assert page.status_code == 200
    assert reverse("partnerships:invitation", args=[partner.pk]) in page.content.decode()
    assert _client(world.outsider).get(url).status_code == 404
    assert _client(world.city_staff).get(url).status_code == 404


# --- E-mails ----------------------------------------------------------------------------


def test_each_admin_of_the_invited_organization_is_told_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    english = _admin_of(world.outsider_org, "en")
    spanish = _admin_of(world.outsider_org, "es")

    with django_capture_on_commit_callbacks(execute=True):
        _invite_outsider(world)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {english.email, spanish.email}  # members who are not admins: no
    for message in mail.outbox:
        assert world.partnership.title not in message.subject
        assert world.city.name not in message.subject
        assert world.partnership.title in message.body
        assert message.alternatives[0][1] == "text/html"  # type: ignore[attr-defined]
    assert "invites" in by_address[english.email].body
    assert "invita" in by_address[spanish.email].body
    assert by_address[english.email].subject != by_address[spanish.email].subject


def test_no_mail_leaves_when_the_invitation_is_rolled_back(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _admin_of(world.outsider_org)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.partner_add(
            actor=world.city_staff,
            partnership=world.partnership,
            organization=world.outsider_org,
            role_description="   ",
        )
    assert mail.outbox == []


# --- An organization not on Tandem yet ------------------------------------------------------


def test_a_city_invites_an_organization_not_on_tandem_and_its_first_admin_accepts(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        partner = services.partner_add(
            actor=world.city_staff,
            partnership=world.partnership,
            new_organization=services.NewOrganization(
                name="Riverton Seniors Circle",
                kind=Organization.Kind.COMMUNITY_GROUP,
                email="Chair@Seniors.example",
            ),
            role_description="Brings older neighbours along.",
        )

    organization = partner.organization
    assert (organization.name, organization.country) == ("Riverton Seniors Circle", "US")
    assert not organization.memberships.exists()
    invitation = Invitation.objects.get(organization=organization)
    assert (invitation.email, invitation.role) == ("chair@seniors.example", Membership.Role.ADMIN)
    [message] = mail.outbox
    assert message.to == ["chair@seniors.example"]
    assert world.city.name in message.body and world.partnership.title in message.body
    assert invitation.token in message.body
    assert world.partnership.title not in message.subject

    # Their first administrator signs up from the invitation, then answers the partnership's.
    chair = f.UserFactory(email="chair@seniors.example")
    EmailAddress.objects.update_or_create(
        user=chair, email=chair.email, defaults={"verified": True, "primary": True}
    )
    accounts_services.invitation_accept(user=chair, token=invitation.token)
    mine = _client(chair).get(reverse("partnerships:my")).content.decode()
    assert world.partnership.title in mine
    services.partner_accept(actor=chair, partner=partner)
    assert _client(chair).get(_section("money", world)).status_code == 200


def test_only_city_staff_bring_new_organizations_and_never_a_city(world: World) -> None:
    for person in (world.entrepreneur, world.outsider, world.other_city_staff):
        with pytest.raises(PermissionDenied):
            accounts_services.organization_invite_new(
                actor=person,
                city=world.city,
                name="Anything",
                kind=Organization.Kind.FUNDER,
                email="a@example.org",
            )
    with pytest.raises(ValidationError) as caught:
        accounts_services.organization_invite_new(
            actor=world.city_staff,
            city=world.city,
            name="A new city",
            kind=Organization.Kind.CITY,
            email="mayor@example.org",
        )
    assert "kind" in caught.value.error_dict
    assert not Organization.objects.filter(name__in=["Anything", "A new city"]).exists()


def test_creating_a_partnership_with_a_lead_invited_by_email(world: World) -> None:
    response = _client(world.city_staff).post(
        reverse("partnerships:create"),
        {
            "city": world.city.pk,
            "title": "Warm homes for winter",
            "goal": "No household without heating by 2028",
            "problem_statement": "Older people cannot afford to heat their homes.",
            "status": Partnership.Status.EXPLORING,
            "cadence": Partnership.Cadence.MONTHLY,
            "start_date": "2026-01-05",
            "point_of_contact": world.city_staff.pk,
            "visibility": Partnership.Visibility.PRIVATE,
            "new_lead_name": "Warm Streets Co-op",
            "new_lead_kind": Organization.Kind.SOCIAL_ENTERPRISE,
            "new_lead_email": "hello@warmstreets.example",
        },
    )

    assert response.status_code == 302
    created = Partnership.objects.get(title="Warm homes for winter")
    assert created.lead.name == "Warm Streets Co-op"
    assert created.is_proposed
    assert Invitation.objects.filter(
        organization=created.lead, email="hello@warmstreets.example"
    ).exists()


def test_a_new_organizations_fields_with_a_bad_address_change_nothing(world: World) -> None:
    before = Organization.objects.count()
    response = _client(world.city_staff).post(
        _section("partner_add", world),
        {
            "role_description": "Helps.",
            "new_organization_name": "Someone",
            "new_organization_kind": Organization.Kind.FUNDER,
            "new_organization_email": "not an address",
        },
    )
    assert response.status_code == 400
    assert Organization.objects.count() == before


# --- The organization picker --------------------------------------------------------------


def test_the_picker_search_answers_a_short_fragment_of_invitable_organizations(
    world: World,
) -> None:
    for n in range(12):
        org = f.OrganizationFactory(name=f"Kitchen Helpers {n:02}")
        f.MembershipFactory(organization=org)
    f.OrganizationFactory(name="Kitchen Nobody Joined")  # created by an invitation, no people

    response = _client(world.city_staff).get(
        reverse("partnerships:organization_search"), {"q": "kitchen"}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.count('type="radio"') == 10
    assert "Kitchen Nobody Joined" not in page
    assert world.city.name not in page and "City of Lakeside" not in page


def test_the_picker_for_a_partnership_leaves_out_its_city_and_partners(world: World) -> None:
    url = reverse("partnerships:organization_search")
    response = _client(world.city_staff).get(url, {"q": "e", "partnership": world.partnership.pk})

    page = response.content.decode()
    assert world.outsider_org.name in page
    assert world.enterprise.name not in page  # already the lead
    assert world.city.name not in page


@pytest.mark.parametrize(
    ("persona", "query"),
    [
        ("entrepreneur", {"q": "a"}),
        ("beneficiary", {"q": "a"}),
        ("other_city_staff", {"q": "a", "partnership": "PK"}),
        ("city_staff", {"q": "a", "partnership": "99999999999999999999"}),
        ("city_staff", {"q": "a", "partnership": "abc"}),
    ],
)
def test_the_picker_is_not_found_for_those_who_may_not_invite(
    world: World, persona: str, query: dict[str, str]
) -> None:
    query = {k: str(world.partnership.pk) if v == "PK" else v for k, v in query.items()}
    client = _client(getattr(world, persona))
    assert client.get(reverse("partnerships:organization_search"), query).status_code == 404


def test_without_javascript_the_search_reloads_the_form_with_radio_buttons(world: World) -> None:
    client = _client(world.city_staff)
    page = client.get(_section("partner_add", world), {"q": "Unrelated"}).content.decode()

    assert f'type="radio" name="organization" value="{world.outsider_org.pk}"' in page
    assert "<select" not in page.split('name="organization"')[0].rsplit("<form", 1)[-1]

    response = client.post(
        _section("partner_add", world),
        {"organization": world.outsider_org.pk, "role_description": "Lends its hall."},
    )
    assert response.status_code == 302
    assert world.partnership.partners.get(organization=world.outsider_org).status == "invited"


def test_the_partner_page_lists_no_organization_before_a_search(world: World) -> None:
    page = _client(world.city_staff).get(_section("partner_add", world)).content.decode()
    assert world.outsider_org.name not in page


# --- A city waiting for review prepares in private ------------------------------------------


def test_a_pending_citys_invitations_wait_for_its_approval(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Organization.objects.filter(pk=world.city.pk).update(status=Organization.Status.PENDING)
    world.city.refresh_from_db()
    admin = _admin_of(world.outsider_org)
    with django_capture_on_commit_callbacks(execute=True):
        existing = _invite_outsider(world)
        new = services.partner_add(
            actor=world.city_staff,
            partnership=world.partnership,
            new_organization=services.NewOrganization(
                name="Riverton Seniors Circle",
                kind=Organization.Kind.COMMUNITY_GROUP,
                email="chair@seniors.example",
            ),
            role_description="Brings older neighbours along.",
        )
    # Nothing leaves, and the invited administrator finds no invitation to answer.
    assert mail.outbox == []
    page = reverse("partnerships:invitation", args=[existing.pk])
    assert _client(admin).get(page).status_code == 404
    assert (
        world.partnership.title
        not in _client(admin).get(reverse("partnerships:my")).content.decode()
    )
    with pytest.raises(PermissionDenied):
        services.partner_accept(actor=admin, partner=existing)

    staff = f.UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.organization_approve(actor=staff, organization=world.city)
    invited = {message.to[0] for message in mail.outbox}
    assert admin.email in invited
    assert new.organization.invitations.get().email in invited
    assert _client(admin).get(page).status_code == 200
