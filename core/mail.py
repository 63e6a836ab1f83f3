"""A console e-mail backend a person can read: headers and the plain text, decoded.

Django's own console backend prints the MIME source, where quoted-printable soft line
breaks cut long links in two, so a link copied from the terminal does not work.
"""

from __future__ import annotations

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


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
