"""A local SMTP server (aiosmtpd) that keeps what it receives, for the tests and the bench."""

from __future__ import annotations

import logging
import socket
import threading
import time
from email.parser import BytesHeaderParser
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Handler:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.sink.delay:
            time.sleep(self.sink.delay)  # a slow mail server, so a batch takes a while
        # The headers are all anyone reads here; parsing each whole body would cost the
        # benchmark more than the sending it measures.
        message = BytesHeaderParser().parsebytes(envelope.content)
        with self.sink.lock:
            self.sink.received.append(
                (message.get("X-Tandem-Dispatch", ""), list(envelope.rcpt_tos), message)
            )
        return "250 OK"


class Sink:
    """``with Sink() as sink:`` listens on ``sink.port``; ``sink.received`` fills up."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.port = free_port()
        self.lock = threading.Lock()
        self.received: list[tuple[str, list[str], Any]] = []
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
