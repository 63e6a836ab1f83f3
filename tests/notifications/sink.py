"""A local SMTP server (aiosmtpd) that keeps what it receives, for the tests and the bench."""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from typing import Any

from aiosmtpd.controller import Controller

_DISPATCH = re.compile(rb"^X-Tandem-Dispatch: *(\S*)", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Handler:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.sink.pipelining:
            # aiosmtpd reads commands in order from its stream, so it takes pipelined ones;
            # it just does not say so.
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.sink.refuse:
            return "550 5.1.1 No such mailbox"
        if address in self.sink.closing:
            return "421 4.3.2 Closing for maintenance"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.sink.delay:
            time.sleep(self.sink.delay)  # a slow mail server, so a batch takes a while
        # The dispatch's id is all anyone reads here; parsing each message would cost the
        # benchmark more than the sending it measures.
        content = envelope.content
        found = _DISPATCH.search(content, 0, content.find(b"\r\n\r\n"))
        with self.sink.lock:
            self.sink.received.append(
                (found.group(1).decode() if found else "", list(envelope.rcpt_tos), content)
            )
        return "250 OK"


class Sink:
    """``with Sink() as sink:`` listens on ``sink.port``; ``sink.received`` fills up.

    It announces PIPELINING unless told not to, refuses the addresses in ``refuse`` and says it is closing
    (421) at those in ``closing``."""

    def __init__(
        self,
        delay: float = 0.0,
        *,
        pipelining: bool = True,
        refuse: frozenset[str] = frozenset(),
        closing: frozenset[str] = frozenset(),
    ) -> None:
        self.delay = delay
        self.pipelining = pipelining
        self.refuse = refuse
        self.closing = closing
        self.port = free_port()
        self.lock = threading.Lock()
        self.received: list[tuple[str, list[str], bytes]] = []
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Sink:
        # aiosmtpd logs every line of every conversation; thousands of them cost more than
        # the conversations.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def dispatch_ids(self) -> list[str]:
        with self.lock:
            return [dispatch for dispatch, _to, _message in self.received]

    def count(self) -> int:
        with self.lock:
            return len(self.received)
