"""The SMTP backend: each message's own outcome, pipelined where the server allows it.

Every test talks to a real SMTP server on a local port (aiosmtpd, tests/notifications/sink),
which announces PIPELINING or not, and refuses or closes on the addresses it is told to.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from hypothesis import given
from hypothesis import strategies as st

from core.mail import send_each
from core.smtp import PLAIN_ADDRESS, EmailBackend
from tests.notifications.sink import Sink, free_port


def _message(to: str, n: int, body: str = "Hello.") -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=f"Message {n}",
        body=body,
        from_email="Tandem <noreply@tandem.example>",
        to=[to],
        headers={"X-Tandem-Dispatch": str(n)},
    )
    message.attach_alternative(f"<p>{body}</p>", "text/html")
    return message


@pytest.fixture
def no_plain_sendmail(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails a test that reaches smtplib's one-message-at-a-time sending."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("sent one exchange at a time")

    monkeypatch.setattr(smtplib.SMTP, "sendmail", refuse)
    yield


def _backend(port: int) -> EmailBackend:
    return EmailBackend(alias="test", host="127.0.0.1", port=port, timeout=5)


@pytest.mark.usefixtures("no_plain_sendmail")
def test_a_pipelining_server_gets_every_message_in_order() -> None:
    messages = [_message(f"person{n}@city.example", n) for n in range(6)]
    with Sink() as sink:
        outcomes = send_each(_backend(sink.port), messages)

    assert outcomes == [None] * 6
    assert sink.dispatch_ids() == [str(n) for n in range(6)]
    assert [to for _id, to, _raw in sink.received] == [
        [f"person{n}@city.example"] for n in range(6)
    ]


def test_content_arrives_whole_with_its_leading_dots_kept() -> None:
    body = "Line one.\n.A line that starts with a dot\n..and two\nLast line."
    with Sink() as sink:
        outcomes = send_each(_backend(sink.port), [_message("a@city.example", 1, body)])

    assert outcomes == [None]
    raw = sink.received[0][2]
    # The server undoes the doubling: what arrives is what was written.
    assert b"\r\n.A line that starts with a dot\r\n..and two\r\n" in raw
    assert b"\r\nSubject: Message 1\r\n" in raw


@pytest.mark.usefixtures("no_plain_sendmail")
def test_a_refused_recipient_fails_that_message_only() -> None:
    messages = [_message(f"person{n}@city.example", n) for n in range(4)]
    with Sink(refuse=frozenset({"person1@city.example"})) as sink:
        outcomes = send_each(_backend(sink.port), messages)

    assert outcomes[0] is None and outcomes[2] is None and outcomes[3] is None
    assert isinstance(outcomes[1], smtplib.SMTPRecipientsRefused)
    assert sink.dispatch_ids() == ["0", "2", "3"]


def test_an_address_that_cannot_be_written_fails_that_message_only() -> None:
    messages = [
        _message("first@city.example", 1),
        _message("not an address", 2),
        _message("last@city.example", 3),
    ]
    with Sink() as sink:
        outcomes = send_each(_backend(sink.port), messages)

    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], ValueError)
    assert sink.dispatch_ids() == ["1", "3"]


def test_a_server_that_closes_fails_what_had_not_gone() -> None:
    messages = [_message(f"person{n}@city.example", n) for n in range(4)]
    with Sink(closing=frozenset({"person2@city.example"})) as sink:
        backend = _backend(sink.port)
        outcomes = send_each(backend, messages)

    assert outcomes[:2] == [None, None]
    assert all(isinstance(outcome, smtplib.SMTPServerDisconnected) for outcome in outcomes[2:])
    assert sink.dispatch_ids() == ["0", "1"]
    assert backend.connection is None


def test_a_server_without_pipelining_gets_one_exchange_at_a_time() -> None:
    messages = [_message(f"person{n}@city.example", n) for n in range(3)]
    with Sink(pipelining=False, refuse=frozenset({"person1@city.example"})) as sink:
        outcomes = send_each(_backend(sink.port), messages)

    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], smtplib.SMTPRecipientsRefused)
    assert sink.dispatch_ids() == ["0", "2"]


def test_no_server_fails_every_message_and_raises_nothing() -> None:
    outcomes = send_each(_backend(free_port()), [_message("a@city.example", n) for n in range(2)])

    assert len(outcomes) == 2
    assert all(isinstance(outcome, OSError) for outcome in outcomes)


def test_an_open_connection_stays_open_for_the_next_group() -> None:
    with Sink() as sink:
        backend = _backend(sink.port)
        with backend:
            assert send_each(backend, [_message("a@city.example", 1)]) == [None]
            connection = backend.connection
            assert send_each(backend, [_message("b@city.example", 2)]) == [None]
            assert backend.connection is connection
        assert backend.connection is None
    assert sink.dispatch_ids() == ["1", "2"]


def test_any_other_backend_sends_one_by_one() -> None:
    class Picky(MemoryBackend):
        def send_messages(self, messages: object) -> int:
            if "refused" in messages[0].to[0]:  # type: ignore[index]
                raise smtplib.SMTPRecipientsRefused({})
            return super().send_messages(messages)  # type: ignore[arg-type]

    outcomes = send_each(
        Picky(alias="test"), [_message("a@city.example", 1), _message("refused@city.example", 2)]
    )

    assert outcomes[0] is None
    assert isinstance(outcomes[1], smtplib.SMTPRecipientsRefused)


_ATEXT = st.text("abcXYZ019!#$%&'*+/=?^_`{|}~-", min_size=1, max_size=8)
_LABEL = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,6}[a-zA-Z0-9])?", fullmatch=True)
PLAIN = st.builds(
    lambda local, domain: ".".join(local) + "@" + ".".join(domain),
    st.lists(_ATEXT, min_size=1, max_size=3),
    st.lists(_LABEL, min_size=1, max_size=3),
)


@given(PLAIN)
def test_a_plain_address_is_what_djangos_parser_makes_of_it(address: str) -> None:
    ours = EmailBackend(alias="test", host="127.0.0.1")
    djangos = DjangoSMTPBackend(alias="test", host="127.0.0.1")

    assert PLAIN_ADDRESS.fullmatch(address)
    assert ours.prep_address(address) == djangos.prep_address(address) == address


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Tandem <noreply@tandem.example>", "noreply@tandem.example"),
        ("Ana <ana@ciudad.example>", "ana@ciudad.example"),
        ("person@bücher.example", "person@xn--bcher-kva.example"),
        ('"two words"@city.example', '"two words"@city.example'),
    ],
)
def test_any_other_address_is_parsed_as_django_does(address: str, expected: str) -> None:
    backend = EmailBackend(alias="test", host="127.0.0.1")

    assert backend.prep_address(address) == expected
    assert backend.prep_address(address) == expected  # the second time from what it kept


@pytest.mark.parametrize("address", ["two@at@city.example", "line\nbreak@city.example", ""])
def test_an_invalid_address_is_refused_as_django_does(address: str) -> None:
    with pytest.raises(ValueError):
        EmailBackend(alias="test", host="127.0.0.1").prep_address(address)
