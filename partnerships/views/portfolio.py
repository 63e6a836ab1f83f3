"""The city's portfolio, its CSV export, and a person's own partnerships.

Each page runs a fixed number of queries whatever the number of rows: rows
carry their related objects and counts from annotations and prefetches, and
permission predicates get their per-partnership cache filled up front.

The dashboard is the page a city opens most, on portfolios of thousands of
partnerships, so it works in two steps: the filters order the bare ids (an index
on (city, title, id) hands over a page without sorting the city), and only that
page's rows get the lead's name, the next check-in and the open needs, as plain
values the template turns into markup.

The export streams every row of the same filters from one query, read in chunks, so
that a city of tens of thousands of partnerships gets its first rows at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.forms import is_fragment_request
from core.http import AuthenticatedHttpRequest
from partnerships import permissions as perms
from partnerships.filters import PortfolioFilter, order_portfolio
from partnerships.models import Experiment, Participant, Partner, Partnership, Responsibility
from partnerships.spreadsheet import BOM, csv_writer, spreadsheet_safe
from partnerships.views.invitations import awaiting
from playbook.names import PlaybookNames

if TYPE_CHECKING:
    from accounts.models import User

SORTABLE_COLUMNS = ("title", "status", "next_checkin", "last_activity")


def _sort_links(active: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the sort its heading link asks for and its aria-sort state."""
    links = {}
    for column in SORTABLE_COLUMNS:
        if active == column:
            links[column] = {"next": f"-{column}", "state": "ascending"}
        elif active == f"-{column}":
            links[column] = {"next": column, "state": "descending"}
        else:
            # Recent activity is what people look for first, so that column starts newest first.
            first = f"-{column}" if column == "last_activity" else column
            links[column] = {"next": first, "state": "none"}
    return links


