"""Organizations, memberships and invitations change only through accounts.services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, Organization
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- organization_create ---------------------------------------------------------


def test_creator_becomes_the_first_administrator(world) -> None:
    organization = services.organization_create(
        actor=world.beneficiary,
        name="Neighbours Who Cook",
        kind=Organization.Kind.COMMUNITY_GROUP,
        country="us",
    )
    assert organization.country == "US"
    assert organization.slug == "neighbours-who-cook"
    membership = Membership.objects.get(organization=organization)
    assert membership.user == world.beneficiary
    assert membership.role == Membership.Role.ADMIN
    assert organization.pk in world.beneficiary.admin_organization_ids()


def test_creation_is_attributed_in_history(world) -> None:
    organization = services.organization_create(
        actor=world.outsider, name="Fresh Start", kind=Organization.Kind.FUNDER, country="MX"
    )
    assert organization.history.get().history_user == world.outsider
    membership = Membership.objects.get(organization=organization)
    assert membership.history.get().history_user == world.outsider


def test_a_city_registered_by_its_official_waits_for_review(world) -> None:
    city = services.organization_create(
        actor=world.outsider, name="City of Elsewhere", kind="city", country="US"
    )
    assert city.is_city
    assert city.status == Organization.Status.PENDING


def test_organization_with_bad_country_is_refused(world) -> None:
    with pytest.raises(ValidationError):
        services.organization_create(
            actor=world.outsider, name="Too Long", kind="funder", country="USA"
        )
    assert not Organization.objects.filter(name="Too Long").exists()


# --- invitations -------------------------------------------------------------------


def _invite(world, email: str = "newcomer@example.org", role: str = "member") -> Invitation:
    return services.invitation_create(
        actor=world.city_admin, organization=world.city, email=email, role=role
    )


def test_invitation_email_leaves_after_commit_with_the_accept_link(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = _invite(world, email="Newcomer@Example.org")
    assert mail.outbox == []  # nothing leaves before the row is committed
    for callback in callbacks:
        callback()

    assert invitation.email == "newcomer@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.org"]
    accept_path = f"/organizations/invitations/{invitation.token}/"
    assert accept_path in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert accept_path in html
    assert "City of Riverton" in message.body
    # The subject names neither the organization, the inviter nor the invitee.
    for private in ("Riverton", "Ada", "newcomer"):
        assert private not in message.subject


def test_only_organization_admins_invite(world) -> None:
    for actor in (world.city_staff, world.other_city_staff, world.entrepreneur):
        with pytest.raises(PermissionDenied):
            services.invitation_create(
                actor=actor, organization=world.city, email="x@example.org", role="member"
            )
    assert not Invitation.objects.exists()


def test_a_second_pending_invitation_to_the_same_address_is_refused(world) -> None:
    _invite(world)
    with pytest.raises(ValidationError) as caught:
        _invite(world, email="NEWCOMER@example.org")
    assert "already waiting" in str(caught.value)
    assert Invitation.objects.count() == 1


def test_a_revoked_invitation_can_be_sent_again(world) -> None:
    first = _invite(world)
    services.invitation_revoke(actor=world.city_admin, invitation=first)
    second = _invite(world)
    assert second.pk != first.pk


def test_existing_members_are_not_invited(world) -> None:
    with pytest.raises(ValidationError) as caught:
        _invite(world, email="contact@riverton.gov")
    assert "already a member" in str(caught.value)


def test_accepting_creates_the_membership_with_the_invited_role(world) -> None:
    invitation = _invite(world, email="newcomer@example.org", role="admin")
    newcomer = f.UserFactory(email="newcomer@example.org")
    membership = services.invitation_accept(user=newcomer, token=invitation.token)
    assert membership.organization == world.city
    assert membership.role == Membership.Role.ADMIN
    assert membership.history.get().history_user == newcomer
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer
    assert invitation.accepted_at is not None


def test_a_second_verified_address_may_accept(world) -> None:
    invitation = _invite(world, email="work@example.org")
    newcomer = f.UserFactory(email="home@example.org")
    EmailAddress.objects.create(user=newcomer, email="Work@example.org", verified=True)
    services.invitation_accept(user=newcomer, token=invitation.token)
    assert world.city.pk in newcomer.organization_ids()


def test_invitation_for_another_address_is_refused(world) -> None:
    invitation = _invite(world, email="newcomer@example.org")
    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(user=world.outsider, token=invitation.token)
    assert "different e-mail address" in str(caught.value)
    assert world.city.pk not in world.outsider.organization_ids()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_unverified_matching_address_is_not_enough(world) -> None:
    invitation = _invite(world, email="newcomer@example.org")
    newcomer = f.UserFactory(email="newcomer@example.org", verified=False)
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=False)
    with pytest.raises(ValidationError):
        services.invitation_accept(user=newcomer, token=invitation.token)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_expired_invitation_is_refused(world) -> None:
    invitation = _invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    newcomer = f.UserFactory(email="newcomer@example.org")
    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(user=newcomer, token=invitation.token)
    assert "expired" in str(caught.value)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_revoked_invitation_is_refused(world) -> None:
    invitation = _invite(world)
    services.invitation_revoke(actor=world.city_admin, invitation=invitation)
    newcomer = f.UserFactory(email="newcomer@example.org")
    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(user=newcomer, token=invitation.token)
    assert "withdrawn" in str(caught.value)


def test_an_invitation_is_used_only_once(world) -> None:
    invitation = _invite(world)
    newcomer = f.UserFactory(email="newcomer@example.org")
    services.invitation_accept(user=newcomer, token=invitation.token)
    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(user=newcomer, token=invitation.token)
    assert "already been used" in str(caught.value)
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_unknown_token_is_refused(world) -> None:
    with pytest.raises(ValidationError):
        services.invitation_accept(user=world.outsider, token="no-such-token")


def test_accepting_never_lowers_an_existing_role(world) -> None:
    invitation = Invitation.objects.create(
        organization=world.enterprise, email="founder@harvest.org", role="member"
    )
    membership = services.invitation_accept(user=world.entrepreneur, token=invitation.token)
    assert membership.role == Membership.Role.ADMIN


def test_only_admins_revoke(world) -> None:
    invitation = _invite(world)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=world.city_staff, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_accepted_invitation_cannot_be_revoked(world) -> None:
    invitation = _invite(world)
    services.invitation_accept(
        user=f.UserFactory(email="newcomer@example.org"), token=invitation.token
    )
    with pytest.raises(ValidationError):
        services.invitation_revoke(actor=world.city_admin, invitation=invitation)


# --- memberships and the last-admin rule ---------------------------------------------


def _membership(user, organization) -> Membership:
    return Membership.objects.get(user=user, organization=organization)


def test_last_admin_cannot_be_demoted(world) -> None:
    membership = _membership(world.city_admin, world.city)
    with pytest.raises(ValidationError) as caught:
        services.membership_set_role(actor=world.city_admin, membership=membership, role="member")
    assert "at least one administrator" in str(caught.value)
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_last_admin_cannot_be_removed_or_leave(world) -> None:
    membership = _membership(world.city_admin, world.city)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=world.city_admin, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_with_a_second_admin_the_first_may_step_down(world) -> None:
    staff_membership = _membership(world.city_staff, world.city)
    services.membership_set_role(actor=world.city_admin, membership=staff_membership, role="admin")
    own = _membership(world.city_admin, world.city)
    services.membership_set_role(actor=world.city_admin, membership=own, role="member")
    own.refresh_from_db()
    assert own.role == Membership.Role.MEMBER
    assert own.history.latest().history_user == world.city_admin
    assert world.city.pk not in world.city_admin.admin_organization_ids()


def test_admin_removes_a_member_and_history_keeps_who_did_it(world) -> None:
    membership = _membership(world.city_staff, world.city)
    services.membership_remove(actor=world.city_admin, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deletion = Membership.history.filter(id=membership.pk, history_type="-").get()
    assert deletion.history_user == world.city_admin


def test_members_cannot_change_roles_or_remove_others(world) -> None:
    admin_membership = _membership(world.city_admin, world.city)
    with pytest.raises(PermissionDenied):
        services.membership_set_role(
            actor=world.city_staff, membership=admin_membership, role="member"
        )
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=world.city_staff, membership=admin_membership)
    with pytest.raises(PermissionDenied):
        services.membership_remove(
            actor=world.other_city_staff, membership=_membership(world.city_staff, world.city)
        )


def test_a_member_may_leave(world) -> None:
    services.membership_remove(
        actor=world.city_staff, membership=_membership(world.city_staff, world.city)
    )
    assert world.city.pk not in world.city_staff.organization_ids()


def test_unknown_role_is_refused(world) -> None:
    with pytest.raises(ValidationError):
        services.membership_set_role(
            actor=world.city_admin,
            membership=_membership(world.city_staff, world.city),
            role="owner",
        )


# --- preferences ----------------------------------------------------------------------


def test_preferences_are_saved(world) -> None:
    services.user_update_preferences(
        user=world.beneficiary, name="  Bea R.  ", preferred_language="es"
    )
    world.beneficiary.refresh_from_db()
    assert world.beneficiary.name == "Bea R."
    assert world.beneficiary.preferred_language == "es"


def test_unknown_language_is_refused(world) -> None:
    with pytest.raises(ValidationError):
        services.user_update_preferences(user=world.beneficiary, name="", preferred_language="fr")
