from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Beneficiaries")

    def ready(self) -> None:
        # The event log's renderers for this room register themselves on import.
        from beneficiaries import events  # noqa: F401
