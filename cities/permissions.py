"""Who may see and do what in a city's own playbook.

Views and services ask these predicates. A city's inbox, register and draft are its own:
to anyone else they do not exist (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Organization

if TYPE_CHECKING:
    from accounts.models import User
    from cities.models import Introduction, Statement


def is_city_staff(user: User, city: Organization) -> bool:
    return user.is_authenticated and city.is_city and city.pk in user.city_ids()


def is_city_admin(user: User, city: Organization) -> bool:
    return is_city_staff(user, city) and city.pk in user.admin_organization_ids()


def can_see_city_page(user: User, city: Organization) -> bool:
    """An approved city's page is public; one waiting for review only to its own staff."""
    if not city.is_city:
        return False
    return city.status == Organization.Status.APPROVED or is_city_staff(user, city)


def can_name_contact(user: User, city: Organization) -> bool:
    return is_city_admin(user, city)


def can_handle_introductions(user: User, city: Organization) -> bool:
    return is_city_staff(user, city)


def can_act_for(user: User, organization: Organization) -> bool:
    """A member speaks for a social enterprise, a group or a network; never for a city,
    nor for an organization the Tandem team declined."""
    return (
        user.is_authenticated
        and not organization.is_city
        and not organization.is_declined
        and organization.pk in user.organization_ids()
    )


def can_introduce(user: User, organization: Organization, city: Organization) -> bool:
    return (
        can_act_for(user, organization)
        and city.is_city
        and city.status == Organization.Status.APPROVED
    )


def can_see_introduction(user: User, introduction: Introduction) -> bool:
    return user.is_authenticated and (
        introduction.city_id in user.city_ids()
        or introduction.organization_id in user.organization_ids()
    )


def can_keep_register(user: User, city: Organization) -> bool:
    return is_city_staff(user, city)


def can_edit_statement(user: User, city: Organization) -> bool:
    return is_city_staff(user, city)


def can_publish_statement(user: User, city: Organization) -> bool:
    return is_city_admin(user, city)


def invited_organization_ids(user: User, statement: Statement | None) -> set[int]:
    """The organizations of this person that the city asked to comment and endorse."""
    if statement is None or not user.is_authenticated:
        return set()
    mine = user.organization_ids()
    if not mine:
        return set()
    return set(
        statement.invitations.filter(organization_id__in=mine).values_list(
            "organization_id", flat=True
        )
    )


def can_see_draft(user: User, city: Organization, statement: Statement | None) -> bool:
    return is_city_staff(user, city) or bool(invited_organization_ids(user, statement))


def can_manage_network(user: User, network: Organization) -> bool:
    return (
        user.is_authenticated
        and network.kind == Organization.Kind.NETWORK
        and network.pk in user.admin_organization_ids()
    )


def can_tick(user: User, organization: Organization) -> bool:
    """Any member works through their organization's checklist."""
    return user.is_authenticated and organization.pk in user.organization_ids()
