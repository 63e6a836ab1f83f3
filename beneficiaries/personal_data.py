"""Everything Tandem stores about a person: what their download holds, what erasing them does.

The one table below, ``PERSONAL_DATA``, says for every model that refers to a person (a
foreign key, one-to-one or many-to-many to the user model) what each such field means:

- ``Erase.DELETE``: the row is about the person (their membership, their consent, their
  place in a training): it goes with them;
- ``Erase.NULL``: the row is the partnership's record that the person happened to make
  (an indicator they created, a check-in they recorded): it stays, without them;
- ``Erase.AUTHORED``: the person's own words (a reframing, a progress update, a comment):
  they stay as "a former participant" with the author emptied, or go when the person asks;
- ``Erase.REMOVE``: a list the person is on (a check-in's attendees): they are taken off.

and whether the download holds the rows (all their fields, some, or none with a reason).
The models are found through the app registry, so a new model cannot be forgotten:
``tests/beneficiaries/test_personal_data.py`` fails when a model refers to the user through
a field this table does not name. The history tables of django-simple-history follow the
model they record (their ``history_user`` is emptied; rows mirroring a field that
erasure deletes are deleted), and so do the e-mail columns (``EMAIL_COLUMNS``), the event
log, the outbox, sessions and the admin's log, which name people without a foreign key.

Other rooms' models join this table here, by their label: it is the one place to decide.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import User


class Erase(StrEnum):
    DELETE = "delete"
    NULL = "null"
    AUTHORED = "authored"
    REMOVE = "remove"


ALL: tuple[str, ...] = ()  # every concrete field


@dataclass(frozen=True)
class Policy:
    erase: Mapping[str, Erase]
    # The fields the download holds: ALL, a tuple of names, or None (not exported).
    export: tuple[str, ...] | None = ALL
    # Why a model is not exported, or why only some fields are.
    reason: str = ""
    # Fields never exported even under ALL (secrets, hashes).
    secret: tuple[str, ...] = field(default=())
    # Rows that belong to an exported row and say something the person did, which do not
    # refer to the person themselves (a response's ratings): related name -> fields.
    children: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


PERSONAL_DATA: dict[str, Policy] = {
    # --- Django, allauth
    "admin.LogEntry": Policy(
        {"user": Erase.DELETE},
        export=("action_time", "object_repr", "action_flag", "change_message"),
        reason="what a staff member changed in the admin, without the admin's internal ids",
    ),
    "account.EmailAddress": Policy({"user": Erase.DELETE}),
    "mfa.Authenticator": Policy(
        {"user": Erase.DELETE},
        export=("type", "created_at", "last_used_at"),
        reason="the keys and secrets themselves stay out of a file that may be shared",
    ),
    "usersessions.UserSession": Policy(
        {"user": Erase.DELETE},
        export=("ip", "user_agent", "created_at", "last_seen_at"),
        reason="the session key is a credential",
    ),
    # --- core
    "core.Event": Policy(
        {"actor": Erase.NULL},
        export=("created_at", "action", "partnership_id", "organization_id", "data"),
    ),
    # --- accounts
    "accounts.Organization": Policy({"reviewed_by": Erase.NULL}, export=("name", "kind")),
    "accounts.Membership": Policy({"user": Erase.DELETE}),
    "accounts.Invitation": Policy(
        {"invited_by": Erase.NULL, "accepted_by": Erase.DELETE},
        secret=("token",),
    ),
    # --- partnerships
    "partnerships.Partnership": Policy({"point_of_contact": Erase.NULL}, export=("title",)),
    "partnerships.Partner": Policy({"added_by": Erase.NULL, "responded_by": Erase.NULL}),
    "partnerships.Participant": Policy({"user": Erase.DELETE, "invited_by": Erase.NULL}),
    "partnerships.Reframing": Policy({"author": Erase.AUTHORED}),
    "partnerships.StageChange": Policy({"changed_by": Erase.NULL}),
    "partnerships.Responsibility": Policy({"created_by": Erase.NULL}),
    "partnerships.PlanVersion": Policy({"published_by": Erase.NULL}),
    "partnerships.CheckIn": Policy(
        {"recorded_by": Erase.NULL, "attendees": Erase.REMOVE},
        export=("partnership", "due_date", "held_on", "status"),
        reason="the notes of a meeting belong to the partnership; the file says which ones",
    ),
    "partnerships.ProgressUpdate": Policy({"author": Erase.AUTHORED, "withdrawn_by": Erase.NULL}),
    "partnerships.Indicator": Policy({"created_by": Erase.NULL}),
    "partnerships.Measurement": Policy({"entered_by": Erase.NULL, "withdrawn_by": Erase.NULL}),
    "partnerships.Experiment": Policy({"created_by": Erase.NULL}),
    "partnerships.FinancialNeed": Policy({"stated_by": Erase.NULL}),
    # --- beneficiaries
    "beneficiaries.ParticipantInvitation": Policy(
        {"invited_by": Erase.NULL, "accepted_by": Erase.DELETE, "sign_in_for": Erase.DELETE},
        secret=("token", "code"),
    ),
    "beneficiaries.Consent": Policy({"user": Erase.DELETE}),
    "beneficiaries.Training": Policy({"scheduled_by": Erase.NULL}),
    "beneficiaries.TrainingSignup": Policy({"user": Erase.DELETE}),
    "beneficiaries.Comment": Policy(
        {"author": Erase.AUTHORED, "recorded_by": Erase.NULL, "moderated_by": Erase.NULL},
        export=("partnership", "section", "parent", "body", "source", "created_at", "edited_at"),
        reason="moderation figures and reasons are the moderators' record, not the person's",
    ),
    # Who reported is emptied, the report stays: it still counts towards hiding the comment.
    "beneficiaries.CommentReport": Policy({"reporter": Erase.NULL}),
    "beneficiaries.CommentAnswer": Policy({"answered_by": Erase.AUTHORED}),
    "beneficiaries.CheckInAttendance": Policy({"recorded_by": Erase.NULL}),
    # --- cities
    # A city's point of contact who leaves is no longer its contact: the city names another.
    "cities.PointOfContact": Policy({"person": Erase.DELETE}),
    "cities.Offer": Policy({"updated_by": Erase.NULL}),
    "cities.Introduction": Policy({"sent_by": Erase.NULL, "handled_by": Erase.NULL}),
    "cities.IntroductionNote": Policy({"author": Erase.AUTHORED}),
    "cities.Experience": Policy({"recorded_by": Erase.NULL}),
    "cities.StatementSection": Policy({"updated_by": Erase.NULL}),
    "cities.StatementVersion": Policy({"published_by": Erase.NULL}),
    "cities.StatementInvitation": Policy({"invited_by": Erase.NULL}),
    "cities.StatementComment": Policy({"author": Erase.AUTHORED}),
    # An endorsement is the organization's: it stays, without who clicked.
    "cities.Endorsement": Policy({"endorsed_by": Erase.NULL}),
    "cities.ChecklistItem": Policy({"done_by": Erase.NULL}),
    "cities.NetworkMember": Policy({"added_by": Erase.NULL}),
    "cities.CityStory": Policy({"written_by": Erase.AUTHORED}),
    # --- health
    "health.SurveyRound": Policy({"opened_by": Erase.NULL}),
    # The answers stay in the round's figures, without anyone behind them; a remark is the
    # person's own words and goes when they ask.
    "health.SurveyResponse": Policy(
        {"respondent": Erase.AUTHORED}, children={"ratings": ("statement", "rating")}
    ),
    "health.ValuesVersion": Policy({"written_by": Erase.NULL}),
    "health.ValuesAgreement": Policy({"agreed_by": Erase.NULL}),
    # --- notifications
    "notifications.Subscriber": Policy(
        {"user": Erase.DELETE},
        secret=("calendar_token",),
        reason="the calendar address is a credential",
    ),
    "notifications.Preference": Policy({"user": Erase.DELETE}),
    "notifications.Dispatch": Policy(
        {"recipient": Erase.DELETE},
        export=("kind", "channel", "subject", "occasion", "status", "due_at", "sent_at"),
        reason="the workers' claims and errors are not about the person",
    ),
    "notifications.Notification": Policy({"recipient": Erase.DELETE}),
    # --- api
    "api.ApiToken": Policy(
        {"created_by": Erase.DELETE, "revoked_by": Erase.NULL},
        secret=("secret_hash",),
        reason="a token is its maker's: it goes with them; its hash is a credential",
    ),
    "api.WebhookEndpoint": Policy(
        {"created_by": Erase.NULL},
        secret=("secret", "previous_secret"),
        reason="signing secrets are credentials",
    ),
}

#: Models that refer to the user and are handled otherwise, with the reason.
EXCLUDED: dict[str, str] = {}

#: E-mail addresses kept without a foreign key: rows holding one of the person's addresses
#: are deleted (an invitation to them, say). ``accounts.User.email`` goes with the user.
EMAIL_COLUMNS: dict[str, str] = {
    "accounts.Invitation": "email",
    "beneficiaries.ParticipantInvitation": "email",
    "account.EmailAddress": "email",
    "cities.PointOfContact": "public_email",
}
EMAIL_COLUMNS_EXCLUDED: dict[str, str] = {"accounts.User.email": "deleted with the user"}

#: Keys of an event's data whose value may be a person's id.
EVENT_PERSON_KEYS = (
    "user",
    "user_id",
    "author",
    "commenter",
    "person",
    "participant_user",
    "respondent",
)

#: The person's own row in the download; the password hash is never in it.
USER_FIELDS = ("email", "name", "first_name", "last_name", "date_joined", "last_login")


# --- The walk ------------------------------------------------------------------------------


def user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def is_history(model: type[models.Model]) -> bool:
    """A history table of django-simple-history (also of a many-to-many)."""
    return hasattr(model, "instance_type")


def user_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields of ``model`` that refer to a person (FK, one-to-one, many-to-many)."""
    user = user_model()
    found = []
    for f in model._meta.get_fields():
        if not isinstance(f, models.Field) or not f.is_relation or f.auto_created:
            continue
        if f.related_model is user and (f.concrete or f.many_to_many):
            found.append(f)
    return found


