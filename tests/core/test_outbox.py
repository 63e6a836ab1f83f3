"""Mail never breaks a page: every e-mail waits in the outbox and leaves after the commit.

These tests put the outbox (the default mailer outside the tests) in front of a delivery
mailer: memory, an SMTP port where nothing listens, or an SMTP server that accepts the
connection and never answers. ``transaction=True``: the delivery waits for a real commit.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.conf import settings as settings_module
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Membership, Organization
from core import outbox
from core.models import OutboundEmail
from core.tasks import outbound_email_deliver_task
from partnerships.models import Participant
from tests import factories as f
from tests.conftest import World

OUTBOX = "core.mail.OutboxBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
PASSWORD = "a-long-and-unusual-passphrase-42"
Status = OutboundEmail.Status


def _free_port() -> int:
    """A port on which nothing listens: bound, then let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_smtp_server() -> Iterator[int]:
    """A server that accepts every connection and never says a word (no SMTP greeting)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(32)
    server.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join(2)
    for connection in held:
        connection.close()
    server.close()


def _use_outbox(settings, delivery: str, **options: object) -> None:
    settings.MAILERS = {
        "default": {"BACKEND": OUTBOX},
        "delivery": {"BACKEND": delivery, "OPTIONS": options},
    }


def _smtp_options(port: int, timeout: float = 0.5) -> dict[str, object]:
    return {"host": "127.0.0.1", "port": port, "timeout": timeout}


def _send(subject: str = "Hello") -> None:
    message = EmailMultiAlternatives(
        subject=subject, body="Plain words.", to=["someone@example.org"], cc=["cc@example.org"]
    )
    message.attach_alternative("<p>Plain words.</p>", "text/html")
    message.send()


@pytest.fixture(autouse=True)
def _no_thread_left_behind() -> Iterator[None]:
    # allauth's rate limits (one confirmation mail per address a while) start afresh.
    cache.clear()
    yield
    outbox.wait_for_background_deliveries()


# --- The outbox itself ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_mail_is_delivered_after_the_commit_and_keeps_its_message_id(settings) -> None:
    _use_outbox(settings, LOCMEM)

    with transaction.atomic():
        _send()
        row = OutboundEmail.objects.get()
        assert row.status == Status.PENDING
        assert (row.to, row.cc, row.subject) == (
            ["someone@example.org"],
            ["cc@example.org"],
            "Hello",
        )
        outbox.wait_for_background_deliveries()
        assert mail.outbox == []  # nothing leaves before the commit

    outbox.wait_for_background_deliveries()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.sent_using == "delivery"
    assert sent.to == ["someone@example.org"] and sent.cc == ["cc@example.org"]
    assert sent.alternatives[0].mimetype == "text/html"
    assert sent.message()["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at is not None) == (Status.SENT, 1, True)
    # A sent e-mail keeps its envelope, not the links in its text.
    assert (row.body, row.html_body) == ("", "")


@pytest.mark.django_db(transaction=True)
def test_nothing_is_stored_or_sent_when_the_transaction_rolls_back(settings) -> None:
    _use_outbox(settings, LOCMEM)

    with pytest.raises(RuntimeError), transaction.atomic():
        _send()
        raise RuntimeError("the service refused")

    outbox.wait_for_background_deliveries()
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_attempt_is_retried_with_backoff_then_fails_and_logs_only_the_id(
    settings, caplog
) -> None:
    settings.TANDEM_MAIL_MAX_ATTEMPTS = 3
    settings.TANDEM_MAIL_RETRY_SECONDS = 60
    settings.TANDEM_MAIL_IN_PROCESS_RETRY_WAIT = 0
    _use_outbox(settings, SMTP, **_smtp_options(_free_port()))
    caplog.set_level(logging.INFO, logger="core.outbox")

    _send()
    outbox.wait_for_background_deliveries()
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.last_error.startswith("ConnectionRefusedError")
    first_wait = row.next_attempt_at - timezone.now()
    assert timedelta(seconds=55) < first_wait <= timedelta(seconds=60)
    # Not due yet: the sweep leaves it alone.
    assert outbox.outbound_email_deliver(row.pk) is None

    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    call_command("deliver_mail", stdout=None)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 2)
    assert timedelta(seconds=115) < row.next_attempt_at - timezone.now() <= timedelta(seconds=120)

    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    outbox.outbound_email_deliver_due()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert row.body == "Plain words."  # kept, to be sent again

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(warnings) == 2 and len(errors) == 1
    for record in warnings + errors:
        line = record.getMessage()
        assert row.message_id in line
        assert "someone@example.org" not in line and "Plain words" not in line


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_retries_a_near_attempt_itself(settings) -> None:
    settings.TANDEM_MAIL_MAX_ATTEMPTS = 3
    settings.TANDEM_MAIL_RETRY_SECONDS = 0.05
    settings.TANDEM_MAIL_IN_PROCESS_RETRY_WAIT = 1
    _use_outbox(settings, SMTP, **_smtp_options(_free_port()))

    _send()
    outbox.wait_for_background_deliveries()

    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 3)


@pytest.mark.django_db(transaction=True)
def test_a_claimed_row_is_sent_once_however_many_deliverers_try(settings) -> None:
    _use_outbox(settings, LOCMEM)
    with transaction.atomic():
        _send()
        row = OutboundEmail.objects.get()
        # Claimed as a worker would, before its thread gets to it.
        assert outbox._claim(row.pk, timezone.now())

    outbox.wait_for_background_deliveries()
    assert outbox.outbound_email_deliver(row.pk) is None
    assert outbox.outbound_email_deliver_due() == 0
    assert mail.outbox == []

    # The worker died: once its lease runs out the sweep sends the row, once.
    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.outbound_email_deliver_due() == 1
    assert outbox.outbound_email_deliver_due() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_admin_lists_the_outbox_and_retries_failed_mail(settings, admin_client) -> None:
    _use_outbox(settings, LOCMEM)
    with transaction.atomic():
        _send("Lost on the way")
        row = OutboundEmail.objects.get()
        OutboundEmail.objects.filter(pk=row.pk).update(
            status=Status.FAILED, attempts=6, last_error="ConnectionRefusedError"
        )
    outbox.wait_for_background_deliveries()
    assert mail.outbox == []

    changelist = reverse("admin:core_outboundemail_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200
    assert "Lost on the way" in page.content.decode()
    assert admin_client.get(reverse("admin:core_outboundemail_add")).status_code == 403

    response = admin_client.post(changelist, {"action": "retry", "_selected_action": [row.pk]})
    assert response.status_code == 302
    outbox.wait_for_background_deliveries()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert "1 failed e-mail will be sent again." in admin_client.get(changelist).content.decode()
    assert [message.subject for message in mail.outbox] == ["Lost on the way"]


@pytest.mark.django_db(transaction=True)
def test_the_celery_task_attempts_the_row_and_comes_back_for_the_next_attempt(settings) -> None:
    _use_outbox(settings, SMTP, **_smtp_options(_free_port()))
    with transaction.atomic():
        _send()
        row = OutboundEmail.objects.get()
        assert outbox._claim(row.pk, timezone.now())  # keeps the thread away
    outbox.wait_for_background_deliveries()
    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())

    with pytest.raises(Retry) as retry:
        outbound_email_deliver_task.apply(args=[row.pk])

    # It failed and asks the worker to come back when the row's next attempt is due.
    assert 55 < float(retry.value.when) <= 60
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)


def test_the_beat_schedule_sweeps_the_outbox() -> None:
    from config.celery import app

    entries = {entry["task"] for entry in settings_module.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.outbound_email_deliver_due_task" in entries
    assert "core.tasks.outbound_email_deliver_due_task" in app.tasks
    assert "core.tasks.outbound_email_deliver_task" in app.tasks


# --- Every form that sends mail, with the mail server down ------------------------------


@dataclass
class Form:
    client: Client
    url: str
    data: dict[str, str]
    status: int = 302


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _password_reset(world: World) -> Form:
    return Form(Client(), reverse("account_reset_password"), {"email": world.entrepreneur.email})


def _sign_up(world: World) -> Form:
    data = {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD}
    return Form(Client(), reverse("account_signup"), data)


def _member_invitation(world: World) -> Form:
    url = reverse("accounts:invitation_create", args=[world.city.pk])
    data = {"email": "colleague@riverton.gov", "role": Membership.Role.MEMBER}
    return Form(_signed_in(world.city_admin), url, data)


def _participant_invitation(world: World) -> Form:
    url = reverse("beneficiaries:people", args=[world.partnership.pk])
    data = {"email": "neighbour@example.net", "role": Participant.Role.CO_PLANNER}
    return Form(_signed_in(world.entrepreneur), url, data)


def _city_registration(world: World) -> Form:
    f.UserFactory(email="team@tandem.example", is_staff=True)
    data = {"name": "City of Brookfield", "kind": Organization.Kind.CITY, "country": "US"}
    return Form(_signed_in(world.outsider), reverse("accounts:organization_create"), data)


def _city_approval(world: World) -> Form:
    staff = f.UserFactory(email="team@tandem.example", is_staff=True)
    city = account_services.organization_create(
        actor=world.outsider, name="City of Brookfield", kind=Organization.Kind.CITY, country="US"
    )
    return Form(_signed_in(staff), reverse("accounts:organization_approve", args=[city.pk]), {})


FORMS: dict[str, Callable[[World], Form]] = {
    "password reset": _password_reset,
    "sign-up": _sign_up,
    "member invitation": _member_invitation,
    "participant invitation": _participant_invitation,
    "city registration": _city_registration,
    "city approval": _city_approval,
}


@pytest.fixture(params=["closed port", "silent server"])
def mail_server_down(request, silent_smtp_server) -> tuple[int, float]:
    """The port, and a timeout: long enough that a page waiting for the silent server
    would take over 2 s (and then fail); the refused connection fails at once anyway."""
    if request.param == "closed port":
        return _free_port(), 0.5
    return silent_smtp_server, 2.5


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_every_form_that_sends_mail_answers_quickly_when_the_mail_server_is_down(
    world: World,
    form: Callable[[World], Form],
    mail_server_down: tuple[int, float],
    settings,
    caplog,
) -> None:
    prepared = form(world)  # with the test mailer: mail sent while preparing is not counted
    settings.TANDEM_MAIL_IN_PROCESS_RETRY_WAIT = 0
    _use_outbox(settings, SMTP, **_smtp_options(*mail_server_down))
    caplog.set_level(logging.WARNING, logger="core.outbox")

    started = time.monotonic()
    response = prepared.client.post(prepared.url, prepared.data)
    elapsed = time.monotonic() - started

    assert response.status_code == prepared.status, response.content.decode()[:2000]
    assert elapsed < 2, f"the page took {elapsed:.2f}s"
    outbox.wait_for_background_deliveries()
    rows = list(OutboundEmail.objects.all())
    assert rows, "the form sent no e-mail"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for row in rows:
        assert (row.status, row.attempts) == (Status.PENDING, 1)
        assert row.message_id in logged
