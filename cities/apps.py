from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("Cities")

    def ready(self) -> None:
        # The event log's renderers register themselves on import.
        from cities import events  # noqa: F401
        from cities.receivers import tick_checklists
        from core.events import event_committed

        event_committed.connect(tick_checklists, dispatch_uid="cities.tick_checklists")
