"""The bell's list, marking read, preferences, unsubscribing and the calendar feeds."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from core.events import describe
from core.forms import bind, handle, require_GET_or_POST
from core.http import AuthenticatedHttpRequest
from core.links import absolute_url
from core.models import Event
from notifications import calendars, kinds, services
from notifications.forms import PreferencesForm
from notifications.models import Notification, Subscriber
from partnerships import permissions as partnership_perms
from partnerships.models import CheckIn, Partnership

PAGE_SIZE = 25


def _rows(user: object, notifications: list[Notification]) -> list[dict[str, object]]:
    """Each notification as a sentence in the reader's language, for what they may still see."""
    titles = dict(
        Partnership.objects.visible_to(user)  # type: ignore[arg-type]
        .filter(pk__in={n.partnership_id for n in notifications if n.partnership_id})
        .values_list("pk", "title")
    )
    event_ids = {n.data.get("event") for n in notifications if n.data.get("event")}
    events = {e.pk: e for e in Event.objects.filter(pk__in=event_ids).select_related("actor")}
    rows = []
    for notification in notifications:
        if notification.partnership_id and notification.partnership_id not in titles:
            continue  # no longer theirs to see
        title = titles.get(notification.partnership_id or 0, "")
        days = notification.data.get("days")
        if notification.kind == kinds.CHECKIN_DUE and isinstance(days, int):
            if days < 0:
                sentence = _("The check-in of %(partnership)s is overdue") % {"partnership": title}
            elif days == 0:
                sentence = _("The check-in of %(partnership)s is due today") % {
                    "partnership": title
                }
            else:
                sentence = _("The check-in of %(partnership)s is due in %(days)s days") % {
                    "partnership": title,
                    "days": days,
                }
        else:
            sentence = kinds.headline(notification.kind, title)
        event = events.get(notification.data.get("event"))
        detail = ""
        if event is not None and event.actor is not None:
            detail = f"{event.actor.display_name} {describe(event)}"
        rows.append({"notification": notification, "sentence": sentence, "detail": detail})
    return rows


@require_safe
@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(
        Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "rows": _rows(request.user, list(page.object_list))},
    )


class MarkReadForm(forms.Form):
    notification = forms.IntegerField(required=False, min_value=1)


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MarkReadForm(request.POST)
    if form.is_valid():
        chosen = form.cleaned_data["notification"]
        services.notifications_mark_read(
            actor=request.user, ids=None if chosen is None else [chosen]
        )
    target = request.POST.get("next", "")
    if chosen_url := _safe_next(request, target):
        return redirect(chosen_url)
    return redirect("notifications:list")


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_GET_or_POST
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    subscriber = services.subscriber_for(request.user)
    form = bind(request, PreferencesForm, table=services.preference_table(request.user))
    if request.method == "GET":
        form.initial["reminder_days"] = subscriber.reminder_days
    context = {
        "form": form,
        "feed_url": absolute_url(
            reverse("notifications:calendar_feed", args=[subscriber.calendar_token]), request
        ),
    }
    return handle(
        request,
        form,
        lambda data: services.preferences_update(
            actor=request.user, user=request.user, **form.service_data()
        ),
        template="notifications/preference_form.html",
        context=lambda _saved: context,
        success_url=reverse("notifications:preferences"),
        success_message=_("Your notification preferences were saved."),
    )


@login_required
@require_POST
def calendar_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.calendar_token_reset(actor=request.user)
    messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    return redirect("notifications:preferences")


@csrf_exempt  # a mail client posts "List-Unsubscribe=One-Click" with no page and no cookie
@require_GET_or_POST
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = services.unsubscribe_read(token)
    if found is None:
        raise Http404
    _user, kind = found
    label = kinds.KINDS[kind].label if kind in kinds.KINDS else _("Digests")
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})
    # A GET changes nothing: link scanners open every link in a mail.
    return render(request, "notifications/unsubscribe.html", {"done": False, "label": label})


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: whoever holds the address sees the person's check-ins, so the
    address is a long random token the person can reset."""
    subscriber = (
        Subscriber.objects.filter(calendar_token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    if subscriber is None:
        raise Http404
    visible = Partnership.objects.visible_to(subscriber.user).active()
    checkins = (
        CheckIn.objects.filter(partnership__in=visible, status=CheckIn.Status.SCHEDULED)
        .select_related("partnership")
        .order_by("due_date", "pk")[:500]
    )
    return _ics(calendars.calendar_for(checkins, name="Tandem"), "tandem.ics")


@require_safe
@login_required
def partnership_next_checkin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_perms.get_visible_partnership_or_404(request.user, pk)
    checkin = (
        partnership.checkins.filter(status=CheckIn.Status.SCHEDULED)
        .select_related("partnership")
        .order_by("due_date", "pk")
        .first()
    )
    if checkin is None:
        raise Http404
    return _ics(
        calendars.calendar_for([checkin], name=partnership.title), f"checkin-{checkin.pk}.ics"
    )
