"""Participant invitations change only through beneficiaries.services; accepting one makes
the person a participant through partnerships.services.participant_add."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.models import Membership
from beneficiaries import services
from beneficiaries.events import Action
from beneficiaries.models import ParticipantInvitation
from core.models import Event
from partnerships import services as partnership_services
from partnerships.events import Action as PartnershipAction
from partnerships.models import Participant
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db

NEWCOMER = "newcomer@example.net"


def _invite(world: World, email: str = NEWCOMER, **kwargs: object) -> ParticipantInvitation:
    kwargs.setdefault("actor", world.entrepreneur)
    return services.participant_invitation_send(
        partnership=world.partnership,
        email=email,
        **kwargs,  # type: ignore[arg-type]
    )


# --- Sending -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["city_staff", "city_admin", "entrepreneur"])
def test_city_staff_and_partners_may_invite(world: World, persona: str) -> None:
    invitation = _invite(world, actor=getattr(world, persona), role=Participant.Role.CO_PLANNER)

    assert invitation.role == Participant.Role.CO_PLANNER
    assert invitation.invited_by == getattr(world, persona)
    assert invitation.expires_at > timezone.now() + timedelta(days=13)


@pytest.mark.parametrize("persona", ["beneficiary", "other_city_staff", "outsider"])
def test_participants_and_outsiders_may_not_invite(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        _invite(world, actor=getattr(world, persona))
    assert not ParticipantInvitation.objects.exists()


def test_the_invitation_event_keeps_no_address(world: World) -> None:
    invitation = _invite(world)

    event = Event.objects.get(action=Action.INVITATION_SENT)
    assert event.partnership_id == world.partnership.pk
    assert event.organization_id == world.city.pk
    assert event.actor == world.entrepreneur
    assert event.data == {"invitation_id": invitation.pk, "role": Participant.Role.ADVISOR}
    assert "newcomer" not in str(event.data)


def test_the_email_leaves_after_commit_in_the_inviters_language(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with translation.override("es"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            invitation = _invite(world, email="NewComer@Example.net")
        assert mail.outbox == []  # nothing leaves before the row is committed
    # The callback runs later, in whatever language is active then.
    with translation.override("en"):
        for callback in callbacks:
            callback()

    assert invitation.email == NEWCOMER
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [NEWCOMER]
    assert f"/partnerships/join/{invitation.token}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"/partnerships/join/{invitation.token}/" in html
    assert "Community meals for older neighbours" in message.body
    assert "le invita" in message.body
    assert message.subject == "[Tandem] Le invitan a participar en una alianza"
    # The subject names neither the partnership, its city, the inviter nor the invitee.
    for private in ("Community meals", "Riverton", "Eli", "newcomer"):
        assert private not in message.subject


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [("not an address", Participant.Role.ADVISOR, "email"), (NEWCOMER, "boss", "role")],
)
def test_bad_address_or_role_is_refused(world: World, email: str, role: str, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        _invite(world, email=email, role=role)
    assert field in error.value.message_dict
    assert not ParticipantInvitation.objects.exists()


def test_a_second_pending_invitation_to_the_same_address_is_refused(world: World) -> None:
    _invite(world)
    with pytest.raises(ValidationError) as error:
        _invite(world, email=NEWCOMER.upper(), actor=world.city_staff)
    assert "already waiting" in error.value.message_dict["email"][0]
    assert ParticipantInvitation.objects.count() == 1


def test_a_withdrawn_or_expired_invitation_can_be_sent_again(world: World) -> None:
    first = _invite(world)
    services.participant_invitation_revoke(actor=world.city_staff, invitation=first)
    second = _invite(world)
    ParticipantInvitation.objects.filter(pk=second.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    third = _invite(world)
    assert len({first.pk, second.pk, third.pk}) == 3


def test_someone_already_taking_part_is_not_invited(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _invite(world, email=world.beneficiary.email.upper())
    assert "already takes part" in error.value.message_dict["email"][0]


# --- Withdrawing -------------------------------------------------------------------------


def test_a_contributor_withdraws_and_the_log_says_so(world: World) -> None:
    invitation = _invite(world)

    services.participant_invitation_revoke(actor=world.city_staff, invitation=invitation)
    # A second withdrawal changes nothing and writes nothing.
    services.participant_invitation_revoke(actor=world.city_staff, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    events = Event.objects.filter(action=Action.INVITATION_REVOKED)
    assert [(e.actor, e.data) for e in events] == [
        (world.city_staff, {"invitation_id": invitation.pk})
    ]


@pytest.mark.parametrize("persona", ["beneficiary", "other_city_staff", "outsider"])
def test_others_may_not_withdraw(world: World, persona: str) -> None:
    invitation = _invite(world)
    with pytest.raises(PermissionDenied):
        services.participant_invitation_revoke(actor=getattr(world, persona), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_accepted_invitation_cannot_be_withdrawn(world: World) -> None:
    invitation = _invite(world)
    newcomer = f.UserFactory(email=NEWCOMER)
    services.participant_invitation_accept(user=newcomer, token=invitation.token)
    with pytest.raises(ValidationError):
        services.participant_invitation_revoke(actor=world.city_staff, invitation=invitation)


# --- Accepting ---------------------------------------------------------------------------


def test_accepting_creates_one_participant_with_the_invited_role(world: World) -> None:
    invitation = _invite(world, role=Participant.Role.REVIEWER)
    newcomer = f.UserFactory(email=NEWCOMER)

    participant = services.participant_invitation_accept(user=newcomer, token=invitation.token)

    assert Participant.objects.filter(partnership=world.partnership, user=newcomer).count() == 1
    assert participant.role == Participant.Role.REVIEWER
    assert participant.invited_by == world.entrepreneur
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer and invitation.accepted_at is not None
    event = Event.objects.get(action=PartnershipAction.PARTICIPANT_ADDED)
    assert event.actor == newcomer
    assert event.partnership_id == world.partnership.pk
    assert event.data == {"role": Participant.Role.REVIEWER, "joined": True}
    assert event.actor_display() + " " + event.describe() == (
        f"{newcomer.display_name} joined the partnership as reviewer"
    )
    # The newcomer now sees the partnership, and it counts as theirs.
    assert world.partnership.pk in newcomer.participations.values_list("partnership", flat=True)


def test_an_invitation_is_used_only_once(world: World) -> None:
    invitation = _invite(world)
    newcomer = f.UserFactory(email=NEWCOMER)
    services.participant_invitation_accept(user=newcomer, token=invitation.token)

    with pytest.raises(ValidationError) as error:
        services.participant_invitation_accept(user=newcomer, token=invitation.token)
    assert "already been used" in error.value.messages[0]
    assert Participant.objects.filter(user=newcomer).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
    ],
)
def test_expired_or_withdrawn_invitations_are_refused(
    world: World, change: dict[str, object], message: str
) -> None:
    invitation = _invite(world)
    ParticipantInvitation.objects.filter(pk=invitation.pk).update(**change)
    newcomer = f.UserFactory(email=NEWCOMER)

    with pytest.raises(ValidationError) as error:
        services.participant_invitation_accept(user=newcomer, token=invitation.token)
    assert message in error.value.messages[0]
    assert not Participant.objects.filter(user=newcomer).exists()


def test_another_address_or_an_unverified_one_is_refused(world: World) -> None:
    invitation = _invite(world)
    someone_else = f.UserFactory(email="someone.else@example.net")
    unverified = f.UserFactory(email=NEWCOMER, verified=False)
    EmailAddress.objects.create(user=unverified, email=NEWCOMER, verified=False, primary=True)

    for user in (someone_else, unverified):
        with pytest.raises(ValidationError) as error:
            services.participant_invitation_accept(user=user, token=invitation.token)
        assert "different e-mail address" in error.value.messages[0]
    assert not Participant.objects.filter(user__in=[someone_else, unverified]).exists()


def test_an_invitation_from_someone_who_left_carries_no_weight(world: World) -> None:
    invitation = _invite(world)
    Membership.objects.filter(user=world.entrepreneur).delete()
    world.entrepreneur.forget_memberships()
    newcomer = f.UserFactory(email=NEWCOMER)

    with pytest.raises(ValidationError) as error:
        services.participant_invitation_accept(user=newcomer, token=invitation.token)
    assert "no longer valid" in error.value.messages[0]
    assert not Participant.objects.filter(user=newcomer).exists()


def test_an_unknown_token_is_refused(world: World) -> None:
    newcomer = f.UserFactory(email=NEWCOMER)
    with pytest.raises(ValidationError):
        services.participant_invitation_accept(user=newcomer, token="no-such-token")


# --- partnerships.services.participant_add -------------------------------------------------


def test_a_contributor_adds_a_participant_directly(world: World) -> None:
    person = f.UserFactory()
    participant = partnership_services.participant_add(
        actor=world.city_staff, partnership=world.partnership, user=person
    )
    assert participant.invited_by == world.city_staff
    event = Event.objects.get(action=PartnershipAction.PARTICIPANT_ADDED)
    assert event.describe() == "added a participant as advisor"
    world.partnership.refresh_from_db()
    assert world.partnership.last_activity_at == event.created_at


def test_nobody_adds_themselves_without_a_contributors_word(world: World) -> None:
    person = f.UserFactory()
    for invited_by in (None, world.outsider, world.beneficiary):
        with pytest.raises(PermissionDenied):
            partnership_services.participant_add(
                actor=person, partnership=world.partnership, user=person, invited_by=invited_by
            )
    with pytest.raises(PermissionDenied):
        partnership_services.participant_add(
            actor=world.beneficiary, partnership=world.partnership, user=person
        )
    assert not Participant.objects.filter(user=person).exists()


def test_a_participant_is_added_once(world: World) -> None:
    with pytest.raises(ValidationError):
        partnership_services.participant_add(
            actor=world.city_staff, partnership=world.partnership, user=world.beneficiary
        )
    assert Participant.objects.filter(user=world.beneficiary).count() == 1
