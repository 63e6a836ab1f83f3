from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation

from core.links import rebase, site_domain

# allauth renders its messages when they are added, not when they are shown.
SIGNED_IN_MESSAGE = "account/messages/logged_in.txt"


@dataclass(frozen=True)
class _Site:
    """What allauth's e-mail templates read from ``current_site``."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open: people join an organization through an invitation afterwards."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """After signing in, a person lands on the page in the language they chose."""
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", "")
        if language and url.startswith("/"):
            return translate_url(url, language)
        return url

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's e-mails name the site and link to it by the site's real address
        (``SITE_URL``, else the request's host), not by whatever the Sites row holds."""
        context = {
            key: rebase(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        context["current_site"] = _Site(name=settings.SITE_NAME, domain=site_domain())
        super().send_mail(template_prefix, email, context)

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        # "Signed in as …" is shown on the page the login redirect leads to, which is in
        # the person's own language whatever the language of the login form was.
        language = getattr(request.user, "preferred_language", "")
        if message_template != SIGNED_IN_MESSAGE or not language:
            language = translation.get_language()
        with translation.override(language):
            super().add_message(
                request, level, message_template, message_context, extra_tags, message
            )
