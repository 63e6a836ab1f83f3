"""The partnership page: one URL per section, all sharing one layout.

Every view starts from ``get_visible_partnership_or_404`` so a person who may
not see the partnership gets "not found" everywhere, fragments and exports
included. The in-place forms post to their own URL and go through
:func:`core.forms.handle`: an htmx request gets the section's fragment back (200
refreshed, 400 with field messages), a plain POST gets a redirect or the full
page with the errors, so nothing needs JavaScript. A GET on a form's URL shows
the form on a page of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.forms import bind, handle, require_GET_or_POST
from core.http import AuthenticatedHttpRequest
from partnerships import permissions as perms
from partnerships import services
from partnerships.charts import line_chart
from partnerships.forms import (
    CheckInRecordForm,
    MeasurementForm,
    NeedForm,
    ProgressForm,
)
from partnerships.models import (
    CheckIn,
    Experiment,
    Indicator,
    Measurement,
    Partnership,
    ProgressUpdate,
)
from partnerships.spreadsheet import BOM, csv_safe, csv_writer

if TYPE_CHECKING:
    from accounts.models import User

SECTIONS = [
    ("overview", "partnerships:detail", gettext_lazy("Overview")),
    ("plan", "partnerships:plan", gettext_lazy("Plan")),
    ("checkins", "partnerships:checkins", gettext_lazy("Check-ins")),
    ("progress", "partnerships:progress", gettext_lazy("Progress")),
    ("evidence", "partnerships:evidence", gettext_lazy("Evidence")),
    ("experiments", "partnerships:experiments", gettext_lazy("Experiments")),
    ("money", "partnerships:money", gettext_lazy("Money")),
    ("timeline", "partnerships:timeline", gettext_lazy("Timeline")),
    # The practice-health page belongs to the health room, which builds on this layout.
    ("health", "health:partnership", gettext_lazy("Health")),
]

# --- Shared helpers -------------------------------------------------------------


def _access(request: AuthenticatedHttpRequest, partnership: Partnership) -> dict[str, bool]:
    """What this person may do here, decided once so templates never decide."""
    user = request.user
    return {
        "city": perms.is_city_staff(user, partnership),
        "manage": perms.can_manage(user, partnership),
        "contribute": perms.can_contribute(user, partnership),
        "see_money": perms.can_see_money(user, partnership),
        "state_need": perms.can_state_need(user, partnership),
        "export": perms.can_export(user, partnership),
        "archive": perms.can_archive(user, partnership),
    }


def _layout(
    request: AuthenticatedHttpRequest, partnership: Partnership, section: str
) -> dict[str, Any]:
    can = _access(request, partnership)
    sections = [
        {
            "name": name,
            "label": label,
            "url": reverse(url_name, args=[partnership.pk]),
            "current": name == section,
        }
        for name, url_name, label in SECTIONS
        if name != "money" or can["see_money"]
    ]
    return {
        "partnership": partnership,
        "section": section,
        "sections": sections,
        "section_url": next(item["url"] for item in sections if item["current"]),
        "can": can,
    }


def section_layout(
    request: AuthenticatedHttpRequest, partnership: Partnership, section: str
) -> dict[str, Any]:
    """The section layout for a page of a room built on partnerships (its name in SECTIONS)."""
    return _layout(request, partnership, section)


def _contributing_partnership(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    """For writes: unknown to non-viewers (404), forbidden to viewers who only read (403)."""
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    return partnership


def _money_partnership(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_see_money(request.user, partnership):
        raise Http404
    return partnership


def _page(
    request: AuthenticatedHttpRequest, queryset: QuerySet[Any], *, first: bool = False
) -> Page:
    number = 1 if first else request.GET.get("page")
    return Paginator(queryset, settings.TANDEM_PAGE_SIZE).get_page(number)


def _form_page(
    request: AuthenticatedHttpRequest,
    partnership: Partnership,
    *,
    section: str,
    heading: str,
    form_partial: str,
    extra: dict[str, Any],
) -> HttpResponse:
    """A form on a page of its own: what a GET on a form URL shows, without JavaScript."""
    context = _layout(request, partnership, section)
    context.update(extra, heading=heading, form_partial=form_partial)
    return render(request, "partnerships/section_form.html", context)


# --- Overview -------------------------------------------------------------------


@require_safe
@login_required
def overview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    context = _layout(request, partnership, "overview")
    context.update(
        partners=partnership.partners.select_related("organization"),
        reframings=partnership.reframings.all(),
        responsibilities=partnership.responsibilities.select_related("organization"),
        stages=(list(partnership.pathway.stages.order_by("order")) if partnership.pathway else []),
        next_checkin=partnership.checkins.filter(status=CheckIn.Status.SCHEDULED)
        .order_by("due_date", "pk")
        .first(),
    )
    if context["can"]["contribute"]:
        context["participant_count"] = partnership.participants.count()
    return render(request, "partnerships/partnership_detail.html", context)


# --- Plan -----------------------------------------------------------------------


def _plan_response(
    request: AuthenticatedHttpRequest, partnership: Partnership, number: int | None
) -> HttpResponse:
    versions = list(partnership.plan_versions.select_related("published_by"))
    if number is None:
        version = versions[0] if versions else None
    else:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            raise Http404
    context = _layout(request, partnership, "plan")
    context.update(
        versions=versions,
        version=version,
        sections_of_version=list(version.sections.all()) if version else [],
        latest=versions[0] if versions else None,
    )
    return render(request, "partnerships/section_plan.html", context)


@require_safe
@login_required
def plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    return _plan_response(request, partnership, None)


@require_safe
@login_required
def plan_version(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    return _plan_response(request, partnership, number)


# --- Check-ins ----------------------------------------------------------------------


def _checkin_form(
    partnership: Partnership, checkin: CheckIn, request: AuthenticatedHttpRequest | None = None
) -> CheckInRecordForm:
    """One check-in's form, with ids of its own; bound to what ``request`` posted, if given."""
    auto_id = f"id_checkin{checkin.pk}_%s"
    if request is None:
        return CheckInRecordForm(partnership=partnership, auto_id=auto_id)
    return bind(request, CheckInRecordForm, partnership=partnership, auto_id=auto_id)


