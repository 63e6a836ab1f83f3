"""The outbox: every e-mail is stored first and delivered after the commit, with retries.

A page that sends mail only writes a row (:class:`core.models.OutboundEmail`) in its own
transaction; the row's delivery is queued with ``transaction.on_commit``, so a rolled-back
request sends nothing, and a mail server that is slow or down never holds up the page.

Delivery goes through the ``delivery`` mailer (SMTP in production) and is claimed with a
conditional UPDATE, so two workers never send one row twice. A failed attempt is retried
with exponential backoff (``TANDEM_MAIL_RETRY_SECONDS``, doubled each time); after
``TANDEM_MAIL_MAX_ATTEMPTS`` the row is failed and waits for someone to retry it from the
admin. Logs name the message id only, never the addresses or the text.

With Redis, a Celery task delivers each row and retries it (``core.tasks``); without it,
a background thread does, so the request never waits. In both cases a sweep
(the beat schedule, or ``manage.py deliver_mail`` from cron) delivers the rows that
came due while no process held them: a worker that died, a broker that lost a message.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from core.models import OutboundEmail

logger = logging.getLogger(__name__)

# The mailer that really sends (MAILERS in the settings); "default" is the outbox itself.
DELIVERY_MAILER = "delivery"
# How long a claimed row is left to the process that claimed it. Longer than any SMTP
# conversation with its timeouts; if that process dies, the row is due again after it.
CLAIM_LEASE = timedelta(minutes=5)
# Sent rows are forgotten after this long (the sweep deletes them).
KEEP_SENT = timedelta(days=30)
SWEEP_BATCH_SIZE = 100

Status = OutboundEmail.Status


def _max_attempts() -> int:
    return int(getattr(settings, "TANDEM_MAIL_MAX_ATTEMPTS", 6))


def _retry_seconds() -> float:
    return float(getattr(settings, "TANDEM_MAIL_RETRY_SECONDS", 60))


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the base delay, doubled each time."""
    return timedelta(seconds=_retry_seconds() * 2 ** max(attempts - 1, 0))


# --- Storing ----------------------------------------------------------------------


def _attachment_fields(message: EmailMessage) -> list[dict[str, object]]:
    stored: list[dict[str, object]] = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise TypeError("The outbox keeps attachments given as (filename, content, type).")
        filename, content, mimetype = attachment
        is_bytes = isinstance(content, bytes)
        stored.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(content).decode("ascii") if is_bytes else content,
                "base64": is_bytes,
            }
        )
    return stored


def outbound_email_store(message: EmailMessage) -> OutboundEmail:
    """Store ``message`` in the outbox and queue its delivery for after the commit."""
    headers = {str(name): str(value) for name, value in message.extra_headers.items()}
    message_id = headers.pop("Message-ID", "") or make_msgid(domain=DNS_NAME)
    html_body = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype != "text/html" or html_body:
            raise TypeError("The outbox keeps one text/html alternative, nothing else.")
        html_body = str(content)
    row = OutboundEmail.objects.create(
        message_id=message_id,
        from_email=str(message.from_email),
        to=[str(address) for address in message.to],
        cc=[str(address) for address in message.cc],
        bcc=[str(address) for address in message.bcc],
        reply_to=[str(address) for address in message.reply_to],
        subject=str(message.subject),
        body=str(message.body),
        html_body=html_body,
        headers=headers,
        attachments=_attachment_fields(message),
    )
    pk = row.pk
    transaction.on_commit(lambda: queue_delivery(pk))
    return row


