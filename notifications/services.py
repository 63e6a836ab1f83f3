"""Every write of the notifications room: preferences, reading, the sweeps and the sending.

Exactly once is kept in the database, since Celery delivers at least once:

1. What is due is found by querying (check-ins in the schedule, events in the log, digests
   whose time has come), never by a task waiting with a long countdown.
2. Each thing to tell becomes a :class:`~notifications.models.Dispatch` row, created with
   ``ignore_conflicts`` under its unique constraint: a sweep that runs twice, or a receiver
   and a sweep that both saw an event, create one row.
3. A worker claims a batch with a conditional UPDATE (``SKIP LOCKED``, a claim token and a
   lease); it marks a group of e-mails (:func:`group_size`) *sending* in one statement
   before the first leaves and *sent* in one after the last, each time only if it still
   holds the claim. A lease that runs out before sending frees the row for another worker;
   one that runs out while sending flags it for a person (*attention*), because the mail
   may already have gone: a worker killed mid-group leaves at most that group flagged.
4. In-app notifications are written in the transaction that marks their dispatch sent.

Reminder e-mails do not pass through the outbox (``core.outbox``): a dispatch row already
is their outbox, with the claim and lease of the outbox and one more state, since the
outbox sends again a row whose lease ran out; here that would repeat a reminder. Sending a
batch on one SMTP connection, each shared body rendered once (:class:`_Composer`), also
makes them fast (bench/reminders.py).
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.events import log_event
from core.links import absolute_url
from core.mail import send_each
from core.models import Event
from core.queueing import enqueue
from notifications import kinds
from notifications.mime import Headers, PreparedEmail, Shell, mime_bytes, slot
from notifications.models import (
    Channel,
    Dispatch,
    Frequency,
    Notification,
    Preference,
    Subscriber,
    new_calendar_token,
)
from partnerships.models import CheckIn, Participant, Partnership

if TYPE_CHECKING:
    from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

DELIVERY_MAILER = "delivery"
SEND_BATCH_SIZE = 500
# E-mails marked sending, then sent, in one statement each (see group_size).
SEND_GROUP_SIZE = 100
MAX_ATTEMPTS = 5
# Overdue reminders: this many days after the date, while the check-in is not recorded.
OVERDUE_DAYS = (1, 7)
# Check-ins further back than this are no longer reminded of.
OVERDUE_HORIZON = timedelta(days=30)
EVENT_CATCH_UP = timedelta(days=2)
DIGEST_HOUR = 7
UNSUBSCRIBE_SALT = "notifications.unsubscribe"

Status = Dispatch.Status


def lease() -> timedelta:
    """How long a claim lasts: longer than any batch takes (``TANDEM_NOTIFICATIONS_LEASE``)."""
    return timedelta(seconds=float(getattr(settings, "TANDEM_NOTIFICATIONS_LEASE", 300)))


# --- Preferences ------------------------------------------------------------------------


def subscriber_for(user: User) -> Subscriber:
    subscriber, _created = Subscriber.objects.get_or_create(user=user)
    return subscriber


def frequencies(user_ids: Iterable[int], kind: str) -> dict[tuple[int, str], str]:
    """Each person's stored frequency per channel for ``kind`` (missing: the default)."""
    rows = Preference.objects.filter(user_id__in=set(user_ids), kind=kind)
    return {(u, c): f for u, c, f in rows.values_list("user_id", "channel", "frequency")}


def preference_table(user: User) -> list[dict[str, Any]]:
    """A row per kind with the frequency of each channel, stored or default."""
    stored = {
        (kind, channel): frequency
        for kind, channel, frequency in user.notification_preferences.values_list(
            "kind", "channel", "frequency"
        )
    }
    # A participant (in no organization) is reminded of check-ins only after asking for it.
    if not user.organization_ids():
        for channel in Channel.values:
            stored.setdefault((kinds.CHECKIN_DUE, channel), Frequency.NEVER)
    return [
        {
            "kind": kind,
            **{
                channel: stored.get(
                    (kind.slug, channel), kinds.default_frequency(kind.slug, channel)
                )
                for channel in Channel.values
            },
        }
        for kind in kinds.KINDS.values()
    ]