@lru_cache(maxsize=2048)
def _localized_date(day: date, language: str) -> str:
    # Formatting a date takes tens of microseconds, and a row shows two; as a pure function
    # of the day and the language, one memo serves every request.
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def _portfolio_rows(values: Iterable[dict[str, Any]], names: PlaybookNames) -> list[dict[str, Any]]:
    """The page's rows as plain values, their texts ready: the template only marks them
    up (and escapes them)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    today = timezone.localdate()
    recent = timezone.now() - timedelta(days=1)
    status_labels = {value: str(label) for value, label in Partnership.Status.choices}
    rows = []
    for row in values:
        pathway_stage: str = names.pathways.get(row["pathway_id"], "")
        if pathway_stage and row["stage_id"] in names.stages:
            pathway_stage = f"{pathway_stage} · {names.stages[row['stage_id']]}"
        row["pathway_stage"] = pathway_stage
        row["status_label"] = status_labels.get(row["status"], row["status"])
        # Proposed until the lead accepted the invitation.
        row["proposed"] = row["lead_status"] != Partner.Status.ACCEPTED
        due: date | None = row["next_checkin_due"]
        row["checkin_iso"] = due.isoformat() if due else ""
        row["checkin_text"] = _localized_date(due, language) if due else ""
        row["checkin_overdue"] = due is not None and due < today
        last_activity = timezone.localtime(row["last_activity_at"])
        row["activity_iso"] = last_activity.isoformat()
        if last_activity >= recent:
            # Within a day the hour matters ("3 hours ago"); beyond it, the day says enough.
            row["activity_text"] = naturaltime(last_activity)
            row["activity_title"] = formats.date_format(last_activity, "DATETIME_FORMAT")
        else:
            row["activity_text"] = _localized_date(last_activity.date(), language)
            row["activity_title"] = ""
        rows.append(row)
    return rows


@require_safe
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not perms.can_see_portfolio(user):
        # Partners have a home of their own; anyone else has no portfolio to see.
        if user.organization_ids():
            return redirect("partnerships:my")
        raise Http404
    # No joins or per-row subqueries here: this queryset only finds and orders the ids.
    filterset = PortfolioFilter(
        request.GET, queryset=Partnership.objects.of_user_cities(user), request=request
    )
    page_obj = Paginator(
        filterset.qs.values_list("pk", flat=True), settings.TANDEM_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    active_sort = filterset.active_sort
    names = PlaybookNames.load()
    rows: list[dict[str, Any]] = []
    if page_obj.paginator.count:
        # The page's ids stay a subquery, so the columns of just these rows come in the
        # same query; ordering them again costs nothing at this size.
        page_rows = Partnership.objects.filter(pk__in=page_obj.object_list).portfolio_rows()
        rows = _portfolio_rows(order_portfolio(page_rows, active_sort), names)
    form = filterset.form
    controls = filterset.controls(names)
    context = {
        "filterset": filterset,
        "filter_controls": [c for c in controls if c["name"] != "sort"],
        "sort_control": next(c for c in controls if c["name"] == "sort"),
        "page_obj": page_obj,
        "rows": rows,
        "is_filtered": filterset.is_filtered,
        "ignored_filters": [str(form.fields[name].label) for name in form.errors],
        "sort_links": _sort_links(active_sort),
        "can_create": perms.can_create_any_partnership(user),
    }
    fragment = is_fragment_request(request)
    context["fragment"] = fragment
    template = "partnerships/dashboard.html#results" if fragment else "partnerships/dashboard.html"
    response = render(request, template, context)
    # The same URL answers with a page or a fragment; caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


class _Echo:
    """A file-like object whose write hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _export_rows(partnerships: QuerySet[Partnership], language: str) -> Iterator[str]:
    writer = csv_writer(_Echo())
    # The body is produced after the view has returned, so the language is fixed here
    # and the transaction opened here.
    with translation.override(language):
        # A byte-order mark lets spreadsheet programs recognise UTF-8 (accents in names).
        yield BOM + writer.writerow(
            [
                _("ID"),
                _("Title"),
                _("City"),
                _("Lead partner"),
                _("Status"),
                _("Model pathway"),
                _("Stage"),
                _("Next check-in"),
                _("Last activity"),
                _("Open financial needs"),
            ]
        )
        # In a transaction, PostgreSQL streams the rows from a plain server-side cursor, so
        # the first ones leave before the last are read. In autocommit Django declares the
        # cursor WITH HOLD, which makes PostgreSQL read every row before handing out one.
        with transaction.atomic(using=partnerships.db):
            connection = connections[partnerships.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # The planner expects a big city's rows to be worth compiling, and
                    # compiling takes longer than reading them.
                    cursor.execute("SET LOCAL jit = off")
            for p in partnerships.iterator(chunk_size=500):
                next_checkin: date | None = p.next_checkin_due  # type: ignore[attr-defined]
                row: Iterable[Any] = (
                    p.pk,
                    p.title,
                    p.city.name,
                    p.lead.name,
                    p.get_status_display(),
                    p.pathway.tr("name") if p.pathway else "",
                    p.stage.tr("name") if p.stage else "",
                    next_checkin.isoformat() if next_checkin else "",
                    timezone.localtime(p.last_activity_at).strftime("%Y-%m-%d %H:%M"),
                    p.open_need_count,  # type: ignore[attr-defined]
                )
                yield writer.writerow([spreadsheet_safe(value) for value in row])


@require_safe
@login_required
def portfolio_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    user = request.user
    if not perms.can_see_portfolio(user):
        raise Http404
    filterset = PortfolioFilter(
        request.GET,
        queryset=Partnership.objects.of_user_cities(user).for_portfolio(),
        request=request,
    )
    response = StreamingHttpResponse(
        _export_rows(filterset.qs, translation.get_language() or settings.LANGUAGE_CODE),
        content_type="text/csv; charset=utf-8",
    )
    # The date only: a city's or partnership's name does not belong in a file name.
    filename = f"tandem-portfolio-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass
class MyPartnership:
    partnership: Partnership
    checkin_overdue: bool
    can_log_progress: bool
    can_state_need: bool
    # The person's role as a participant ("Advisor"), or "" when they take part otherwise.
    participant_role: str


def _my_partnerships_queryset(user: User, today: date) -> QuerySet[Partnership]:
    open_mine = Responsibility.objects.filter(
        organization_id__in=user.organization_ids(),
        status__in=[Responsibility.Status.OPEN, Responsibility.Status.IN_PROGRESS],
    ).order_by(F("due_date").asc(nulls_last=True), "pk")
    running_late = Experiment.objects.filter(decision="", ends_on__lt=today).order_by(
        "ends_on", "pk"
    )
    return (
        Partnership.objects.involving(user)
        .select_related("city", "lead", "pathway", "stage")
        .with_next_checkin()
        .with_lead_status()
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=open_mine.select_related("organization"),
                to_attr="my_open_responsibilities",
            ),
            Prefetch("experiments", queryset=running_late, to_attr="overdue_experiments"),
            Prefetch(
                "partners",
                queryset=Partner.objects.only("pk", "partnership_id", "organization_id", "status"),
                to_attr="partner_rows",
            ),
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(user=user),
                to_attr="my_participations",
            ),
        )
        .order_by(F("next_checkin_due").asc(nulls_last=True), "title", "pk")
    )


@require_safe
@login_required
def my_partnerships(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    page_obj = Paginator(
        _my_partnerships_queryset(user, today), settings.TANDEM_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = []
    for partnership in page_obj.object_list:
        # Fill the cache the permission predicates read, instead of one query per row.
        partners: list[Partner] = partnership.partner_rows  # type: ignore[attr-defined]
        partnership.remember_partner_organizations(partners)
        due = partnership.next_checkin_due  # type: ignore[attr-defined]
        mine: list[Participant] = partnership.my_participations  # type: ignore[attr-defined]
        rows.append(
            MyPartnership(
                partnership=partnership,
                checkin_overdue=due is not None and due < today,
                can_log_progress=perms.can_contribute(user, partnership),
                can_state_need=perms.can_state_need(user, partnership),
                participant_role=mine[0].get_role_display() if mine else "",
            )
        )
    context = {
        "page_obj": page_obj,
        "rows": rows,
        "invitations": list(awaiting(user)),
        "today": today,
        "can_see_portfolio": perms.can_see_portfolio(user),
    }
    return render(request, "partnerships/my_partnerships.html", context)
