"""Sending over SMTP: Django's backend, with fewer waits when a worker sends many messages.

Django's backend sends a message in four exchanges with the server (MAIL, RCPT, DATA, then
the content), waiting for each reply. Where the server announces PIPELINING (RFC 2920, as
Postfix, Exim and the large relays do), :meth:`EmailBackend.send_each` writes a message's
MAIL, RCPT and DATA in one go, and the next message's right after the end of the content:
one wait per message instead of four. It answers with each message's own outcome, so the
caller marks each one sent or failed. A server without PIPELINING gets Django's exchanges,
one message after the other.

Plain addresses (``local@domain`` in ASCII) skip the e-mail package's full address parser,
which costs more than writing the message; any other address is parsed as Django does.
"""

from __future__ import annotations

import email.policy
import re
import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
# A dot-atom local part and a host name: what the parser would give back unchanged.
PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")
_LEADING_DOT = re.compile(rb"(?m)^\.")
_CLOSING = 421
_PARSED_KEPT = 512


class NotSent(smtplib.SMTPException):
    """A message with no one to send it to."""


class EmailBackend(DjangoSMTPBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parsed: dict[tuple[str, bool], str] = {}

    def prep_address(self, address: str, force_ascii: bool = True) -> str:
        if PLAIN_ADDRESS.fullmatch(address):
            return address
        key = (str(address), force_ascii)
        if key not in self._parsed:
            if len(self._parsed) >= _PARSED_KEPT:
                self._parsed.clear()
            self._parsed[key] = super().prep_address(address, force_ascii)
        return self._parsed[key]

    def send_each(self, messages: Sequence[EmailMessage]) -> list[Exception | None]:
        """Sends every message on one connection; for each, None (sent) or what went wrong."""
        outcomes: list[Exception | None] = [None] * len(messages)
        if not messages:
            return outcomes
        with self._lock:
            try:
                new_connection = self.open()
            except Exception as error:
                return [error] * len(messages)
            if not self.connection or new_connection is None:
                return [smtplib.SMTPServerDisconnected("no connection")] * len(messages)
            done = 0
            try:
                connection = self.connection
                connection.ehlo_or_helo_if_needed()
                if connection.has_extn("pipelining"):
                    self._pipelined(connection, messages, outcomes)
                else:
                    for index, message in enumerate(messages):
                        outcomes[index] = self._one(message)
                        done = index + 1
            except Exception as error:  # the connection itself failed: nothing more went
                outcomes[done:] = [error] * (len(messages) - done)
                self._drop()
            finally:
                if new_connection:
                    self.close()
        return outcomes

    def _one(self, message: EmailMessage) -> Exception | None:
        try:
            sent = self._send(message)  # type: ignore[attr-defined]
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPException as error:  # this message refused; the connection holds
            return error
        except OSError:
            raise
        except Exception as error:  # an address or header that cannot be written
            return error
        return None if sent else NotSent("no recipients")

    def _envelope(self, message: EmailMessage) -> tuple[str, list[str], bytes]:
        recipients = [self.prep_address(address) for address in message.recipients()]
        if not recipients:
            raise NotSent("no recipients")
        sender = self.prep_address(message.from_email)
        raw = message.message(policy=email.policy.SMTP).as_bytes()
        content = _LEADING_DOT.sub(b"..", raw)
        if not content.endswith(b"\r\n"):
            content += b"\r\n"
        return sender, recipients, content + b".\r\n"

    def _pipelined(
        self,
        connection: smtplib.SMTP,
        messages: Sequence[EmailMessage],
        outcomes: list[Exception | None],
    ) -> None:
        """One message's content, then the next one's commands, then the replies to both."""
        waiting: int | None = None  # the message whose content went, its reply still to come
        size = connection.has_extn("size")
        unsent = set(range(len(messages)))
        try:
            for index, message in enumerate(messages):
                try:
                    sender, recipients, content = self._envelope(message)
                except Exception as error:  # an address that cannot be sent to
                    outcomes[index] = error
                    unsent.discard(index)
                    continue
                option = f" SIZE={len(content)}" if size else ""
                commands = f"MAIL FROM:<{sender}>{option}\r\n" + "".join(
                    f"RCPT TO:<{recipient}>\r\n" for recipient in recipients
                )
                connection.send((commands + "DATA\r\n").encode("ascii"))
                if waiting is not None:
                    outcomes[waiting] = _final(connection.getreply())
                    unsent.discard(waiting)
                    waiting = None
                mail = connection.getreply()
                refused = {}
                for recipient in recipients:
                    reply = connection.getreply()
                    if reply[0] not in (250, 251):
                        refused[recipient] = reply
                data = connection.getreply()
                for code, _text in (mail, *refused.values(), data):
                    if code == _CLOSING:
                        raise smtplib.SMTPServerDisconnected(f"the server is closing ({code})")
                if data[0] == 354 and mail[0] == 250 and len(refused) < len(recipients):
                    connection.send(content)
                    waiting = index
                    continue
                if data[0] == 354:  # a server that takes data it refused to deliver
                    raise smtplib.SMTPResponseException(*data)
                if mail[0] != 250:
                    outcomes[index] = smtplib.SMTPSenderRefused(mail[0], mail[1], sender)
                elif len(refused) == len(recipients):
                    outcomes[index] = smtplib.SMTPRecipientsRefused(refused)
                else:
                    outcomes[index] = smtplib.SMTPDataError(*data)
                unsent.discard(index)
                connection.rset()
            if waiting is not None:
                outcomes[waiting] = _final(connection.getreply())
                unsent.discard(waiting)
        except Exception as error:
            for index in unsent:
                outcomes[index] = error
            self._drop()

    def _drop(self) -> None:
        """A connection that failed mid-way is closed without a goodbye."""
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None


def _final(reply: tuple[int, bytes]) -> Exception | None:
    code, text = reply
    if code == _CLOSING:
        raise smtplib.SMTPServerDisconnected(f"the server is closing ({code})")
    return None if code == 250 else smtplib.SMTPDataError(code, text)
