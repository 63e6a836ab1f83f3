"""Attribution for django-simple-history, shared by every room's services."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from accounts.models import User


def attribute[M: models.Model](obj: M, actor: User | None, at: datetime | None = None) -> M:
    """Tells simple_history who made the change and when, also outside a request (admin
    actions, commands, tasks, the demo's replay)."""
    obj._history_user = actor  # type: ignore[attr-defined]
    if at is not None:
        obj._history_date = at  # type: ignore[attr-defined]
    return obj
