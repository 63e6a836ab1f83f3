from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = _("Practice health")

    def ready(self) -> None:
        # The event log's renderers, and the receivers that recompute scores after commit.
        from health import events, receivers  # noqa: F401