def as_message(row: OutboundEmail) -> EmailMultiAlternatives:
    """The stored row as the message it was, with its Message-ID."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers={**row.headers, "Message-ID": row.message_id},
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    for attachment in row.attachments:
        content = attachment["content"]
        if attachment["base64"]:
            content = base64.b64decode(content)
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


# --- Delivering -------------------------------------------------------------------


def _claim(pk: int, now: datetime) -> bool:
    """Take the row if it is due: one conditional UPDATE, so exactly one process wins."""
    claimed = OutboundEmail.objects.due(now).filter(pk=pk).update(next_attempt_at=now + CLAIM_LEASE)
    return claimed == 1


def _reason(error: BaseException) -> str:
    """What went wrong, without the addresses some SMTP errors carry in their text."""
    reason = type(error).__name__
    if isinstance(error, smtplib.SMTPResponseException):
        reason += f" {error.smtp_code}"
    elif isinstance(error, OSError) and error.strerror:
        reason += f": {error.strerror}"
    return reason


def _record_failure(row: OutboundEmail, error: BaseException) -> None:
    now = timezone.now()
    row.attempts += 1
    row.last_error = _reason(error)[:500]
    if row.attempts >= _max_attempts():
        row.status = Status.FAILED
        logger.error(
            "E-mail %s failed for good after %s attempts (%s); retry it from the admin.",
            row.message_id,
            row.attempts,
            row.last_error,
        )
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
        logger.warning(
            "E-mail %s not sent (attempt %s of %s: %s); next attempt at %s.",
            row.message_id,
            row.attempts,
            _max_attempts(),
            row.last_error,
            row.next_attempt_at.isoformat(timespec="seconds"),
        )
    OutboundEmail.objects.filter(pk=row.pk).update(
        attempts=F("attempts") + 1,
        last_error=row.last_error,
        status=row.status,
        next_attempt_at=row.next_attempt_at,
    )


def _record_success(row: OutboundEmail) -> None:
    now = timezone.now()
    row.attempts += 1
    row.status = Status.SENT
    row.sent_at = now
    # The texts may hold sign-in and invitation links: a sent e-mail keeps its envelope only.
    OutboundEmail.objects.filter(pk=row.pk).update(
        attempts=F("attempts") + 1,
        status=Status.SENT,
        sent_at=now,
        last_error="",
        body="",
        html_body="",
        attachments=[],
    )
    logger.info("E-mail %s sent.", row.message_id)


def outbound_email_deliver(pk: int) -> OutboundEmail | None:
    """One attempt at sending the row ``pk``, if it is due and no other process has it.

    Returns the row as the attempt left it (sent, or pending with its next attempt, or
    failed), or None when there was nothing to do.
    """
    if not _claim(pk, timezone.now()):
        return None
    row = OutboundEmail.objects.get(pk=pk)
    try:
        with mail.mailers[DELIVERY_MAILER] as connection:
            connection.send_messages([as_message(row)])
    except Exception as error:  # any failure is retried later, none reaches a page
        _record_failure(row, error)
    else:
        _record_success(row)
    return row


def outbound_email_deliver_due(*, batch_size: int = SWEEP_BATCH_SIZE) -> int:
    """The sweep: deliver every row that is due. Returns how many were sent."""
    OutboundEmail.objects.filter(
        status=Status.SENT, sent_at__lt=timezone.now() - KEEP_SENT
    ).delete()
    sent = 0
    last_pk = 0
    while True:
        ids = list(
            OutboundEmail.objects.due(timezone.now())
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return sent
        for pk in ids:
            row = outbound_email_deliver(pk)
            if row is not None and row.status == Status.SENT:
                sent += 1
        last_pk = ids[-1]


def outbound_email_retry(rows: Iterable[OutboundEmail]) -> int:
    """Give failed rows a fresh set of attempts, starting now. Returns how many."""
    ids = [row.pk for row in rows if row.status == Status.FAILED]
    with transaction.atomic():
        count = OutboundEmail.objects.filter(pk__in=ids, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        for pk in ids:
            transaction.on_commit(partial(queue_delivery, pk))
    return count


# --- Queueing -----------------------------------------------------------------------
# Without a broker, a daemon thread delivers. Inside a request it starts once the response
# has gone out (``request_finished``, connected in core/apps.py): the person never waits,
# and the thread never competes with the request for the database (on SQLite, a lock).

_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()
_request = threading.local()


def _in_process_retry_wait() -> float:
    return float(getattr(settings, "TANDEM_MAIL_IN_PROCESS_RETRY_WAIT", 120))


def _deliver_one_in_background(pk: int) -> None:
    row = outbound_email_deliver(pk)
    while row is not None and row.status == Status.PENDING:
        wait = (row.next_attempt_at - timezone.now()).total_seconds()
        if wait > _in_process_retry_wait():
            return  # left to the next sweep
        time.sleep(max(wait, 0))
        row = outbound_email_deliver(pk)


def _deliver_in_background(ids: list[int]) -> None:
    """A thread's work: these rows, each retried while its next attempt is near, then the
    rows a restarted process left behind (without Redis there is no beat to sweep)."""
    try:
        for pk in ids:
            _deliver_one_in_background(pk)
        outbound_email_deliver_due()
    except Exception:
        logger.exception("The delivery of outgoing e-mail %s stopped", ids)
    finally:
        connections.close_all()
        with _threads_lock:
            _threads.discard(threading.current_thread())


def deliver_in_background(ids: list[int]) -> threading.Thread:
    thread = threading.Thread(
        target=_deliver_in_background, args=(ids,), name="outbox-delivery", daemon=True
    )
    with _threads_lock:
        _threads.add(thread)
    thread.start()
    return thread


def wait_for_background_deliveries(timeout: float = 10) -> None:
    """Wait until the delivery threads of this process are done (tests, shutdown)."""
    deadline = time.monotonic() + timeout
    while True:
        with _threads_lock:
            threads = list(_threads)
        if not threads or time.monotonic() >= deadline:
            return
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0))


def _start_after_the_response(pk: int) -> None:
    if getattr(_request, "active", False):
        _request.pending = [*getattr(_request, "pending", []), pk]
    else:
        deliver_in_background([pk])


def _flush_pending() -> None:
    pending: list[int] = getattr(_request, "pending", [])
    _request.pending = []
    if pending:
        deliver_in_background(pending)


def on_request_started(**kwargs: object) -> None:
    _flush_pending()  # anything a request before this one left behind
    _request.active = True


def on_request_finished(**kwargs: object) -> None:
    _request.active = False
    _flush_pending()


def queue_delivery(pk: int) -> None:
    """Hand the row to a Celery worker, or to a thread when tasks run in-process."""
    from core.tasks import outbound_email_deliver_task

    if outbound_email_deliver_task.app.conf.task_always_eager:
        _start_after_the_response(pk)
        return
    try:
        outbound_email_deliver_task.apply_async(args=(pk,), retry=False)
    except Exception as error:  # a broker that is down must not break a page
        logger.warning(
            "Could not queue outgoing e-mail %s (%s); sending it from this process.",
            pk,
            _reason(error),
        )
        _start_after_the_response(pk)
