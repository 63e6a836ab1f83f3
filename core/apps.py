from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Event log")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from core import (
            checks,  # noqa: F401  (registers the deployment checks)
            outbox,
        )

        # Without a broker, e-mail stored during a request is delivered once it is over.
        request_started.connect(outbox.on_request_started, dispatch_uid="core.outbox.started")
        request_finished.connect(outbox.on_request_finished, dispatch_uid="core.outbox.finished")