def _parse_reminder_days(raw: Sequence[int]) -> list[int]:
    days = sorted({int(day) for day in raw}, reverse=True)
    if any(day < 0 or day > 14 for day in days):
        raise ValidationError({"reminder_days": _("Choose days between 0 and 14.")})
    return days


@transaction.atomic
def preferences_update(
    *,
    actor: User,
    user: User,
    frequencies: dict[tuple[str, str], str],
    reminder_days: Sequence[int],
    at: datetime | None = None,
) -> Subscriber:
    """Stores a person's choices: one row per kind and channel, and their reminder days."""
    if actor.pk != user.pk:
        raise PermissionDenied
    errors: dict[str, str] = {}
    for (kind, channel), frequency in frequencies.items():
        if kind not in kinds.KINDS or channel not in Channel.values:
            errors["__all__"] = _("Choose among the kinds and channels offered.")
        elif frequency not in allowed_frequencies(channel):
            errors[f"{kind}__{channel}"] = _("Choose one of the frequencies offered.")
    if errors:
        raise ValidationError(errors)
    days = _parse_reminder_days(reminder_days)
    now = at or timezone.now()
    for (kind, channel), frequency in frequencies.items():
        Preference.objects.update_or_create(
            user=user, kind=kind, channel=channel, defaults={"frequency": frequency}
        )
    subscriber = subscriber_for(user)
    subscriber.reminder_days = days
    _schedule_digests(subscriber, frequencies.values(), now)
    subscriber.save()
    log_event(
        actor=actor,
        action="notifications.preferences.updated",
        target=subscriber,
        data={"changed": len(frequencies)},
        private=True,
    )
    return subscriber


def allowed_frequencies(channel: str) -> list[str]:
    # The app shows what comes at once; collecting into digests is what e-mail is for.
    if channel == Channel.APP:
        return [Frequency.IMMEDIATELY, Frequency.NEVER]
    return list(Frequency.values)


def _next_digest(now: datetime, period: str) -> datetime:
    at = now.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if at <= now:
        at += timedelta(days=1)
    if period == Frequency.WEEKLY:
        at += timedelta(days=(7 - at.weekday()) % 7)  # Mondays
    return at


