from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # The timeline's renderers register themselves on import.
        from core.events import event_committed
        from partnerships import events  # noqa: F401
        from partnerships.receivers import city_approved

        event_committed.connect(city_approved, dispatch_uid="partnerships.city_approved")
