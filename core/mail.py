"""Tandem's e-mail: one way to write a message, and the backends that carry it.

- :func:`send_templated`: every room's e-mails, from a text template and, when it has one,
  an HTML template of the same name.
- :class:`OutboxBackend`, the default mailer: stores each message and delivers it after
  the commit, so no page waits for a mail server (:mod:`core.outbox`).
- :func:`send_each`: many messages on one connection, each with its own outcome (in one
  go where the backend can, :mod:`core.smtp`).
- :class:`ReadableConsoleBackend`: headers and the plain text, decoded. Django's own
  console backend prints the MIME source, where quoted-printable soft line breaks cut
  long links in two, so a link copied from the terminal does not work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend
from django.template.loader import render_to_string


def render_templated(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    html: bool = True,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """The message :func:`send_templated` sends, for a caller that carries it itself (the
    notifications send many on one connection, from their own exactly-once record)."""
    text = render_to_string(f"{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[to],
        headers=headers or {},
    )
    if html:
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send_templated(
    *, to: str, subject: str, template: str, context: dict[str, Any], html: bool = True
) -> None:
    """Renders ``<template>.txt`` (and ``<template>.html`` unless ``html`` is off) in the active
    language and sends it to ``to``. The subject gets the site's prefix; it must name nothing
    private, since it travels and shows where the body does not."""
    render_templated(to=to, subject=subject, template=template, context=context, html=html).send()


def send_each(
    connection: BaseEmailBackend, messages: Sequence[EmailMessage]
) -> list[Exception | None]:
    """Sends the messages on an open connection; for each, None where it went, or the error.

    A backend with a ``send_each`` of its own (:class:`core.smtp.EmailBackend`) sends them
    together; any other one by one."""
    together = getattr(connection, "send_each", None)
    if together is not None:
        outcomes: list[Exception | None] = together(messages)
        return outcomes
    outcomes = []
    for message in messages:
        try:
            connection.send_messages([message])
        except Exception as error:  # the mail server said no, or was not there
            outcomes.append(error)
        else:
            outcomes.append(None)
    return outcomes


class OutboxBackend(BaseEmailBackend):
    """Sending is storing: each message becomes a row of ``core.OutboundEmail``, and the
    ``delivery`` mailer sends it once the transaction has committed."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from core.outbox import outbound_email_store

        for message in email_messages:
            outbound_email_store(message)
        return len(email_messages)


class ReadableConsoleBackend(DjangoConsoleBackend):
    def write_message(self, message: EmailMessage) -> None:
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
        ]
        if message.cc:
            lines.append(f"Cc: {', '.join(message.cc)}")
        lines.append(f"Subject: {message.subject}")
        alternatives = message.alternatives if isinstance(message, EmailMultiAlternatives) else []
        if alternatives:
            kinds = ", ".join(alternative[1] for alternative in alternatives)
            lines.append(f"Also sent as: {kinds}")
        lines.append("")
        lines.append(str(message.body))
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