def _checkins_context(
    request: AuthenticatedHttpRequest,
    partnership: Partnership,
    *,
    bound: tuple[CheckIn, CheckInRecordForm] | None = None,
) -> dict[str, Any]:
    context = _layout(request, partnership, "checkins")
    scheduled = list(
        partnership.checkins.filter(status=CheckIn.Status.SCHEDULED).order_by("due_date", "pk")
    )
    past = _page(
        request,
        partnership.checkins.exclude(status=CheckIn.Status.SCHEDULED)
        .select_related("recorded_by")
        .prefetch_related("attendees", "attending_organizations")
        .order_by("-due_date", "-pk"),
    )
    # One inline form keeps the page light: the earliest check-in (often the overdue
    # one) is recorded first; the others link to their own form page.
    record_checkin, record_form = None, None
    if context["can"]["contribute"]:
        if bound is not None:
            record_checkin, record_form = bound
        elif scheduled:
            record_checkin = scheduled[0]
            record_form = _checkin_form(partnership, record_checkin)
    context.update(
        scheduled=scheduled,
        past=past,
        record_checkin=record_checkin,
        record_form=record_form,
    )
    return context


@require_safe
@login_required
def checkins(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    return render(
        request, "partnerships/section_checkins.html", _checkins_context(request, partnership)
    )


@login_required
@require_GET_or_POST
def checkin_record(request: AuthenticatedHttpRequest, pk: int, checkin_pk: int) -> HttpResponse:
    partnership = _contributing_partnership(request, pk)
    checkin = get_object_or_404(CheckIn, pk=checkin_pk, partnership=partnership)
    section_url = reverse("partnerships:checkins", args=[partnership.pk])
    if request.method == "GET":
        if checkin.status != CheckIn.Status.SCHEDULED:
            messages.info(request, _("This check-in has already been recorded."))
            return redirect(section_url)
        return _form_page(
            request,
            partnership,
            section="checkins",
            heading=_("Record the check-in due %(date)s") % {"date": date_format(checkin.due_date)},
            form_partial="partnerships/section_checkins.html#checkin-record-form",
            extra={"record_checkin": checkin, "record_form": _checkin_form(partnership, checkin)},
        )

    form = _checkin_form(partnership, checkin, request)
    return handle(
        request,
        form,
        lambda data: services.checkin_record(actor=request.user, checkin=checkin, **data),
        template="partnerships/section_checkins.html",
        fragment="checkins-panel",
        context=lambda recorded: _checkins_context(
            request, partnership, bound=None if recorded else (checkin, form)
        ),
        success_url=section_url,
        success_message=_("The check-in was recorded."),
    )


# --- Progress ---------------------------------------------------------------------


def _progress_context(
    request: AuthenticatedHttpRequest,
    partnership: Partnership,
    *,
    form: ProgressForm | None = None,
    first_page: bool = False,
) -> dict[str, Any]:
    context = _layout(request, partnership, "progress")
    if form is None and context["can"]["contribute"]:
        form = ProgressForm(user=request.user, partnership=partnership)
    updates = _page(
        request,
        ProgressUpdate.objects.current()
        .filter(partnership=partnership)
        .select_related("author", "organization")
        .prefetch_related("practices"),
        first=first_page,
    )
    for update in updates:
        update.correctable = perms.can_correct(
            request.user, partnership, author_id=update.author_id
        )
    context.update(form=form, updates=updates)
    return context


@require_safe
@login_required
def progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    return render(
        request, "partnerships/section_progress.html", _progress_context(request, partnership)
    )


@login_required
@require_GET_or_POST
def progress_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _contributing_partnership(request, pk)
    if request.method == "GET":
        return _form_page(
            request,
            partnership,
            section="progress",
            heading=_("Log progress"),
            form_partial="partnerships/section_progress.html#progress-form",
            extra={"form": ProgressForm(user=request.user, partnership=partnership)},
        )
    form = bind(request, ProgressForm, user=request.user, partnership=partnership)
    return handle(
        request,
        form,
        lambda data: services.progress_log(
            actor=request.user,
            partnership=partnership,
            organization=data["organization"],
            text=data["text"],
            on=data["date"],
            practices=data["practices"],
            levers=data["levers"],
        ),
        template="partnerships/section_progress.html",
        fragment="progress-panel",
        # After posting, the newest updates (page one) are what the person wants to see.
        context=lambda logged: _progress_context(
            request, partnership, form=None if logged else form, first_page=True
        ),
        success_url=reverse("partnerships:progress", args=[partnership.pk]),
        success_message=_("Your progress update was logged."),
    )


# --- Evidence ---------------------------------------------------------------------


def _measurement_form(
    indicator: Indicator, request: AuthenticatedHttpRequest | None = None
) -> MeasurementForm:
    """One indicator's form, with ids of its own; bound to what ``request`` posted, if given."""
    auto_id = f"id_indicator{indicator.pk}_%s"
    if request is None:
        return MeasurementForm(auto_id=auto_id)
    return bind(request, MeasurementForm, auto_id=auto_id)


def _indicators(
    partnership: Partnership,
    *,
    user: User,
    can_contribute: bool,
    only: int | None = None,
    bound: tuple[Indicator, MeasurementForm] | None = None,
) -> list[Indicator]:
    """Indicators with their measurements, chart and (for contributors) a measurement form."""
    queryset = partnership.indicators.prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.current()
            .select_related("entered_by")
            .order_by("date", "pk"),
        )
    )
    if only is not None:
        queryset = queryset.filter(pk=only)
    indicators = list(queryset)
    for indicator in indicators:
        measurements = list(indicator.measurements.all())
        for m in measurements:
            m.correctable = perms.can_correct(  # type: ignore[attr-defined]
                user, partnership, author_id=m.entered_by_id
            )
        indicator.any_correctable = any(  # type: ignore[attr-defined]
            m.correctable  # type: ignore[attr-defined]
            for m in measurements
        )
        indicator.measurement_list = measurements  # type: ignore[attr-defined]
        indicator.latest = measurements[-1] if measurements else None  # type: ignore[attr-defined]
        indicator.chart = line_chart(  # type: ignore[attr-defined]
            [(m.date, m.value) for m in measurements],
            target=indicator.target,
            baseline=indicator.baseline,
        )
        form = None
        if bound is not None and bound[0].pk == indicator.pk:
            form = bound[1]
        elif can_contribute:
            form = _measurement_form(indicator)
        indicator.measurement_form = form  # type: ignore[attr-defined]
    return indicators


