"""Trainings: partners schedule them, participants take and give up places, partners record
who came. The last place cannot be taken twice, even by two people at the same moment."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from beneficiaries import services
from beneficiaries.events import Action
from beneficiaries.models import Training, TrainingSignup
from core.models import Event
from partnerships.models import Participant
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _soon(days: int = 7) -> datetime:
    return timezone.now() + timedelta(days=days)


def _training(world: World, capacity: int = 2, **extra: object) -> Training:
    values: dict[str, object] = {
        "topic": Training.Topic.NEGOTIATION,
        "starts_at": _soon(),
        "place": "Community hall",
        "capacity": capacity,
        **extra,
    }
    return services.training_schedule(
        actor=world.entrepreneur,
        partnership=world.partnership,
        **values,  # type: ignore[arg-type]
    )


def test_a_partner_schedules_and_the_event_names_the_training(world: World) -> None:
    training = _training(world)

    event = Event.objects.get(action=Action.TRAINING_SCHEDULED)
    assert event.data["training"] == training.pk
    assert event.partnership_id == world.partnership.pk
    assert event.actor == world.entrepreneur
    assert "negotiation" in event.describe().lower()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"topic": "cooking"}, "topic"),
        ({"topic": "other", "own_topic": "  "}, "own_topic"),
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "starts_at"),
        ({"place": " "}, "place"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 501}, "capacity"),
    ],
)
def test_a_training_that_makes_no_sense_is_refused(
    world: World, values: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _training(world, **values)
    assert field in refused.value.message_dict
    assert not Training.objects.exists()


def test_their_own_topic_is_the_title(world: World) -> None:
    training = _training(world, topic="other", own_topic="Speaking to the council")
    assert training.title == "Speaking to the council"


@pytest.mark.parametrize("persona", ["beneficiary", "outsider", "other_city_staff"])
def test_only_partners_schedule(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.training_schedule(
            actor=getattr(world, persona),
            partnership=world.partnership,
            topic="planning",
            starts_at=_soon(),
            place="Hall",
            capacity=5,
        )


def test_participants_take_places_until_it_is_full(world: World) -> None:
    training = _training(world, capacity=1)
    services.training_signup(actor=world.beneficiary, training=training)
    second = f.ParticipantFactory(partnership=world.partnership).user

    with pytest.raises(ValidationError, match="full"):
        services.training_signup(actor=second, training=training)
    with pytest.raises(ValidationError, match="already"):
        services.training_signup(actor=world.beneficiary, training=training)

    assert training.signups.count() == 1
    assert Event.objects.filter(action=Action.TRAINING_SIGNED_UP).count() == 1


def test_giving_up_a_place_frees_it(world: World) -> None:
    training = _training(world, capacity=1)
    services.training_signup(actor=world.beneficiary, training=training)
    services.training_signup_cancel(actor=world.beneficiary, training=training)
    second = f.ParticipantFactory(partnership=world.partnership).user

    services.training_signup(actor=second, training=training)

    assert list(training.signups.values_list("user", flat=True)) == [second.pk]
    assert Event.objects.filter(action=Action.TRAINING_CANCELLED_SIGNUP).count() == 1


@pytest.mark.parametrize("persona", ["entrepreneur", "other_beneficiary", "outsider"])
def test_only_participants_of_the_partnership_sign_up(world: World, persona: str) -> None:
    training = _training(world)
    with pytest.raises(PermissionDenied):
        services.training_signup(actor=getattr(world, persona), training=training)


def test_attendance_is_recorded_once_the_training_began(world: World) -> None:
    training = _training(world, capacity=3)
    came = services.training_signup(actor=world.beneficiary, training=training)
    other = f.ParticipantFactory(partnership=world.partnership).user
    missed = services.training_signup(actor=other, training=training)
    with pytest.raises(ValidationError):
        services.training_attendance_record(
            actor=world.entrepreneur, training=training, attended=[came.pk]
        )
    Training.objects.filter(pk=training.pk).update(starts_at=timezone.now() - timedelta(hours=1))

    services.training_attendance_record(
        actor=world.entrepreneur, training=training, attended=[came.pk]
    )

    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attended, missed.attended) == (True, False)
    event = Event.objects.get(action=Action.TRAINING_ATTENDANCE)
    assert event.data["attended"] == 1
    with pytest.raises(PermissionDenied):
        services.training_attendance_record(actor=world.beneficiary, training=training, attended=[])
    with pytest.raises(ValidationError):
        services.training_attendance_record(
            actor=world.entrepreneur, training=training, attended=[987654]
        )


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_one_gets_it() -> None:
    city = f.CityFactory()
    staff = f.UserFactory()
    f.MembershipFactory(user=staff, organization=city)
    partnership = f.PartnershipFactory(city=city, point_of_contact=staff)
    people = [f.ParticipantFactory(partnership=partnership).user for _ in range(4)]
    training = services.training_schedule(
        actor=staff,
        partnership=partnership,
        topic="planning",
        starts_at=_soon(),
        place="Hall",
        capacity=2,
    )
    start = threading.Barrier(len(people))
    outcomes: dict[int, str] = {}

    def take(person_id: int) -> None:
        try:
            person = Participant.objects.get(user_id=person_id).user
            start.wait(timeout=10)
            services.training_signup(actor=person, training=Training.objects.get(pk=training.pk))
            outcomes[person_id] = "placed"
        except ValidationError:
            outcomes[person_id] = "full"
        except Exception as error:  # SQLite refuses a write it cannot serialize
            outcomes[person_id] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(p.pk,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    stored = TrainingSignup.objects.filter(training_id=training.pk).count()
    assert 1 <= stored <= 2
    assert list(outcomes.values()).count("placed") == stored
    if connection.vendor == "postgresql":
        # The row lock queues them: two placed, two told it is full.
        assert sorted(outcomes.values()) == ["full", "full", "placed", "placed"]


def test_the_pages_list_and_show_a_training(world: World, client_as) -> None:
    training = _training(world)
    client = client_as("beneficiary")
    listing = client.get(reverse("beneficiaries:trainings", args=[world.partnership.pk]))
    assert "Negotiation" in listing.content.decode()

    signed = client.post(
        reverse("beneficiaries:training_signup", args=[world.partnership.pk, training.pk])
    )
    assert signed.status_code == 302
    page = client.get(
        reverse("beneficiaries:training_detail", args=[world.partnership.pk, training.pk])
    ).content.decode()
    assert "Give up my place" in page
    # Partners see who signed up; a participant sees only the places left.
    assert "Bea Resident" not in page
    partner_page = client_as("entrepreneur").get(
        reverse("beneficiaries:training_detail", args=[world.partnership.pk, training.pk])
    )
    assert "Bea Resident" in partner_page.content.decode()


def test_a_full_training_says_so_on_the_page_with_a_400(world: World, client_as) -> None:
    training = _training(world, capacity=1)
    other = f.ParticipantFactory(partnership=world.partnership).user
    services.training_signup(actor=other, training=training)

    response = client_as("beneficiary").post(
        reverse("beneficiaries:training_signup", args=[world.partnership.pk, training.pk])
    )

    assert response.status_code == 400
    assert "This training is full." in response.content.decode()


def test_scheduling_from_the_form(world: World, client_as) -> None:
    client = client_as("city_staff")
    url = reverse("beneficiaries:training_schedule", args=[world.partnership.pk])
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        url,
        {"topic": "evidence", "starts_at": when, "place": "Library", "capacity": "8"},
    )

    assert response.status_code == 302
    training = Training.objects.get()
    assert (training.place, training.capacity, training.scheduled_by) == (
        "Library",
        8,
        world.city_staff,
    )
