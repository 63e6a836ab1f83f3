from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self) -> None:
        # The event log's renderers for this room register themselves on import.
        from django.contrib.auth.signals import user_logged_in

        from accounts import events  # noqa: F401
        from accounts.signals import accept_opened_invitation

        user_logged_in.connect(accept_opened_invitation, dispatch_uid="accounts-invitation")
