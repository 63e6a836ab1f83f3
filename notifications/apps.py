from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core.events import event_committed
        from notifications import events, receivers  # noqa: F401

        event_committed.connect(receivers.on_event_committed, dispatch_uid="notifications")
