"""The demo's beneficiaries: their consent, a printed invitation waiting on paper, and
trainings with sign-ups and attendance, all through the beneficiaries' services.

Run by the loader after the partnerships' stories; whatever already exists is left alone,
so loading twice adds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from beneficiaries import services
from beneficiaries.models import Consent, ParticipantInvitation, Training
from partnerships.models import Participant, Partnership

# (partnership title, topic, own topic, days from now, place, capacity, attended)
TRAININGS = [
    (
        "Every neighbour housed: a by-name list to functional zero",
        Training.Topic.EVIDENCE,
        "",
        -12,
        "Riverton Public Library, room 2",
        10,
        True,
    ),
    (
        "Every neighbour housed: a by-name list to functional zero",
        Training.Topic.NEGOTIATION,
        "",
        9,
        "Open Door drop-in centre, 14 Mill Street",
        8,
        False,
    ),
    (
        "Reciclaje con las recicladoras de Valle Alto",
        Training.Topic.OTHER,
        "Cómo presentar una propuesta al cabildo",
        6,
        "Centro comunitario de la colonia Las Lomas",
        15,
        False,
    ),
]
PRINTED_FOR = "Every neighbour housed: a by-name list to functional zero"


def load(now: datetime) -> None:
    for participant in Participant.objects.select_related("user", "partnership"):
        if not Consent.objects.current().filter(user=participant.user).exists():
            services.consent_give(actor=participant.user, at=participant.created_at)
    for title, topic, own_topic, day, place, capacity, attended in TRAININGS:
        partnership = Partnership.objects.filter(title=title).first()
        if partnership is None or partnership.point_of_contact is None:
            continue
        if partnership.trainings.filter(topic=topic, own_topic=own_topic).exists():
            continue
        _training(now, partnership, topic, own_topic, day, place, capacity, attended)
    partnership = Partnership.objects.filter(title=PRINTED_FOR).first()
    if partnership is not None and partnership.point_of_contact is not None:
        printed = partnership.participant_invitations.filter(
            kind=ParticipantInvitation.Kind.PRINTED
        )
        if not printed.exists():
            services.participant_invitation_print(
                actor=partnership.point_of_contact,
                partnership=partnership,
                role=Participant.Role.REVIEWER,
                at=now - timedelta(days=2),
            )


def _training(
    now: datetime,
    partnership: Partnership,
    topic: str,
    own_topic: str,
    day: int,
    place: str,
    capacity: int,
    attended: bool,
) -> None:
    contact = partnership.point_of_contact
    assert contact is not None
    starts_at = (now + timedelta(days=day)).replace(hour=17, minute=30, second=0, microsecond=0)
    scheduled_at = starts_at - timedelta(days=21)
    training = services.training_schedule(
        actor=contact,
        partnership=partnership,
        topic=topic,
        own_topic=own_topic,
        starts_at=starts_at,
        place=place,
        capacity=capacity,
        at=scheduled_at,
    )
    signups = []
    for participant in partnership.participants.select_related("user"):
        signups.append(
            services.training_signup(
                actor=participant.user, training=training, at=scheduled_at + timedelta(days=2)
            )
        )
    if attended:
        services.training_attendance_record(
            actor=contact,
            training=training,
            attended=[signup.pk for signup in signups],
            at=starts_at + timedelta(hours=2),
        )