def _schedule_digests(subscriber: Subscriber, chosen: Iterable[str], now: datetime) -> None:
    chosen = set(chosen)
    if Frequency.DAILY in chosen and subscriber.next_daily_digest_at is None:
        subscriber.next_daily_digest_at = _next_digest(now, Frequency.DAILY)
    if Frequency.WEEKLY in chosen and subscriber.next_weekly_digest_at is None:
        subscriber.next_weekly_digest_at = _next_digest(now, Frequency.WEEKLY)


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps([user_id, kind], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[User, str] | None:
    """The person and kind a link from an e-mail names, or None for a link not ours."""
    try:
        user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or (kind not in kinds.KINDS and kind != "digest"):
        return None
    return user, kind


@transaction.atomic
def unsubscribe(*, token: str) -> str | None:
    """One click from an e-mail: that kind (or the digests) no longer comes by e-mail.

    The signed token is the proof: no sign-in, since a mail client posts it by itself.
    """
    found = unsubscribe_read(token)
    if found is None:
        return None
    user, kind = found
    if kind == "digest":
        Preference.objects.filter(
            user=user, channel=Channel.EMAIL, frequency__in=[Frequency.DAILY, Frequency.WEEKLY]
        ).update(frequency=Frequency.NEVER)
        targets = [
            k
            for k in kinds.KINDS
            if kinds.default_frequency(k, Channel.EMAIL) in (Frequency.DAILY, Frequency.WEEKLY)
        ]
        for slug in targets:
            Preference.objects.get_or_create(
                user=user, kind=slug, channel=Channel.EMAIL, defaults={"frequency": Frequency.NEVER}
            )
    else:
        Preference.objects.update_or_create(
            user=user, kind=kind, channel=Channel.EMAIL, defaults={"frequency": Frequency.NEVER}
        )
    subscriber = subscriber_for(user)
    log_event(
        actor=user,
        action="notifications.unsubscribed",
        target=subscriber,
        data={"kind": kind},
        private=True,
    )
    return kind


@transaction.atomic
def calendar_token_reset(*, actor: User) -> Subscriber:
    """A new private feed address; the old one stops answering at once."""
    subscriber = subscriber_for(actor)
    subscriber.calendar_token = new_calendar_token()
    subscriber.save(update_fields=["calendar_token"])
    log_event(actor=actor, action="notifications.calendar.reset", target=subscriber, private=True)
    return subscriber


# --- Reading ------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    """The bell's number: one count on a partial index of the person's unread rows, on the
    pages that show it. Always asked, never cached, so it is never stale and a page's
    queries stay the same from one request to the next."""
    return Notification.objects.filter(recipient=user).unread().count()


def notifications_mark_read(
    *, actor: User, ids: Iterable[int] | None = None, at: datetime | None = None
) -> int:
    """Marks the person's own notifications read (these ``ids``, or all). Reading is not an
    event of the log: it changes nothing anyone else sees."""
    with transaction.atomic():
        rows = Notification.objects.filter(recipient=actor).unread()
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        count = rows.update(read_at=at or timezone.now())
    return count


# --- Finding what is due ----------------------------------------------------------------


def dispatches_create(dispatches: list[Dispatch]) -> int:
    """Idempotent: a row that exists already (same subject, recipient, channel and occasion)
    is left as it is. Returns how many rows were offered."""
    Dispatch.objects.bulk_create(dispatches, ignore_conflicts=True, batch_size=1000)
    if dispatches:
        transaction.on_commit(queue_sending)
    return len(dispatches)


def reminder_occasion(due: date, today: date, days_before: Sequence[int]) -> tuple[str, int] | None:
    """Which reminder a person with ``days_before`` is owed today for a check-in on ``due``.

    The latest threshold passed counts, so a sweep that missed a day (Redis down, no beat)
    still sends it when it runs again, and an older one is not sent late beside it.
    Returns the occasion's name and its day count (negative: days overdue), or None.
    """
    delta = (due - today).days
    if delta >= 0:
        passed = [day for day in days_before if delta <= day]
        if not passed:
            return None
        day = min(passed)
        return f"before:{day}:{due.isoformat()}", delta
    late = [day for day in OVERDUE_DAYS if -delta >= day]
    if not late:
        return None
    return f"overdue:{max(late)}:{due.isoformat()}", delta


def reminders_sweep(*, at: datetime | None = None) -> int:
    """Creates the dispatches of every check-in reminder due now, in a fixed number of
    queries however many there are. Returns how many new dispatches it created."""
    now = at or timezone.now()
    today = timezone.localdate(now)
    horizon = today + timedelta(days=14)
    checkins = list(
        CheckIn.objects.filter(
            status=CheckIn.Status.SCHEDULED,
            due_date__gte=today - OVERDUE_HORIZON,
            due_date__lte=horizon,
            partnership__archived_at__isnull=True,
        )
        .exclude(partnership__status=Partnership.Status.CLOSED)
        .values("pk", "partnership_id", "due_date")
    )
    if not checkins:
        return 0
    partnership_ids = {row["partnership_id"] for row in checkins}
    people = kinds.partner_people(partnership_ids)
    # Participants are reminded only when they asked for it.
    asked = set(
        Preference.objects.filter(kind=kinds.CHECKIN_DUE)
        .exclude(frequency=Frequency.NEVER)
        .filter(user__participations__partnership_id__in=partnership_ids)
        .values_list("user_id", flat=True)
    )
    for partnership_id, user_id in Participant.objects.filter(
        partnership_id__in=partnership_ids, user_id__in=asked
    ).values_list("partnership_id", "user_id"):
        people[partnership_id].add(user_id)
    everyone = set().union(*people.values()) if people else set()
    active = set(User.objects.filter(pk__in=everyone, is_active=True).values_list("pk", flat=True))
    days_of = dict(
        Subscriber.objects.filter(user_id__in=active).values_list("user_id", "reminder_days")
    )
    chosen = frequencies(active, kinds.CHECKIN_DUE)
    new: list[Dispatch] = []
    for checkin in checkins:
        for user_id in people.get(checkin["partnership_id"], ()):
            if user_id not in active:
                continue
            found = reminder_occasion(checkin["due_date"], today, days_of.get(user_id) or [3, 0])
            if found is None:
                continue
            occasion, delta = found
            for channel in Channel.values:
                frequency = chosen.get(
                    (user_id, channel), kinds.default_frequency(kinds.CHECKIN_DUE, channel)
                )
                # A digest lists what is due anyway; only "immediately" sends a reminder.
                if frequency != Frequency.IMMEDIATELY:
                    continue
                new.append(
                    Dispatch(
                        kind=kinds.CHECKIN_DUE,
                        recipient_id=user_id,
                        channel=channel,
                        subject=f"checkin:{checkin['pk']}",
                        occasion=occasion,
                        partnership_id=checkin["partnership_id"],
                        data={"checkin": checkin["pk"], "days": delta},
                        due_at=now,
                    )
                )
    return dispatches_create(new)


def dispatches_for_events(events: Sequence[Event], *, at: datetime | None = None) -> int:
    """The dispatches the registry names for these events; harmless to repeat."""
    now = at or timezone.now()
    by_action: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.action in kinds.EVENT_RULES:
            by_action[event.action].append(event)
    new: list[Dispatch] = []
    for action, group in by_action.items():
        rule = kinds.EVENT_RULES[action]
        recipients = rule.recipients(group)
        users = set().union(*recipients.values()) if recipients else set()
        chosen = frequencies(users, rule.kind)
        for event in group:
            for user_id in recipients.get(event.pk, ()):
                for channel in Channel.values:
                    frequency = chosen.get(
                        (user_id, channel), kinds.default_frequency(rule.kind, channel)
                    )
                    if frequency != Frequency.IMMEDIATELY:
                        continue
                    new.append(
                        Dispatch(
                            kind=rule.kind,
                            recipient_id=user_id,
                            channel=channel,
                            subject=f"event:{event.pk}",
                            partnership_id=event.partnership_id,
                            data={"event": event.pk},
                            due_at=now,
                        )
                    )
    return dispatches_create(new)


def events_sweep(*, at: datetime | None = None) -> int:
    """Catch-up: the recent events of the registry, in case a receiver never ran."""
    now = at or timezone.now()
    created = 0
    last = 0
    while True:
        batch = list(
            Event.objects.filter(
                action__in=list(kinds.EVENT_RULES),
                created_at__gte=now - EVENT_CATCH_UP,
                pk__gt=last,
            ).order_by("pk")[:1000]
        )
        if not batch:
            return created
        created += dispatches_for_events(batch, at=now)
        last = batch[-1].pk


def digests_schedule(*, at: datetime | None = None) -> int:
    """Creates the digest dispatches whose time has come. Each next time is claimed by
    moving it on with a conditional UPDATE, so two sweeps create one digest."""
    now = at or timezone.now()
    created = 0
    for period, column in (
        (Frequency.DAILY, "next_daily_digest_at"),
        (Frequency.WEEKLY, "next_weekly_digest_at"),
    ):
        due = list(
            Subscriber.objects.filter(**{f"{column}__lte": now}).values_list(
                "pk", "user_id", column
            )[:5000]
        )
        step = timedelta(days=1 if period == Frequency.DAILY else 7)
        new: list[Dispatch] = []
        for pk, user_id, when in due:
            following = when + step
            while following <= now:
                following += step
            won = Subscriber.objects.filter(pk=pk, **{column: when}).update(**{column: following})
            if not won:
                continue
            new.append(
                Dispatch(
                    kind="digest",
                    recipient_id=user_id,
                    channel=Channel.EMAIL,
                    subject=f"digest:{period}",
                    occasion=when.isoformat(),
                    data={"since": (when - step).isoformat(), "until": when.isoformat()},
                    due_at=now,
                )
            )
        created += dispatches_create(new)
    return created


# --- Sending ---------------------------------------------------------------------------


def dispatches_reap(*, at: datetime | None = None) -> int:
    """Rows whose lease ran out while sending: flagged for a person, never sent again.
    Returns how many were flagged now (logged, and counted on /healthz)."""
    now = at or timezone.now()
    flagged = Dispatch.objects.filter(status=Status.SENDING, lease_until__lt=now).update(
        status=Status.ATTENTION,
        last_error="The lease ran out while sending: it may have gone out.",
    )
    if flagged:
        logger.error(
            "%s notification e-mails were cut off while sending; they need a look "
            "(manage.py notifications_attention).",
            flagged,
        )
    return flagged


def _claim(limit: int, now: datetime) -> tuple[str, list[int]]:
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            Dispatch.objects.claimable(now)
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Dispatch.objects.claimable(now).filter(pk__in=ids).update(
                status=Status.CLAIMED, claim=token, lease_until=now + lease()
            )
    return token, ids


class _Batch:
    """What a claimed batch needs to render, loaded in a few queries."""

    def __init__(self, rows: list[Dispatch]) -> None:
        partnership_ids = {row.partnership_id for row in rows if row.partnership_id}
        self.partnerships = dict(
            Partnership.objects.filter(pk__in=partnership_ids).values_list("pk", "title")
        )
        checkin_ids = {row.data.get("checkin") for row in rows if row.kind == kinds.CHECKIN_DUE}
        self.checkins = {
            checkin.pk: checkin
            for checkin in CheckIn.objects.filter(pk__in=checkin_ids).only(
                "pk", "partnership_id", "due_date", "time", "place", "status"
            )
        }
        event_ids = {row.data.get("event") for row in rows if "event" in row.data}
        self.events = {
            event.pk: event
            for event in Event.objects.filter(pk__in=event_ids).select_related("actor")
        }
        digests = [row for row in rows if row.kind == "digest"]
        self.digests = {row.pk: digest_content(row) for row in digests}


def _still_true(row: Dispatch, batch: _Batch) -> bool:
    """A reminder of a check-in since recorded or moved is not sent."""
    if row.kind == kinds.CHECKIN_DUE:
        checkin = batch.checkins.get(row.data.get("checkin"))
        return (
            checkin is not None
            and checkin.status == CheckIn.Status.SCHEDULED
            and row.occasion.endswith(checkin.due_date.isoformat())
        )
    if row.kind == "digest":
        return bool(batch.digests.get(row.pk))
    return "event" not in row.data or row.data["event"] in batch.events


def _link(row: Dispatch, batch: _Batch) -> str:
    if row.kind == kinds.CHECKIN_DUE:
        checkin = batch.checkins[row.data["checkin"]]
        return reverse("partnerships:checkin_record", args=[checkin.partnership_id, checkin.pk])
    if row.kind == "digest":
        return reverse("notifications:list")
    event = batch.events.get(row.data.get("event"))
    return kinds.event_url(event) if event else ""


def _checkin_sentence(row: Dispatch, batch: _Batch) -> str:
    checkin = batch.checkins[row.data["checkin"]]
    title = batch.partnerships.get(checkin.partnership_id, "")
    days = int(row.data.get("days", 0))
    values = {"partnership": title, "date": _date(checkin.due_date), "days": days}
    if days > 1:
        return _("The check-in of %(partnership)s is due in %(days)s days, on %(date)s.") % values
    if days == 1:
        return _("The check-in of %(partnership)s is due tomorrow, %(date)s.") % values
    if days == 0:
        return _("The check-in of %(partnership)s is due today.") % values
    return (
        _("The check-in of %(partnership)s was due on %(date)s and is not recorded yet.") % values
    )


def _date(value: date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


class _Recipient:
    """Stands for the person while a shared body is rendered: their parts become markers."""

    def get_short_name(self) -> str:
        return slot("name")


def _content(row: Dispatch, batch: _Batch) -> tuple[str, str, dict[str, Any]]:
    """The subject, template and context of an e-mail, but for the recipient's own parts."""
    context: dict[str, Any] = {
        "link": absolute_url(_link(row, batch)),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    if row.kind == kinds.CHECKIN_DUE:
        checkin = batch.checkins[row.data["checkin"]]
        context |= {"sentence": _checkin_sentence(row, batch), "checkin": checkin}
        subject = (
            _("A check-in is overdue")
            if row.data.get("days", 0) < 0
            else _("A check-in is coming up")
        )
        return subject, "notifications/email/checkin_due", context
    if row.kind == "digest":
        context |= {"digest": batch.digests[row.pk]}
        return _("Your digest from Tandem"), "notifications/email/digest", context
    event = batch.events[row.data["event"]]
    context |= {
        "sentence": kinds.headline(row.kind, batch.partnerships.get(row.partnership_id or 0, "")),
        "event": event,
    }
    subject = str(kinds.KINDS[row.kind].label) if row.kind in kinds.KINDS else _("News")
    return subject, "notifications/email/event", context


def _shared_key(row: Dispatch, language: str) -> tuple[Any, ...]:
    """E-mails with the same key say the same but for the person's own parts."""
    if row.kind == "digest":
        return ("digest", row.pk)
    return (row.kind, language, row.subject, row.partnership_id, row.data.get("days"))


_TOKEN = "unsubscribe-token"  # no signed token looks like this (they have colons)


class _Composer:
    """Renders each shared body once per (kind, language, check-in or event, occasion) and
    fills in each person's name and unsubscribe link; writes each message's MIME directly."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.shared: dict[tuple[Any, ...], tuple[str, Shell, Headers]] = {}
        self.unsubscribe: dict[str, str] = {}

    def _render(self, row: Dispatch) -> tuple[str, Shell, Headers]:
        subject, template, context = _content(row, self.batch)
        context |= {"recipient": _Recipient(), "unsubscribe_url": slot("unsubscribe_url")}
        shell = Shell(
            render_to_string(f"{template}.txt", context),
            render_to_string(f"{template}.html", context),
        )
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject
        headers = Headers(
            subject=subject,
            from_email=settings.DEFAULT_FROM_EMAIL,
            extra={
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        return subject, shell, headers

    def _unsubscribe_url(self, language: str) -> str:
        """The unsubscribe address in this language, with a stand-in for the token."""
        if language not in self.unsubscribe:
            with translation.override(language):
                self.unsubscribe[language] = absolute_url(
                    reverse("notifications:unsubscribe", args=[_TOKEN])
                )
        return self.unsubscribe[language]

    def message(self, row: Dispatch, recipient: User) -> EmailMultiAlternatives:
        language = recipient.preferred_language or settings.LANGUAGE_CODE
        key = _shared_key(row, language)
        if key not in self.shared:
            with translation.override(language):
                self.shared[key] = self._render(row)
        subject, shell, shared = self.shared[key]
        unsubscribe_url = self._unsubscribe_url(language).replace(
            _TOKEN, unsubscribe_token(recipient.pk, row.kind), 1
        )
        text, html = shell.fill(
            {"name": recipient.get_short_name(), "unsubscribe_url": unsubscribe_url}
        )
        own = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            # The row's id, for whoever traces a message (no address, no text).
            "X-Tandem-Dispatch": str(row.pk),
        }
        headers = {
            "List-Unsubscribe": own["List-Unsubscribe"],
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "X-Tandem-Dispatch": own["X-Tandem-Dispatch"],
        }
        message = PreparedEmail(
            raw=mime_bytes(to=recipient.email, shared=shared, headers=own, text=text, html=html),
            subject=subject,
            body=text,
            to=[recipient.email],
            headers=headers,
        )
        message.attach_alternative(html, "text/html")
        return message


def _in_app(rows: list[Dispatch], batch: _Batch, token: str, now: datetime) -> int:
    """In-app rows become notifications in the transaction that marks them sent."""
    with transaction.atomic():
        mine = set(
            Dispatch.objects.filter(
                pk__in=[row.pk for row in rows], status=Status.CLAIMED, claim=token
            )
            .select_for_update()
            .values_list("pk", flat=True)
        )
        keep = [row for row in rows if row.pk in mine]
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=row.recipient_id,
                    kind=row.kind,
                    dispatch_id=row.pk,
                    partnership_id=row.partnership_id,
                    data={**row.data, "occasion": row.occasion},
                    url=_link(row, batch),
                    created_at=now,
                )
                for row in keep
            ]
        )
        Dispatch.objects.filter(pk__in=[row.pk for row in keep]).update(
            status=Status.SENT, sent_at=now, attempts=F("attempts") + 1
        )
    return len(keep)


def group_size() -> int:
    """How many e-mails are marked sending in one statement (``TANDEM_NOTIFICATIONS_GROUP``):
    a worker killed mid-group leaves at most these for a person to look at."""
    return max(int(getattr(settings, "TANDEM_NOTIFICATIONS_GROUP", SEND_GROUP_SIZE)), 1)


def _mark_sending(rows: list[Dispatch], token: str) -> set[int]:
    """One statement for a group: sending, only while this process holds its claim. From here
    on an expired lease means "may have gone", never "send again". Returns the rows ours to
    send."""
    ids = [row.pk for row in rows]
    changed = Dispatch.objects.filter(pk__in=ids, status=Status.CLAIMED, claim=token).update(
        status=Status.SENDING, lease_until=timezone.now() + lease()
    )
    if changed == len(ids):
        return set(ids)
    # Rare: some were no longer ours (the lease ran out and another worker took them).
    return set(
        Dispatch.objects.filter(pk__in=ids, status=Status.SENDING, claim=token).values_list(
            "pk", flat=True
        )
    )


def _mark_sent(ids: list[int], token: str) -> None:
    if ids:
        Dispatch.objects.filter(pk__in=ids, status=Status.SENDING, claim=token).update(
            status=Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
        )


def _send_emails(
    rows: list[Dispatch], batch: _Batch, token: str, connection: BaseEmailBackend
) -> int:
    """Group by group on one connection: each group is marked sending in one statement
    before its first e-mail leaves and sent in one after the last left."""
    composer = _Composer(batch)
    size = group_size()
    sent = 0
    for start in range(0, len(rows), size):
        group = rows[start : start + size]
        messages = [(row, composer.message(row, row.recipient)) for row in group]
        ours = _mark_sending(group, token)
        going = [(row, message) for row, message in messages if row.pk in ours]
        outcomes = send_each(connection, [message for _row, message in going])
        went: list[int] = []
        for (row, _message), error in zip(going, outcomes, strict=True):
            if error is None:
                went.append(row.pk)
                continue
            # The mail server said no: try again later, or give up.
            attempts = row.attempts + 1
            Dispatch.objects.filter(pk=row.pk, status=Status.SENDING, claim=token).update(
                status=Status.FAILED if attempts >= MAX_ATTEMPTS else Status.PENDING,
                attempts=attempts,
                due_at=timezone.now() + timedelta(minutes=2**attempts),
                last_error=type(error).__name__[:500],
                claim="",
            )
            logger.warning("Notification e-mail %s not sent (%s)", row.pk, type(error).__name__)
        _mark_sent(went, token)
        sent += len(went)
    return sent


def dispatches_send(*, limit: int = SEND_BATCH_SIZE, at: datetime | None = None) -> int:
    """Claims one batch and sends it. Returns how many rows it claimed (0: nothing left)."""
    now = at or timezone.now()
    token, ids = _claim(limit, now)
    if not ids:
        return 0
    rows = list(
        Dispatch.objects.filter(pk__in=ids, claim=token).select_related("recipient").order_by("pk")
    )
    batch = _Batch(rows)
    stale = [row.pk for row in rows if not _still_true(row, batch) or not row.recipient.is_active]
    if stale:
        Dispatch.objects.filter(pk__in=stale, claim=token, status=Status.CLAIMED).update(
            status=Status.SKIPPED, sent_at=now
        )
    live = [row for row in rows if row.pk not in set(stale)]
    _in_app([row for row in live if row.channel == Channel.APP], batch, token, now)
    emails = [row for row in live if row.channel == Channel.EMAIL]
    if emails:
        with mail.mailers[DELIVERY_MAILER] as connection:
            _send_emails(emails, batch, token, connection)
    return len(ids)


def dispatches_send_all(*, limit: int | None = None, at: datetime | None = None) -> int:
    limit = limit or int(getattr(settings, "TANDEM_NOTIFICATIONS_BATCH", SEND_BATCH_SIZE))
    total = 0
    while claimed := dispatches_send(limit=limit, at=at):
        total += claimed
    return total


def queue_sending() -> None:
    """After a commit: a worker sends what is due. With the broker down, nothing breaks:
    the next sweep sends it."""
    from notifications.tasks import dispatches_send_task

    enqueue(dispatches_send_task)


# --- Digests -----------------------------------------------------------------------------


def digest_content(row: Dispatch) -> dict[str, Any]:
    """What a digest says: the events of its period the person chose to read this way,
    and the check-ins due in the coming week. Empty when there is nothing to say."""
    period = row.subject.split(":", 1)[1]
    since = datetime.fromisoformat(row.data["since"])
    until = datetime.fromisoformat(row.data["until"])
    user = row.recipient
    chosen = {
        kind: frequency
        for kind, frequency in Preference.objects.filter(
            user=user, channel=Channel.EMAIL
        ).values_list("kind", "frequency")
    }
    wanted = {
        action
        for action, rule in kinds.EVENT_RULES.items()
        if chosen.get(rule.kind, kinds.default_frequency(rule.kind, Channel.EMAIL)) == period
    }
    visible = Partnership.objects.visible_to(user)
    titles = dict(visible.values_list("pk", "title"))
    events = list(
        Event.objects.filter(
            action__in=wanted,
            created_at__gte=since,
            created_at__lt=until,
            partnership_id__in=list(titles),
        )
        .exclude(actor=user)
        .order_by("created_at")[:200]
    )
    items: list[dict[str, Any]] = []
    for action in {event.action for event in events}:
        group = [event for event in events if event.action == action]
        recipients = kinds.EVENT_RULES[action].recipients(group)
        for event in group:
            if user.pk in recipients.get(event.pk, ()):
                items.append(
                    {
                        "at": event.created_at,
                        "sentence": kinds.headline(
                            kinds.EVENT_RULES[action].kind,
                            titles.get(event.partnership_id or 0, ""),
                        ),
                        "url": absolute_url(kinds.event_url(event)),
                    }
                )
    items.sort(key=lambda item: item["at"])
    today = timezone.localdate(until)
    people = kinds.partner_people(titles)
    due = [
        {
            "partnership": titles[checkin.partnership_id],
            "due_date": checkin.due_date,
            "url": absolute_url(
                reverse("partnerships:checkin_record", args=[checkin.partnership_id, checkin.pk])
            ),
        }
        for checkin in CheckIn.objects.filter(
            partnership_id__in=list(titles),
            status=CheckIn.Status.SCHEDULED,
            due_date__lte=today + timedelta(days=7),
            due_date__gte=today - OVERDUE_HORIZON,
        ).order_by("due_date")[:50]
        if user.pk in people.get(checkin.partnership_id, set())
    ]
    if not items and not due:
        return {}
    return {"period": period, "items": items, "due": due}


# --- For a person to look at -------------------------------------------------------------


def attention_count() -> int:
    return Dispatch.objects.needing_attention().count()


def dispatch_resolve(*, actor: User, dispatch: Dispatch, resend: bool) -> Dispatch:
    """Site staff decide about a row cut off while sending: send it again, or let it be."""
    if not actor.is_staff:
        raise PermissionDenied
    with transaction.atomic():
        updated = Dispatch.objects.filter(pk=dispatch.pk, status=Status.ATTENTION).update(
            status=Status.PENDING if resend else Status.SKIPPED,
            due_at=timezone.now(),
            claim="",
        )
        if updated:
            log_event(
                actor=actor,
                action="notifications.dispatch.resolved",
                target=dispatch,
                data={"resend": resend},
                private=True,
            )
    dispatch.refresh_from_db()
    return dispatch


def checkin_datetime(checkin: CheckIn) -> datetime | date:
    if checkin.time is None:
        return checkin.due_date
    return timezone.make_aware(datetime.combine(checkin.due_date, checkin.time))