@require_safe
@login_required
def evidence(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    context = _layout(request, partnership, "evidence")
    context["indicators"] = _indicators(
        partnership, user=request.user, can_contribute=context["can"]["contribute"]
    )
    return render(request, "partnerships/section_evidence.html", context)


@login_required
@require_GET_or_POST
def measurement_add(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    partnership = _contributing_partnership(request, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, partnership=partnership)
    section_url = reverse("partnerships:evidence", args=[partnership.pk])
    if request.method == "GET":
        indicator.measurement_form = _measurement_form(indicator)  # type: ignore[attr-defined]
        return _form_page(
            request,
            partnership,
            section="evidence",
            heading=_("Add a measurement: %(indicator)s") % {"indicator": indicator.name},
            form_partial="partnerships/section_evidence.html#measurement-form",
            extra={"indicator": indicator},
        )
    form = _measurement_form(indicator, request)
    indicator.partnership = partnership

    def page(added: Measurement | None) -> dict[str, Any]:
        context = _layout(request, partnership, "evidence")
        bound = None if added else (indicator, form)
        if request.htmx:
            # The fragment is this indicator's card only.
            (context["indicator"],) = _indicators(
                partnership, user=request.user, can_contribute=True, only=indicator.pk, bound=bound
            )
        else:
            context["indicators"] = _indicators(
                partnership, user=request.user, can_contribute=True, bound=bound
            )
        return context

    return handle(
        request,
        form,
        lambda data: services.measurement_add(
            actor=request.user,
            indicator=indicator,
            on=data["date"],
            value=data["value"],
            source=data["source"],
        ),
        template="partnerships/section_evidence.html",
        fragment="indicator-card",
        context=page,
        success_url=f"{section_url}#indicator-{indicator.pk}",
        success_message=_("The measurement was added."),
    )


@require_safe
@login_required
def measurements_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_export(request.user, partnership):
        raise Http404
    measurements = (
        Measurement.objects.current()
        .filter(indicator__partnership=partnership)
        .select_related("indicator", "entered_by")
        .order_by("indicator__name", "indicator_id", "date", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="partnership-{partnership.pk}-measurements.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    # A byte-order mark lets spreadsheet programs recognise UTF-8 (accents in names).
    response.write(BOM)
    writer = csv_writer(response)
    writer.writerow(
        [_("indicator"), _("unit"), _("date"), _("value"), _("source"), _("entered by")]
    )
    for m in measurements:
        writer.writerow(
            [
                csv_safe(m.indicator.name),
                csv_safe(m.indicator.unit),
                m.date.isoformat(),
                # A number stays a bare number; a leading minus is a value, not a formula.
                m.value,
                csv_safe(m.source),
                csv_safe(m.entered_by.get_full_name() if m.entered_by else ""),
            ]
        )
    return response


# --- Experiments ------------------------------------------------------------------


@require_safe
@login_required
def experiments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    everything = list(partnership.experiments.all())
    context = _layout(request, partnership, "experiments")
    context.update(
        running=[e for e in everything if not e.decision],
        closed=[e for e in everything if e.decision],
        decisions=Experiment.Decision,
    )
    return render(request, "partnerships/section_experiments.html", context)


# --- Money ------------------------------------------------------------------------


def _money_context(
    request: AuthenticatedHttpRequest, partnership: Partnership, *, form: NeedForm | None = None
) -> dict[str, Any]:
    context = _layout(request, partnership, "money")
    if form is None and context["can"]["state_need"]:
        form = NeedForm(user=request.user, partnership=partnership)
    context.update(
        form=form,
        needs=partnership.financial_needs.select_related("organization", "stated_by"),
    )
    return context


@require_safe
@login_required
def money(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _money_partnership(request, pk)
    return render(request, "partnerships/section_money.html", _money_context(request, partnership))


@login_required
@require_GET_or_POST
def need_state(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _money_partnership(request, pk)
    if not perms.can_state_need(request.user, partnership):
        raise PermissionDenied
    if request.method == "GET":
        return _form_page(
            request,
            partnership,
            section="money",
            heading=_("State a financial need"),
            form_partial="partnerships/section_money.html#need-form",
            extra={"form": NeedForm(user=request.user, partnership=partnership)},
        )
    form = bind(request, NeedForm, user=request.user, partnership=partnership)
    return handle(
        request,
        form,
        lambda data: services.need_state(actor=request.user, partnership=partnership, **data),
        template="partnerships/section_money.html",
        fragment="money-panel",
        context=lambda stated: _money_context(request, partnership, form=None if stated else form),
        success_url=reverse("partnerships:money", args=[partnership.pk]),
        success_message=_("The financial need was stated."),
    )


# --- Timeline -----------------------------------------------------------------------


@require_safe
@login_required
def timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    context = _layout(request, partnership, "timeline")
    events = perms.timeline_events(request.user, partnership).select_related("actor")
    context["events"] = _page(request, events)
    return render(request, "partnerships/section_timeline.html", context)
