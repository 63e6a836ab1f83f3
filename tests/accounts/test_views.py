"""Organization pages: who sees what, what admins may do, and what a rejected form looks like."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Organization
from tests import factories as f
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


def _membership(user, organization) -> Membership:
    return Membership.objects.get(user=user, organization=organization)


def _urls(world) -> dict[str, str]:
    city, staff = world.city, _membership(world.city_staff, world.city)
    invitation = Invitation.objects.create(
        organization=city, email="newcomer@example.org", invited_by=world.city_admin
    )
    return {
        "organizations": reverse("accounts:organizations"),
        "organization_create": reverse("accounts:organization_create"),
        "profile": reverse("accounts:profile"),
        "organization_detail": reverse("accounts:organization_detail", args=[city.pk]),
        "invitation_create": reverse("accounts:invitation_create", args=[city.pk]),
        "invitation_revoke": reverse("accounts:invitation_revoke", args=[city.pk, invitation.pk]),
        "membership_role": reverse("accounts:membership_role", args=[city.pk, staff.pk]),
        "membership_remove": reverse("accounts:membership_remove", args=[city.pk, staff.pk]),
        "invitation_accept": reverse("accounts:invitation_accept", args=[invitation.token]),
    }


# Expected GET status per URL and persona; 302 always means "to the login page".
EXPECTED: dict[str, dict[str, int]] = {
    "organizations": dict.fromkeys(SIGNED_IN, 200),
    "organization_create": dict.fromkeys(SIGNED_IN, 200),
    "profile": dict.fromkeys(SIGNED_IN, 200),
    "organization_detail": {
        **dict.fromkeys(SIGNED_IN, 404),
        "city_staff": 200,
        "city_admin": 200,
    },
    # Admin actions are POST-only; the method is checked after the permission,
    # so only an admin of the city ever learns the address exists (405).
    "invitation_create": {**dict.fromkeys(SIGNED_IN, 404), "city_admin": 405},
    "invitation_revoke": {**dict.fromkeys(SIGNED_IN, 404), "city_admin": 405},
    "membership_role": {**dict.fromkeys(SIGNED_IN, 404), "city_admin": 405},
    # city_staff may leave: removing their own membership is theirs to do.
    "membership_remove": {
        **dict.fromkeys(SIGNED_IN, 404),
        "city_admin": 405,
        "city_staff": 405,
    },
    # The token is the secret; the page then says who invites, or why this person cannot
    # accept. A visitor reads the invitation with ways to sign up or log in.
    "invitation_accept": dict.fromkeys(PERSONAS, 200),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", list(EXPECTED))
def test_permission_walk(world, client_as, url_name: str, persona: str) -> None:
    url = _urls(world)[url_name]
    response = client_as(persona).get(url)
    expected = EXPECTED[url_name].get(persona, 302)
    assert response.status_code == expected, (url_name, persona)
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_not_found_is_our_styled_page(world, client_as) -> None:
    response = client_as("outsider").get(
        reverse("accounts:organization_detail", args=[world.city.pk])
    )
    assert response.status_code == 404
    assert b"There is nothing here" in response.content
    assert b"City of Riverton" not in response.content


# --- list and detail ---------------------------------------------------------------------


def test_list_shows_only_my_organizations(world, client_as) -> None:
    response = client_as("city_staff").get(reverse("accounts:organizations"))
    assert b"City of Riverton" in response.content
    assert b"City of Lakeside" not in response.content
    assert b"Second Harvest Kitchens" not in response.content


def test_members_see_members_but_not_invitations_or_admin_forms(world, client_as) -> None:
    Invitation.objects.create(organization=world.city, email="secret-invitee@example.org")
    response = client_as("city_staff").get(
        reverse("accounts:organization_detail", args=[world.city.pk])
    )
    content = response.content.decode()
    assert "admin@riverton.gov" in content
    assert "secret-invitee@example.org" not in content
    assert reverse("accounts:invitation_create", args=[world.city.pk]) not in content
    assert "invitations" not in response.context


def test_admins_see_pending_invitations_and_the_invite_form(world, client_as) -> None:
    Invitation.objects.create(organization=world.city, email="waiting@example.org")
    Invitation.objects.create(
        organization=world.city, email="old@example.org", revoked_at=timezone.now()
    )
    response = client_as("city_admin").get(
        reverse("accounts:organization_detail", args=[world.city.pk])
    )
    content = response.content.decode()
    assert "waiting@example.org" in content
    assert "old@example.org" not in content
    assert reverse("accounts:invitation_create", args=[world.city.pk]) in content


# --- create ------------------------------------------------------------------------------------


def test_anyone_signed_in_creates_a_non_city_organization(world, client_as) -> None:
    response = client_as("beneficiary").post(
        reverse("accounts:organization_create"),
        {"name": "Tenants Together", "kind": "community_group", "country": "us"},
    )
    organization = Organization.objects.get(name="Tenants Together")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organization_detail", args=[organization.pk])
    assert _membership(world.beneficiary, organization).role == Membership.Role.ADMIN


def test_a_city_is_offered_to_anyone_and_starts_waiting_for_review(world, client_as) -> None:
    client = client_as("outsider")
    form = client.get(reverse("accounts:organization_create")).context["form"]
    assert "city" in dict(form.fields["kind"].choices)
    response = client.post(
        reverse("accounts:organization_create"),
        {"name": "City of Nowhere", "kind": "city", "country": "US"},
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="City of Nowhere").is_pending


def test_bad_organization_form_gets_400_and_field_messages(world, client_as) -> None:
    before = Organization.objects.count()
    response = client_as("outsider").post(
        reverse("accounts:organization_create"),
        {"name": "", "kind": "funder", "country": "12"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "name" in errors
    assert "country" in errors
    assert b'aria-invalid="true"' in response.content
    assert Organization.objects.count() == before


# --- invitations through the pages -----------------------------------------------------------


def test_admin_invites_and_the_invitee_accepts(
    world, client_as, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("city_admin").post(
            reverse("accounts:invitation_create", args=[world.city.pk]),
            {"email": "newcomer@example.org", "role": "member"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="newcomer@example.org")
    accept_url = reverse("accounts:invitation_accept", args=[invitation.token])
    assert accept_url in mail.outbox[0].body

    newcomer = f.UserFactory(email="newcomer@example.org")
    client = client_as("anonymous")
    client.force_login(newcomer)
    page = client.get(accept_url)
    assert page.status_code == 200
    assert b"City of Riverton" in page.content
    response = client.post(accept_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organization_detail", args=[world.city.pk])
    assert _membership(newcomer, world.city).role == Membership.Role.MEMBER


def test_anonymous_invitee_reads_the_invitation_and_posting_asks_to_log_in(
    world, client_as
) -> None:
    invitation = Invitation.objects.create(organization=world.city, email="n@example.org")
    accept_url = reverse("accounts:invitation_accept", args=[invitation.token])
    client = client_as("anonymous")
    assert b"City of Riverton" in client.get(accept_url).content
    response = client.post(accept_url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={accept_url}"
    assert not Membership.objects.filter(user__email="n@example.org").exists()


def test_accepting_with_the_wrong_address_explains_and_changes_nothing(world, client_as) -> None:
    invitation = Invitation.objects.create(organization=world.city, email="n@example.org")
    accept_url = reverse("accounts:invitation_accept", args=[invitation.token])
    client = client_as("outsider")
    page = client.get(accept_url)
    assert b"different e-mail address" in page.content
    # Someone holding a forwarded link learns nothing about the organization.
    assert b"City of Riverton" not in page.content
    response = client.post(accept_url)
    assert response.status_code == 400
    assert world.city.pk not in world.outsider.organization_ids()


def test_expired_invitation_page_says_so(world, client_as) -> None:
    invitation = Invitation.objects.create(
        organization=world.city,
        email="founder@harvest.org",
        expires_at=timezone.now() - timedelta(days=1),
    )
    client = client_as("entrepreneur")
    url = reverse("accounts:invitation_accept", args=[invitation.token])
    assert b"has expired" in client.get(url).content
    assert client.post(url).status_code == 400
    assert world.city.pk not in world.entrepreneur.organization_ids()


def test_unknown_invitation_token_is_not_found(world, client_as) -> None:
    url = reverse("accounts:invitation_accept", args=["nothing-here"])
    assert client_as("outsider").get(url).status_code == 404


def test_member_who_is_not_admin_cannot_invite(world, client_as) -> None:
    response = client_as("city_staff").post(
        reverse("accounts:invitation_create", args=[world.city.pk]),
        {"email": "friend@example.org", "role": "admin"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_admin_of_another_organization_cannot_invite_here(world, client_as) -> None:
    response = client_as("other_city_staff").post(
        reverse("accounts:invitation_create", args=[world.city.pk]),
        {"email": "friend@example.org", "role": "member"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_duplicate_invitation_form_gets_400_with_a_message(world, client_as) -> None:
    Invitation.objects.create(organization=world.city, email="friend@example.org")
    response = client_as("city_admin").post(
        reverse("accounts:invitation_create", args=[world.city.pk]),
        {"email": "friend@example.org", "role": "member"},
    )
    assert response.status_code == 400
    assert "already waiting" in str(response.context["invite_form"].errors["email"])
    assert Invitation.objects.count() == 1


def test_invalid_invitation_address_gets_400(world, client_as) -> None:
    response = client_as("city_admin").post(
        reverse("accounts:invitation_create", args=[world.city.pk]),
        {"email": "not an address", "role": "member"},
    )
    assert response.status_code == 400
    assert "email" in response.context["invite_form"].errors
    assert not Invitation.objects.exists()


def test_admin_withdraws_an_invitation(world, client_as) -> None:
    invitation = Invitation.objects.create(organization=world.city, email="friend@example.org")
    response = client_as("city_admin").post(
        reverse("accounts:invitation_revoke", args=[world.city.pk, invitation.pk])
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_invitation_of_another_organization_is_not_found(world, client_as) -> None:
    invitation = Invitation.objects.create(organization=world.other_city, email="x@example.org")
    response = client_as("city_admin").post(
        reverse("accounts:invitation_revoke", args=[world.city.pk, invitation.pk])
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- roles and removal ----------------------------------------------------------------------------


def test_admin_changes_a_role(world, client_as) -> None:
    staff = _membership(world.city_staff, world.city)
    response = client_as("city_admin").post(
        reverse("accounts:membership_role", args=[world.city.pk, staff.pk]), {"role": "admin"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.role == Membership.Role.ADMIN


def test_last_admin_demoting_themselves_gets_400_and_a_message(world, client_as) -> None:
    own = _membership(world.city_admin, world.city)
    response = client_as("city_admin").post(
        reverse("accounts:membership_role", args=[world.city.pk, own.pk]), {"role": "member"}
    )
    assert response.status_code == 400
    assert b"at least one administrator" in response.content
    assert b'role="alert"' in response.content
    own.refresh_from_db()
    assert own.role == Membership.Role.ADMIN


def test_unknown_role_gets_400(world, client_as) -> None:
    staff = _membership(world.city_staff, world.city)
    response = client_as("city_admin").post(
        reverse("accounts:membership_role", args=[world.city.pk, staff.pk]), {"role": "owner"}
    )
    assert response.status_code == 400
    staff.refresh_from_db()
    assert staff.role == Membership.Role.MEMBER


def test_member_cannot_change_roles(world, client_as) -> None:
    admin = _membership(world.city_admin, world.city)
    response = client_as("city_staff").post(
        reverse("accounts:membership_role", args=[world.city.pk, admin.pk]), {"role": "member"}
    )
    assert response.status_code == 404
    admin.refresh_from_db()
    assert admin.role == Membership.Role.ADMIN


def test_membership_of_another_organization_is_not_found(world, client_as) -> None:
    other = _membership(world.other_city_staff, world.other_city)
    response = client_as("city_admin").post(
        reverse("accounts:membership_remove", args=[world.city.pk, other.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_admin_removes_a_member(world, client_as) -> None:
    staff = _membership(world.city_staff, world.city)
    response = client_as("city_admin").post(
        reverse("accounts:membership_remove", args=[world.city.pk, staff.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=staff.pk).exists()


def test_member_leaves_and_lands_on_their_list(world, client_as) -> None:
    staff = _membership(world.city_staff, world.city)
    response = client_as("city_staff").post(
        reverse("accounts:membership_remove", args=[world.city.pk, staff.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organizations")
    assert not Membership.objects.filter(pk=staff.pk).exists()


def test_last_admin_cannot_leave(world, client_as) -> None:
    own = _membership(world.entrepreneur, world.enterprise)
    response = client_as("entrepreneur").post(
        reverse("accounts:membership_remove", args=[world.enterprise.pk, own.pk])
    )
    assert response.status_code == 400
    assert Membership.objects.filter(pk=own.pk).exists()


# --- preferences -----------------------------------------------------------------------------------


def test_saving_preferences_switches_the_language(world, client_as) -> None:
    client = client_as("beneficiary")
    response = client.post(reverse("accounts:profile"), {"name": "Bea", "preferred_language": "es"})
    assert response.status_code == 302
    assert response["Location"] == "/es/organizations/profile/"
    assert response.cookies["django_language"].value == "es"
    world.beneficiary.refresh_from_db()
    assert world.beneficiary.preferred_language == "es"
    page = client.get(response["Location"])
    assert b'lang="es"' in page.content


def test_bad_preferences_get_400_and_change_nothing(world, client_as) -> None:
    response = client_as("beneficiary").post(
        reverse("accounts:profile"), {"name": "Somebody Else", "preferred_language": "xx"}
    )
    assert response.status_code == 400
    assert "preferred_language" in response.context["form"].errors
    world.beneficiary.refresh_from_db()
    assert world.beneficiary.name == "Bea Resident"
    assert world.beneficiary.preferred_language == "en"


def test_newcomer_who_signs_up_elsewhere_verifies_and_comes_back_to_accept(world, client) -> None:
    """Without having opened the link in this browser, the address is confirmed by e-mail."""
    import re

    invitation = Invitation.objects.create(organization=world.city, email="new@example.org")
    accept_url = reverse("accounts:invitation_accept", args=[invitation.token])
    signup_url = f"{reverse('account_signup')}?next={accept_url}"
    client.post(
        signup_url,
        {
            "email": "new@example.org",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )
    confirm_path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    response = client.post(confirm_path)
    assert response["Location"] == accept_url
    response = client.post(accept_url)
    assert response.status_code == 302
    assert Membership.objects.filter(
        organization=world.city, user__email="new@example.org"
    ).exists()


def test_organization_pages_obey_the_content_security_policy(world, client_as) -> None:
    from tests.accounts.test_allauth_pages import assert_in_our_layout

    Invitation.objects.create(organization=world.city, email="waiting@example.org")
    client = client_as("city_admin")
    for url in (
        reverse("accounts:organizations"),
        reverse("accounts:organization_create"),
        reverse("accounts:organization_detail", args=[world.city.pk]),
        reverse("accounts:profile"),
    ):
        assert_in_our_layout(client.get(url).content)