def referring_models() -> Iterator[type[models.Model]]:
    """Every model (history and through tables aside) with a field referring to a person."""
    for model in apps.get_models():
        if is_history(model) or model._meta.auto_created:
            continue
        if user_fields(model):
            yield model


def history_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models(include_auto_created=True):
        if is_history(model) and user_fields(model):
            yield model


def _mirrored(history: type[models.Model], name: str) -> Erase:
    """What erasure does to a history table's field: what it does to the field it mirrors."""
    tracked = history.instance_type  # type: ignore[attr-defined]
    if tracked._meta.auto_created:
        # The history of a many-to-many: the list the person is on.
        return Erase.REMOVE
    policy = PERSONAL_DATA[tracked._meta.label]
    return policy.erase[name]


# --- The download --------------------------------------------------------------------------


def _row(obj: models.Model, policy: Policy) -> dict[str, Any]:
    names = policy.export or tuple(f.name for f in obj._meta.concrete_fields)
    row: dict[str, Any] = {}
    for name in names:
        if name in policy.secret:
            continue
        f = obj._meta.get_field(name)
        row[name] = getattr(obj, f.attname)  # type: ignore[union-attr]
    for related, fields in policy.children.items():
        row[related] = [
            {name: getattr(child, child._meta.get_field(name).attname) for name in fields}
            for child in getattr(obj, related).order_by("pk")
        ]
    return row


