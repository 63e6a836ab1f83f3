"""A stale edit is refused, never written over another person's.

Models that people edit in a form carry a ``version``. A service writes an edit with
:func:`save_versioned`: one UPDATE that writes the fields and moves the version on, but
only while the stored version is still the one the editor started from. Zero rows means
someone else saved in between; the service raises :class:`StaleEdit` with what is stored
now, and the form shows it (:class:`core.forms.VersionedForm`). The database decides, so
two saves at the same moment cannot both win, whichever process they run in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

# A version travels through forms as a plain integer: keep it inside PostgreSQL's integer.
MAX_VERSION = 2**31 - 1

STALE_MESSAGE = _(
    "Someone else saved this while you were editing. "
    "Their version is shown below; make your change again."
)


class StaleEdit(ValidationError):
    """Refused because the object changed since the editor loaded it.

    ``current`` is the object as it is stored now, for the form to show.
    """

    def __init__(self, current: models.Model) -> None:
        super().__init__(STALE_MESSAGE, code="stale")
        self.current = current


def save_versioned(
    obj: models.Model, *, fields: Iterable[str], expected_version: int | None = None
) -> None:
    """Writes ``fields`` of ``obj`` if the stored version is still ``expected_version`` (by
    default the version ``obj`` was loaded with), and moves the version on.

    The check and the write are one UPDATE. The history row (django-simple-history, which
    does not see an UPDATE) is written here, attributed as :func:`core.history.attribute`
    said.
    """
    model = type(obj)
    manager = model._default_manager
    loaded = obj.version  # type: ignore[attr-defined]
    expected = loaded if expected_version is None else expected_version
    values: dict[str, Any] = {name: getattr(obj, name) for name in fields}
    written = manager.filter(pk=obj.pk, version=expected).update(**values, version=F("version") + 1)
    if not written:
        current = manager.filter(pk=obj.pk).first()
        if current is None:
            raise ValidationError(_("Someone else deleted this while you were editing."))
        raise StaleEdit(current)
    obj.version = expected + 1  # type: ignore[attr-defined]
    history = getattr(model, "history", None)
    if history is not None:
        # The columns this UPDATE did not write are read back, so the history row is whole.
        others = [
            field.name
            for field in model._meta.concrete_fields
            if field.name not in values and field.name != "version" and not field.primary_key
        ]
        obj.refresh_from_db(fields=others)
        history.bulk_history_create([obj], update=True)
