"""The fast way of writing e-mails says what rendering each one whole says, and sends
groups in a fixed number of statements."""

from __future__ import annotations

import email
import email.policy
from collections import Counter
from datetime import time, timedelta
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.events import log_event
from core.links import absolute_url
from core.mail import render_templated
from notifications import services
from notifications.models import Dispatch, Preference
from partnerships.models import CheckIn
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db

VARYING = {"date", "message-id", "content-type"}


def _whole(row: Dispatch, batch: services._Batch) -> EmailMessage:
    """The e-mail rendered whole from its templates for one person, as it was before."""
    recipient = row.recipient
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        subject, template, context = services._content(row, batch)
        unsubscribe_url = absolute_url(
            reverse(
                "notifications:unsubscribe",
                args=[services.unsubscribe_token(recipient.pk, row.kind)],
            )
        )
        message = render_templated(
            to=recipient.email,
            subject=subject,
            template=template,
            context=context | {"recipient": recipient, "unsubscribe_url": unsubscribe_url},
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
                "X-Tandem-Dispatch": str(row.pk),
            },
        )
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def _shape(message: EmailMessage) -> tuple[dict[str, str], str, str, list[str]]:
    headers = {name.lower(): str(value) for name, value in message.items()}
    headers = {name: value for name, value in headers.items() if name not in VARYING}
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return (
        headers,
        text.get_content(),
        html.get_content(),
        [part.get_content_type() for part in message.walk()],
    )


def test_each_email_says_exactly_what_rendering_it_whole_says(world: World) -> None:
    world.entrepreneur.name = "Élodie <b>&'\"O'Brien\""
    world.entrepreneur.preferred_language = "es"
    world.entrepreneur.save()
    f.CheckInFactory(
        partnership=world.partnership,
        due_date=timezone.localdate() + timedelta(days=3),
        time=time(9, 30),
        place="Café <Norte> & Sur",
    )
    services.reminders_sweep()
    with transaction.atomic():
        log_event(
            actor=world.city_staff,
            action="beneficiaries.comment.answered",
            partnership_id=world.partnership.pk,
            data={"comment": 1, "answer": 2, "section": 3, "commenter": world.beneficiary.pk},
        )
    services.events_sweep()
    rows = list(Dispatch.objects.filter(channel="email").select_related("recipient").order_by("pk"))
    assert {row.kind for row in rows} == {"checkin_due", "comment_answered"}
    assert len(rows) == 3
    batch = services._Batch(rows)
    composer = services._Composer(batch)
    for row in rows:
        prepared = composer.message(row, row.recipient)
        raw = prepared.message(policy=email.policy.SMTP).as_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998
        fast = email.message_from_bytes(raw, policy=email.policy.default)
        assert not fast.defects
        assert all(not part.defects for part in fast.walk())
        assert _shape(fast) == _shape(_whole(row, batch))  # type: ignore[arg-type]
    # The shared bodies were rendered once per check-in (and language) or event, not per person.
    assert len(composer.shared) == 3
    spanish = next(row for row in rows if row.recipient_id == world.entrepreneur.pk)
    text = _shape(
        email.message_from_bytes(  # type: ignore[arg-type]
            composer.message(spanish, spanish.recipient).message().as_bytes(),
            policy=email.policy.default,
        )
    )[1]
    assert "Hola, Élodie:" in text and "Café <Norte> & Sur" in text


def test_two_people_in_one_language_share_one_rendering(world: World) -> None:
    f.CheckInFactory(partnership=world.partnership, due_date=timezone.localdate())
    services.reminders_sweep()
    rows = list(Dispatch.objects.filter(channel="email").select_related("recipient"))
    assert len(rows) == 2
    composer = services._Composer(services._Batch(rows))
    bodies = [composer.message(row, row.recipient).body for row in rows]
    assert len(composer.shared) == 1
    assert "Hello Rosa," in bodies[0] + bodies[1] and "Hello Eli," in bodies[0] + bodies[1]


def _send_queries(people: int, group: int, settings) -> tuple[int, list[str]]:
    settings.TANDEM_NOTIFICATIONS_GROUP = group
    partnership = f.PartnershipFactory(point_of_contact=None)
    for _ in range(people):
        user = f.UserFactory()
        f.MembershipFactory(user=user, organization=partnership.lead)
        Preference.objects.create(user=user, kind="checkin_due", channel="app", frequency="never")
    f.CheckInFactory(partnership=partnership, due_date=timezone.localdate())
    services.reminders_sweep()
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        services.dispatches_send()
    assert len(mail.outbox) == people, Counter(Dispatch.objects.values_list("status", "channel"))
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    return len(queries), updates


def test_sending_spends_the_same_statements_on_a_big_group_as_on_a_small_one(
    db: None, settings
) -> None:
    counts = []
    for people in (1, 2, 12):  # the first one warms what a process loads once
        count, updates = _send_queries(people, 100, settings)
        counts.append(count)
        Dispatch.objects.all().delete()
        CheckIn.objects.all().delete()
    _warm, few, many = counts
    assert many == few
    # The claim, one "sending" and one "sent" for the whole group.
    assert len(updates) == 3
    assert "'sending'" in updates[1] and "'sent'" in updates[2]


def test_each_group_is_marked_sending_then_sent_in_one_statement_each(db: None, settings) -> None:
    _count, updates = _send_queries(7, 3, settings)
    # The claim, then three groups (3, 3, 1): sending and sent for each.
    assert len(updates) == 1 + 2 * 3
    assert Dispatch.objects.filter(channel="email", status="sent").count() == 7
