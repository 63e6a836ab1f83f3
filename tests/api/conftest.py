"""Tokens for the personas: ``token_for("entrepreneur", "write")`` is a client with one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership, User
from api import services
from api.models import ApiToken
from tests.conftest import World


def make_token(user: User, scope: str = "read") -> tuple[ApiToken, str]:
    """A token of the user's first organization, made as its administrator would."""
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    assert membership is not None, f"{user} is in no organization"
    if membership.role != Membership.Role.ADMIN:
        Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.ADMIN)
        user.forget_memberships()
    made = services.token_create(
        actor=user, organization=membership.organization, name=f"{scope} system", scope=scope
    )
    return made.token, made.secret


@pytest.fixture
def token_for(world: World) -> Callable[[str, str], APIClient]:
    def make(persona: str, scope: str = "read") -> APIClient:
        client = APIClient()
        _token, secret = make_token(getattr(world, persona), scope)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make
