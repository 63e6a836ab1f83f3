"""What people said about the demo partnerships' plans: comments, replies, answers (one that
changed the plan), a comment hidden after three reports, voices gathered at meetings, and
which beneficiaries took part in the check-ins. Written through the services, at moments in
the replayed year, once the stories are in place; a partnership that already has comments is
left as it is."""

from __future__ import annotations

from datetime import timedelta

from accounts.models import User
from beneficiaries import services
from beneficiaries.models import Comment
from demo.replay import World
from partnerships.models import CheckIn, Partnership


def _people(partnership: Partnership) -> tuple[User, User, list[User]]:
    """The city's contact, a member of the lead, and everyone else of the partnership."""
    contact = partnership.point_of_contact
    assert contact is not None
    lead_members = list(
        User.objects.filter(memberships__organization=partnership.lead).order_by("pk")
    )
    city_members = list(
        User.objects.filter(memberships__organization=partnership.city)
        .exclude(pk=contact.pk)
        .order_by("pk")
    )
    return contact, lead_members[0], lead_members[1:] + city_members


def _speak(world: World, partnership: Partnership) -> None:
    versions = list(partnership.plan_versions.order_by("number"))
    participants = list(partnership.participants.select_related("user").order_by("pk"))
    if not versions or not participants or partnership.comments.exists():
        return
    contact, founder, others = _people(partnership)
    resident = participants[0].user
    latest = versions[-1]
    latest_sections = list(latest.sections.all())
    start = max(versions[0].published_at, participants[0].created_at) + timedelta(days=2)
    if start >= world.now:
        return

    # On the version current then: a comment the partners took up in a later version.
    earlier = [v for v in versions if v.published_at <= start][-1]
    said = services.comment_post(
        actor=resident,
        section=list(earlier.sections.all())[-1],
        body=(
            "The meetings are in the morning, when many of us are at work or queuing for "
            "services. Could some be in the evening?"
        ),
        at=start,
    )
    services.comment_post(
        actor=founder,
        section=said.section,
        parent=said,
        body="Thank you. We will ask the others at the next check-in.",
        at=start + timedelta(hours=5),
    )
    if earlier != latest:
        services.comment_answer(
            actor=contact,
            comment=said,
            body="We moved every other meeting to the evening; the new plan says so.",
            changed_version=latest,
            at=latest.published_at + timedelta(hours=2),
        )

    now = world.now
    # On the current plan: one answered without a change, one still open.
    asked = services.comment_post(
        actor=resident,
        section=latest_sections[0],
        body="Who do I talk to if something in the plan does not work for my family?",
        at=now - timedelta(days=9),
    )
    services.comment_answer(
        actor=founder,
        comment=asked,
        body="Any of us at the check-ins, or the city's contact by phone. Their number is on "
        "the printed plan.",
        at=now - timedelta(days=7),
    )
    services.comment_post(
        actor=resident,
        section=latest_sections[-1],
        body="This part is hard to follow. Can it be said more simply?",
        at=now - timedelta(days=2),
    )

    # Voices gathered at a meeting, one of them named with consent, one answered.
    meeting = (now - timedelta(days=12)).date()
    voice = services.voice_record(
        actor=founder,
        section=latest_sections[0],
        body="Several people said they learned about the partnership only by word of mouth.",
        spoken_on=meeting,
        at=now - timedelta(days=11),
    )
    services.comment_answer(
        actor=contact,
        comment=voice,
        body="We now put up posters in the community centre and the clinic.",
        at=now - timedelta(days=4),
    )
    services.voice_record(
        actor=founder,
        section=latest_sections[-1],
        body="I would come more often if there were something for the children.",
        spoken_on=meeting,
        spoken_by="Lupe, a mother of three",
        named_with_consent=True,
        at=now - timedelta(days=11),
    )

    # Three people report a comment with a phone number in it: it is hidden.
    reporters = [contact, founder, *others][:3]
    if len(reporters) == 3:
        careless = services.comment_post(
            actor=resident,
            section=latest_sections[0],
            body="My neighbour needs help too, call her on 555-0134 any time.",
            at=now - timedelta(days=3),
        )
        for i, person in enumerate(reporters):
            services.comment_report(
                actor=person,
                comment=careless,
                reason="personal_data",
                at=now - timedelta(days=3, hours=-i - 1),
            )

    # The beneficiaries who took part in the held check-ins since they joined.
    for checkin in partnership.checkins.filter(status=CheckIn.Status.HELD).order_by("due_date"):
        present = [p for p in participants if p.created_at.date() <= checkin.due_date]
        if present:
            services.checkin_attendance_record(
                actor=contact,
                checkin=checkin,
                participants=present,
                at=min(now, world.moment((checkin.due_date - world.today).days)),
            )


def load(world: World) -> int:
    """Adds the voices to every demo partnership with a plan and a participant; returns how
    many comments there are now."""
    for partnership in Partnership.objects.filter(
        participants__isnull=False, plan_versions__isnull=False
    ).distinct():
        _speak(world, partnership)
    return Comment.objects.count()
