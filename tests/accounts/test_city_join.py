"""A city registers itself, waits in private, and site staff approve or decline it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts import permissions, services
from accounts.events import Action
from accounts.models import Invitation, Membership, Organization
from core.models import Event
from partnerships.models import Partnership
from tests import factories as f

pytestmark = pytest.mark.django_db


def _register(official, name: str = "City of Brookfield") -> Organization:
    return services.organization_create(actor=official, name=name, kind="city", country="us")


@pytest.fixture
def official():
    return f.UserFactory(email="mayor.office@brookfield.gov", name="Mara Official")


@pytest.fixture
def staff():
    return f.UserFactory(email="team@tandem.example", is_staff=True, preferred_language="es")


def test_anyone_signed_in_may_register_a_city_which_starts_pending(official) -> None:
    city = _register(official)

    assert city.status == Organization.Status.PENDING
    assert Membership.objects.get(organization=city, user=official).role == "admin"
    # Its registrant works in it already: a city's staff, able to invite colleagues.
    assert city.pk in official.city_ids()
    assert permissions.can_invite(official, city)


def test_every_active_staff_user_is_told_after_commit(
    official, staff, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_URL = "https://tandem.example.org"
    f.UserFactory(email="former@tandem.example", is_staff=True, is_active=False)
    f.UserFactory(email="plain@tandem.example")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _register(official)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert [m.to for m in mail.outbox] == [["team@tandem.example"]]
    message = mail.outbox[0]
    assert "Brookfield" not in message.subject  # no names in subjects
    assert "City of Brookfield" in message.body
    assert "https://tandem.example.org/organizations/review/" in message.body
    # Written in the staff member's own language.
    assert "Una ciudad" in message.subject


def test_a_non_city_organization_is_approved_at_once(official) -> None:
    org = services.organization_create(
        actor=official, name="Brook Cooks", kind="community_group", country="US"
    )
    assert org.status == Organization.Status.APPROVED


def test_single_city_setting_approves_the_first_city_only(official, settings) -> None:
    settings.TANDEM_SINGLE_CITY = True
    first = _register(official, "City of One")
    second = _register(f.UserFactory(), "City of Two")

    assert first.status == Organization.Status.APPROVED
    assert second.status == Organization.Status.PENDING


def test_pending_and_declined_cities_stay_off_public_lists(official, staff) -> None:
    approved = f.CityFactory(name="City of Approved")
    pending = _register(official)
    declined = _register(f.UserFactory(), "City of Nope")
    services.organization_decline(actor=staff, organization=declined, reason="Not a city.")

    assert list(Organization.objects.cities().listed()) == [approved]
    for city in (approved, pending, declined):
        f.PartnershipFactory(
            city=city, visibility=Partnership.Visibility.PUBLIC_SUMMARY, public_summary="Meals."
        )
    assert {p.city_id for p in Partnership.objects.public_summaries()} == {approved.pk}


def test_only_staff_approve_and_the_admins_are_told(
    official, staff, django_capture_on_commit_callbacks
) -> None:
    city = _register(official)
    with pytest.raises(PermissionDenied):
        services.organization_approve(actor=official, organization=city)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(actor=staff, organization=city)

    city.refresh_from_db()
    assert city.status == Organization.Status.APPROVED
    assert city.reviewed_by == staff
    assert Event.objects.filter(action=Action.ORGANIZATION_APPROVED, organization_id=city.pk)
    assert [m.to for m in mail.outbox] == [["mayor.office@brookfield.gov"]]
    assert f"/organizations/{city.pk}/" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.organization_approve(actor=staff, organization=city)


def test_declining_needs_a_reason_and_locks_the_city(
    official, staff, django_capture_on_commit_callbacks
) -> None:
    city = _register(official)
    invitation = services.invitation_create(
        actor=official, organization=city, email="colleague@brookfield.gov"
    )
    with pytest.raises(ValidationError) as refused:
        services.organization_decline(actor=staff, organization=city, reason="  ")
    assert "reason" in refused.value.message_dict
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.organization_decline(
            actor=staff, organization=city, reason="We could not reach the city hall."
        )

    city.refresh_from_db()
    official.forget_memberships()
    assert city.status == Organization.Status.DECLINED
    assert Event.objects.filter(action=Action.ORGANIZATION_DECLINED, organization_id=city.pk)
    assert "We could not reach the city hall." in mail.outbox[0].body
    # No portfolio, no new people: a declined city is not on Tandem.
    assert city.pk not in official.city_ids()
    assert not permissions.can_invite(official, city)
    colleague = f.UserFactory(email="colleague@brookfield.gov")
    with pytest.raises(ValidationError):
        services.invitation_accept(user=colleague, token=invitation.token)
    # A declined city can be approved after all.
    services.organization_approve(actor=staff, organization=city)
    official.forget_memberships()
    assert city.pk in official.city_ids()


# --- Pages ----------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_create_page_offers_the_city_kind_and_registers_it(official) -> None:
    client = _client(official)
    page = client.get(reverse("accounts:organization_create") + "?kind=city")
    assert page.status_code == 200
    assert b'value="city" selected' in page.content
    assert b"write to us" not in page.content

    response = client.post(
        reverse("accounts:organization_create"),
        {"name": "City of Brookfield", "kind": "city", "country": "US"},
        follow=True,
    )
    city = Organization.objects.get(name="City of Brookfield")
    assert city.status == Organization.Status.PENDING
    assert "Waiting for review" in response.content.decode()


def test_a_declined_citys_admin_reads_the_reason_on_its_page(official, staff) -> None:
    city = _register(official)
    member = f.UserFactory()
    Membership.objects.create(user=member, organization=city)
    services.organization_decline(actor=staff, organization=city, reason="Not the real city.")

    admin_page = _client(official).get(reverse("accounts:organization_detail", args=[city.pk]))
    assert "Registration declined" in admin_page.content.decode()
    assert "Not the real city." in admin_page.content.decode()
    assert "Send invitation" not in admin_page.content.decode()
    member_page = _client(member).get(reverse("accounts:organization_detail", args=[city.pk]))
    assert "Not the real city." not in member_page.content.decode()


def test_the_review_page_is_for_staff_only(official, staff) -> None:
    city = _register(official)
    url = reverse("accounts:organization_review")
    assert _client(official).get(url).status_code == 404
    assert _client(f.UserFactory(is_staff=True, is_active=True)).get(url).status_code == 200
    page = _client(staff).get(url)
    assert "City of Brookfield" in page.content.decode()
    assert "mayor.office@brookfield.gov" in page.content.decode()
    for name in ("accounts:organization_approve", "accounts:organization_decline"):
        assert _client(official).post(reverse(name, args=[city.pk])).status_code == 404
    city.refresh_from_db()
    assert city.status == Organization.Status.PENDING


def test_staff_approve_and_decline_from_the_review_page(official, staff) -> None:
    city = _register(official)
    other = _register(f.UserFactory(), "City of Nope")
    client = _client(staff)

    refused = client.post(reverse("accounts:organization_decline", args=[other.pk]), {})
    assert refused.status_code == 400
    assert client.post(reverse("accounts:organization_approve", args=[city.pk])).status_code == 302
    declined = client.post(
        reverse("accounts:organization_decline", args=[other.pk]), {"reason": "Duplicate."}
    )
    assert declined.status_code == 302

    city.refresh_from_db()
    other.refresh_from_db()
    assert city.status == Organization.Status.APPROVED
    assert (other.status, other.review_note) == (Organization.Status.DECLINED, "Duplicate.")


def test_admin_actions_approve_and_decline_through_the_services(official) -> None:
    superuser = f.UserFactory(is_staff=True, is_superuser=True)
    city = _register(official)
    other = _register(f.UserFactory(), "City of Nope")
    client = _client(superuser)
    url = reverse("admin:accounts_organization_changelist")

    client.post(url, {"action": "approve", "_selected_action": [city.pk]})
    asks = client.post(url, {"action": "decline", "_selected_action": [other.pk]})
    assert asks.status_code == 200
    assert "City of Nope" in asks.content.decode()
    client.post(url, {"action": "decline", "_selected_action": [other.pk], "reason": "Not a city."})

    city.refresh_from_db()
    other.refresh_from_db()
    assert city.status == Organization.Status.APPROVED
    assert (other.status, other.review_note) == (Organization.Status.DECLINED, "Not a city.")
    assert Event.objects.filter(action=Action.ORGANIZATION_DECLINED, organization_id=other.pk)


def test_invitations_of_a_declined_city_cannot_be_opened_for_joining(official, staff) -> None:
    city = _register(official)
    invitation = Invitation.objects.create(
        organization=city, email="colleague@brookfield.gov", invited_by=official
    )
    services.organization_decline(actor=staff, organization=city, reason="No.")
    page = Client().get(reverse("accounts:invitation_accept", args=[invitation.token]))
    assert "no longer work" in page.content.decode()
    assert "City of Brookfield" not in page.content.decode()
