"""Styled error pages, and the admin screens for accounts and participants."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import views
from accounts.models import Invitation
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_unknown_url_gets_our_404_page(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"There is nothing here" in response.content
    assert b'class="skip-link"' in response.content


def test_unknown_url_in_spanish_gets_a_spanish_404(client: Client) -> None:
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    assert b'lang="es"' in response.content


def test_403_handler_renders_our_page(rf: RequestFactory) -> None:
    request = rf.get("/")
    request.user = f.UserFactory()
    response = views.error_403(request)
    assert response.status_code == 403
    assert b"Not allowed" in response.content


def test_500_handler_renders_without_touching_the_database(
    rf: RequestFactory, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0):
        response = views.error_500(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_handlers_are_wired_in_the_root_urlconf() -> None:
    from config import urls

    assert urls.handler404 == "accounts.views.error_404"
    assert urls.handler500 == "accounts.views.error_500"


# --- admin_login: the admin's own password form is never used ---------------------------


def test_admin_login_view_sends_anonymous_people_to_allauth(rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/admin/login/?next=/admin/")
    request.user = AnonymousUser()
    response = views.admin_login(request)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_admin_login_view_refuses_signed_in_non_staff(rf: RequestFactory) -> None:
    from django.http import Http404

    request = rf.post("/admin/login/", {"username": "root@example.org", "password": "x"})
    request.user = f.UserFactory()
    with pytest.raises(Http404):
        views.admin_login(request)


def test_admin_login_view_lets_staff_through_to_a_safe_next(rf: RequestFactory) -> None:
    staff = f.UserFactory(is_staff=True)
    request = rf.get("/admin/login/", {"next": "/admin/accounts/"})
    request.user = staff
    assert views.admin_login(request)["Location"] == "/admin/accounts/"
    request = rf.get("/admin/login/", {"next": "https://evil.example/"})
    request.user = staff
    assert views.admin_login(request)["Location"] == reverse("admin:index")


# --- admin screens ----------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client: Client) -> Client:
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:accounts_organization_changelist",
        "admin:accounts_organization_add",
        "admin:accounts_membership_changelist",
        "admin:accounts_invitation_changelist",
        "admin:partnerships_participant_changelist",
    ],
)
def test_admin_screens_open(world, superuser_client: Client, url_name: str) -> None:
    assert superuser_client.get(reverse(url_name)).status_code == 200


def test_admin_user_change_page_has_no_username(world, superuser_client: Client) -> None:
    response = superuser_client.get(
        reverse("admin:accounts_user_change", args=[world.city_staff.pk])
    )
    assert response.status_code == 200
    assert b'name="username"' not in response.content
    assert b"contact@riverton.gov" in response.content


def test_admin_creates_a_user_by_email(superuser_client: Client) -> None:
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "made@example.org",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    from accounts.models import User

    assert User.objects.get(email="made@example.org").check_password("a-long-enough-passphrase")


def test_organization_history_page_opens(world, superuser_client: Client) -> None:
    url = reverse("admin:accounts_organization_history", args=[world.city.pk])
    assert superuser_client.get(url).status_code == 200


def test_invitation_token_never_shows_in_the_admin(world, superuser_client: Client) -> None:
    invitation = Invitation.objects.create(organization=world.city, email="n@example.org")
    response = superuser_client.get(
        reverse("admin:accounts_invitation_change", args=[invitation.pk])
    )
    assert response.status_code == 200
    assert invitation.token.encode() not in response.content


def test_admin_action_withdraws_only_pending_invitations(world, superuser_client: Client) -> None:
    from django.utils import timezone

    pending = Invitation.objects.create(organization=world.city, email="p@example.org")
    used = Invitation.objects.create(
        organization=world.city, email="u@example.org", accepted_at=timezone.now()
    )
    superuser_client.post(
        reverse("admin:accounts_invitation_changelist"),
        {"action": "revoke", "_selected_action": [pending.pk, used.pk]},
    )
    pending.refresh_from_db()
    used.refresh_from_db()
    assert pending.revoked_at is not None
    assert used.revoked_at is None


def test_staff_who_may_only_view_invitations_cannot_withdraw_them(world) -> None:
    staff = f.UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_invitation"))
    client = Client()
    client.force_login(staff)
    pending = Invitation.objects.create(organization=world.city, email="p@example.org")

    client.post(
        reverse("admin:accounts_invitation_changelist"),
        {"action": "revoke", "_selected_action": [pending.pk]},
    )

    pending.refresh_from_db()
    assert pending.revoked_at is None
