"""Writing the event log, and reading it back in the reader's language.

Every service writes what it did with :func:`log_event`, inside its own
transaction. Whatever reacts to an event (notifications, webhooks, digests,
score recomputation) connects to :data:`event_committed`, which is sent only
after that transaction commits, so nothing reacts to a change that was rolled
back.

Each room registers a renderer per action (:func:`renders`); the timeline calls
:func:`describe`, which runs it in the active language. Nothing stored is a
translated sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.models import Event

if TYPE_CHECKING:
    from accounts.models import User

# Sent once per event after its transaction commits: ``sender=Event, event=<Event>``.
event_committed = Signal()


@dataclass(frozen=True)
class Actor:
    """Who did something: a person, an API token (with the person behind it), or the system."""

    kind: str
    user: User | None = None
    token_id: int | None = None
    token_name: str = ""

    @classmethod
    def person(cls, user: User) -> Actor:
        return cls(kind=Event.ActorKind.PERSON, user=user)

    @classmethod
    def token(cls, *, token_id: int, name: str, user: User | None) -> Actor:
        return cls(kind=Event.ActorKind.TOKEN, user=user, token_id=token_id, token_name=name)

    @classmethod
    def system(cls) -> Actor:
        return cls(kind=Event.ActorKind.SYSTEM)


SYSTEM = Actor.system()

# The API token a request acts through. Services take the person and check the person's
# permissions; the event they write names the token too (see :func:`acting_as`).
_through: ContextVar[Actor | None] = ContextVar("tandem_acting_through", default=None)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Inside this block, what the token's person does is recorded as done through the token."""
    reset = _through.set(actor)
    try:
        yield
    finally:
        _through.reset(reset)


def as_actor(actor: User | Actor | None) -> Actor:
    """Services take a person or an :class:`Actor`; ``None`` is the system."""
    if actor is None:
        return SYSTEM
    if isinstance(actor, Actor):
        return actor
    through = _through.get()
    if through is not None and through.user is not None and through.user.pk == actor.pk:
        return through
    return Actor.person(actor)


def _plain(value: Any) -> Any:
    """Data as JSON can hold it: dates as ISO strings, models as their ids."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def log_event(
    *,
    actor: User | Actor | None,
    action: str,
    target: models.Model | None = None,
    partnership_id: int | None = None,
    organization_id: int | None = None,
    data: Mapping[str, Any] | None = None,
    private: bool = False,
    at: datetime | None = None,
) -> Event:
    """Records that ``actor`` did ``action``; call it inside the service's transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("log_event() belongs inside the transaction of the change it records")
    who = as_actor(actor)
    event = Event.objects.create(
        created_at=at or timezone.now(),
        action=action,
        actor_kind=who.kind,
        actor=who.user,
        token_id=who.token_id,
        token_name=who.token_name[:100],
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        partnership_id=partnership_id,
        organization_id=organization_id,
        data=_plain(dict(data or {})),
        private=private,
    )
    transaction.on_commit(lambda: event_committed.send(sender=Event, event=event))
    return event


@dataclass(frozen=True)
class NewEvent:
    """One of the events :func:`log_events` writes together."""

    target: models.Model | None = None
    partnership_id: int | None = None
    organization_id: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    private: bool = False


def log_events(
    *,
    actor: User | Actor | None,
    action: str,
    events: Sequence[NewEvent],
    at: datetime | None = None,
) -> list[Event]:
    """Records many events of one action in one INSERT (a bulk write); each is sent on
    :data:`event_committed` after the commit like any other."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("log_events() belongs inside the transaction of the change it records")
    who = as_actor(actor)
    created_at = at or timezone.now()
    rows = Event.objects.bulk_create(
        Event(
            created_at=created_at,
            action=action,
            actor_kind=who.kind,
            actor=who.user,
            token_id=who.token_id,
            token_name=who.token_name[:100],
            target_type=(
                ContentType.objects.get_for_model(new.target) if new.target is not None else None
            ),
            target_id=new.target.pk if new.target is not None else None,
            partnership_id=new.partnership_id,
            organization_id=new.organization_id,
            data=_plain(dict(new.data)),
            private=new.private,
        )
        for new in events
    )

    def send() -> None:
        for event in rows:
            event_committed.send(sender=Event, event=event)

    transaction.on_commit(send)
    return rows


# --- Reading events back ----------------------------------------------------------

Renderer = Callable[[Event], str]
_renderers: dict[str, Renderer] = {}


def renders(action: str) -> Callable[[Renderer], Renderer]:
    """Registers the function that says in words what an ``action`` event means."""

    def register(function: Renderer) -> Renderer:
        if action in _renderers:
            raise ValueError(f"{action} already has a renderer")
        _renderers[action] = function
        return function

    return register


def registered_actions() -> list[str]:
    return sorted(_renderers)


def describe(event: Event) -> str:
    """The event in the active language, as a phrase that follows the actor's name."""
    renderer = _renderers.get(event.action)
    if renderer is None:
        return _("did something that this version of Tandem cannot describe")
    try:
        return renderer(event)
    except (KeyError, TypeError, ValueError):
        # An event written by an older version may lack a field a renderer now expects.
        return _("did something that this version of Tandem cannot describe")


def actor_display(event: Event) -> str:
    if event.actor_kind == Event.ActorKind.SYSTEM:
        return _("Tandem")
    person = event.actor.get_full_name() if event.actor is not None else _("Someone")
    if event.actor_kind == Event.ActorKind.TOKEN:
        return _("%(person)s through the API token “%(token)s”") % {
            "person": person,
            "token": event.token_name,
        }
    return person


def when(value: str | None) -> str:
    """A date stored as ISO text, shown in the active language."""
    if not value:
        return ""
    return formats.date_format(date.fromisoformat(value[:10]), "DATE_FORMAT")