def _events_naming(user: User) -> Q:
    named = Q(actor=user)
    for key in EVENT_PERSON_KEYS:
        named |= Q(**{f"data__{key}": user.pk})
    return named


def export(user: User) -> dict[str, Any]:
    """Everything stored about ``user``, as plain data for one JSON file."""
    from core.models import Event

    records: dict[str, list[dict[str, Any]]] = {}
    for model in referring_models():
        label = model._meta.label
        policy = PERSONAL_DATA.get(label)
        if policy is None or policy.export is None or label == "core.Event":
            continue
        rows: dict[Any, dict[str, Any]] = {}
        for f in user_fields(model):
            for obj in model._default_manager.filter(**{f.name: user}).order_by("pk"):
                rows.setdefault(obj.pk, {"id": obj.pk, **_row(obj, policy)})
                rows[obj.pk].setdefault("as", []).append(f.name)
        if rows:
            records[label] = list(rows.values())
    events = Policy({}, export=PERSONAL_DATA["core.Event"].export)
    return {
        "generated_at": timezone.now(),
        "person": {name: getattr(user, name, None) for name in USER_FIELDS},
        "records": records,
        "events": [
            {
                "id": event.pk,
                "as_actor": event.actor_id == user.pk,
                **_row(event, events),
            }
            for event in Event.objects.filter(_events_naming(user)).order_by("created_at", "pk")
        ],
    }


# --- Erasure -------------------------------------------------------------------------------


