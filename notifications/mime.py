"""Many e-mails alike, cheaply: bodies rendered once, filled in, and written as MIME directly.

A reminder goes to many people at once with the same text but for a few personal parts
(the name in the greeting, the unsubscribe link). :class:`Shell` holds a body rendered once
from its templates with a marker in place of each personal part; :meth:`Shell.fill` puts in
one person's values (escaped in the HTML, as the template would have done).

Django's ``EmailMessage.message()`` builds each message through the standard library's
``email`` objects, which costs far more than rendering it. :func:`mime_bytes` writes the
same message (headers, a ``multipart/alternative`` of the text and the HTML in UTF-8,
quoted-printable) straight to bytes; :class:`PreparedEmail` hands those bytes to any mail
backend in place of the object it would build.
"""

from __future__ import annotations

import binascii
import email.message
import email.policy
import re
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.utils.html import escape
from django.utils.timezone import get_current_timezone

# Private-use characters: never in a template, never changed by escaping.
_OPEN, _CLOSE = "\ue000", "\ue001"
_SLOT = re.compile(f"{_OPEN}([a-z_]+){_CLOSE}")


def slot(name: str) -> str:
    """The marker rendered in place of a personal part, filled in by :meth:`Shell.fill`."""
    return f"{_OPEN}{name}{_CLOSE}"


class Shell:
    """A body rendered once, with markers where each recipient's values go."""

    def __init__(self, text: str, html: str) -> None:
        self.text = text
        self.html = html

    def fill(self, values: dict[str, str]) -> tuple[str, str]:
        text = _SLOT.sub(lambda match: values[match.group(1)], self.text)
        escaped = {name: str(escape(value)) for name, value in values.items()}
        html = _SLOT.sub(lambda match: escaped[match.group(1)], self.html)
        return text, html


def _fold(name: str, value: str) -> bytes:
    """A header line: as it is when it is plain short ASCII, else encoded by the stdlib."""
    if value.isascii() and "\n" not in value and "\r" not in value and len(value) < 900:
        return f"{name}: {value}\n".encode("ascii")
    policy = email.policy.default
    return policy.header_factory(name, value).fold(policy=policy).encode("ascii")


def _part(content_type: str, body: str) -> bytes:
    # As the stdlib's set_content: every line ends with one newline, the last one too.
    data = b"\n".join(body.encode("utf-8").splitlines()) + b"\n"
    return (
        f'Content-Type: {content_type}; charset="utf-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
    ).encode("ascii") + binascii.b2a_qp(data, istext=True)


class Headers:
    """The headers a group of messages shares, encoded once."""

    def __init__(self, *, subject: str, from_email: str, extra: dict[str, str]) -> None:
        self.encoded = _fold("Subject", subject) + _fold("From", from_email)
        self.encoded += b"".join(_fold(name, value) for name, value in extra.items())


def mime_bytes(*, to: str, shared: Headers, headers: dict[str, str], text: str, html: str) -> bytes:
    """One message, lines ending in ``\\n``."""
    boundary = f"===============tandem{uuid.uuid4().hex}=="
    tz = get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC
    parts = [
        f'Content-Type: multipart/alternative; boundary="{boundary}"\nMIME-Version: 1.0\n'.encode(
            "ascii"
        ),
        shared.encoded,
        _fold("To", to),
        _fold("Date", format_datetime(datetime.now(tz))),
        _fold("Message-ID", make_msgid(domain=str(DNS_NAME))),
        b"".join(_fold(name, value) for name, value in headers.items()),
        f"\n--{boundary}\n".encode("ascii"),
        _part("text/plain", text),
        # The line break before a boundary belongs to the boundary, not to the part.
        f"\n--{boundary}\n".encode("ascii"),
        _part("text/html", html),
        f"\n--{boundary}--\n".encode("ascii"),
    ]
    return b"".join(parts)


class _Written:
    """What ``message()`` returns: the bytes as they are; anything else asked of it is
    answered by the parsed message."""

    def __init__(self, raw: bytes, policy: email.policy.Policy) -> None:
        self.raw = raw
        self.policy = policy
        self._parsed: email.message.Message | None = None

    def as_bytes(
        self, unixfrom: bool = False, policy: Any = None, linesep: str | None = None
    ) -> bytes:
        separator = linesep or (policy or self.policy).linesep
        return self.raw if separator == "\n" else self.raw.replace(b"\n", separator.encode())

    def as_string(
        self, unixfrom: bool = False, policy: Any = None, linesep: str | None = None
    ) -> str:
        return self.as_bytes(unixfrom, policy, linesep).decode("ascii")

    def __str__(self) -> str:
        return self.as_string()

    def _message(self) -> email.message.Message:
        if self._parsed is None:
            self._parsed = email.message_from_bytes(self.raw, policy=self.policy)
        return self._parsed

    def __getitem__(self, name: str) -> Any:
        return self._message()[name]

    def __contains__(self, name: str) -> bool:
        return name in self._message()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._message(), name)


class PreparedEmail(EmailMultiAlternatives):
    """An e-mail whose MIME form is already written (:func:`mime_bytes`); its fields stay
    readable as on any Django message (tests and the console read them)."""

    def __init__(self, *, raw: bytes, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.raw = raw

    def message(self, *, policy: Any = email.policy.default) -> Any:
        return _Written(self.raw, policy or email.policy.default)
