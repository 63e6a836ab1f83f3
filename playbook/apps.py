from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class PlaybookConfig(AppConfig):
    name = "playbook"
    verbose_name = _("Playbook")

    def ready(self) -> None:
        from playbook import names
        from playbook.models import ModelPathway, Practice, Stage

        for model in (Practice, ModelPathway, Stage):
            post_save.connect(names.playbook_changed, sender=model, dispatch_uid=f"names-{model}")
            post_delete.connect(
                names.playbook_changed, sender=model, dispatch_uid=f"names-del-{model}"
            )
        # migrate and flush (tests between transactional cases) rewrite the tables wholesale.
        post_migrate.connect(names.playbook_changed, sender=self, dispatch_uid="names-migrate")