def _scrub(value: Any, user: User, key: str = "") -> Any:
    """An event's data with the person's id and addresses taken out."""
    if isinstance(value, dict):
        return {k: _scrub(v, user, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, user, key) for v in value]
    if key in EVENT_PERSON_KEYS and value == user.pk:
        return None
    if isinstance(value, str) and user.email and user.email.lower() in value.lower():
        return ""
    return value


def _addresses(user: User) -> set[str]:
    from allauth.account.models import EmailAddress

    found = {user.email.lower()}
    found |= {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    return {a for a in found if a}


def _erase_event_log(user: User) -> None:
    from core.models import Event

    for event in Event.objects.filter(_events_naming(user) | Q(data__icontains=user.email)):
        event.data = _scrub(event.data, user)
        if event.actor_id == user.pk:
            event.actor = None
        event.save(update_fields=["data", "actor"])
    user_type = _content_type(user)
    Event.objects.filter(target_type=user_type, target_id=user.pk).update(
        target_type=None, target_id=None
    )


def _content_type(obj: models.Model) -> Any:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


def _erase_without_keys(user: User, addresses: set[str]) -> None:
    """What names a person without a foreign key: e-mail columns, outbox, sessions, admin log."""
    from allauth.usersessions.models import UserSession
    from django.contrib.admin.models import LogEntry
    from django.contrib.sessions.models import Session

    from core.models import OutboundEmail

    for label, column in EMAIL_COLUMNS.items():
        model = apps.get_model(label)
        matches = Q()
        for address in addresses:
            matches |= Q(**{f"{column}__iexact": address})
        model._default_manager.filter(matches).delete()
    outbox = OutboundEmail.objects.annotate(
        recipients=Cast("to", TextField()),
        copies=Cast("cc", TextField()),
        hidden=Cast("bcc", TextField()),
    )
    for address in addresses:
        outbox.filter(
            Q(recipients__icontains=address)
            | Q(copies__icontains=address)
            | Q(hidden__icontains=address)
            | Q(body__icontains=address)
            | Q(html_body__icontains=address)
        ).delete()
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    # Sessions not recorded by usersessions (signed in before it was installed, say).
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.add(session.session_key)
    Session.objects.filter(session_key__in=keys).delete()
    LogEntry.objects.filter(content_type=_content_type(user), object_id=str(user.pk)).delete()


def _forget_quotes(model: type[models.Model], pks: list[Any]) -> None:
    """Events about words that are deleted keep their ids and numbers, not their text."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import Event

    if not pks:
        return
    kind = ContentType.objects.get_for_model(model)
    for event in Event.objects.filter(target_type=kind, target_id__in=pks):
        event.data = {k: v for k, v in event.data.items() if not isinstance(v, str)}
        event.save(update_fields=["data"])


def _erase_history(user_id: int, delete_authored: bool) -> None:
    """Run after the rows themselves: deleting a tracked row writes a history row too."""
    for model in history_models():
        manager = model._default_manager
        for f in user_fields(model):
            if f.name == "history_user":
                manager.filter(history_user_id=user_id).update(history_user=None)
                continue
            rule = _mirrored(model, f.name)
            rows = manager.filter(**{f.attname: user_id})
            if rule in (Erase.DELETE, Erase.REMOVE) or (rule == Erase.AUTHORED and delete_authored):
                rows.delete()
            else:
                rows.update(**{f.attname: None})


def erase(user: User, *, delete_authored: bool = False) -> None:
    """Remove every row that identifies ``user``; call it inside a transaction."""
    addresses = _addresses(user)
    user_id = user.pk
    _erase_event_log(user)
    for model in referring_models():
        policy = PERSONAL_DATA[model._meta.label]
        manager = model._default_manager
        for f in user_fields(model):
            rule = policy.erase[f.name]
            if rule == Erase.REMOVE:
                for obj in manager.filter(**{f.name: user}):
                    getattr(obj, f.name).remove(user)
            elif rule == Erase.AUTHORED and delete_authored:
                rows = manager.filter(**{f.name: user})
                _forget_quotes(model, list(rows.values_list("pk", flat=True)))
                rows.delete()
            elif rule == Erase.DELETE:
                manager.filter(**{f.name: user}).delete()
            else:
                manager.filter(**{f.name: user}).update(**{f.name: None})
    _erase_without_keys(user, addresses)
    user.delete()
    _erase_history(user_id, delete_authored)
