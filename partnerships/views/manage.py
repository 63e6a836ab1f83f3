"""Pages that change a partnership: one plain form per page, working without JavaScript.

Every view decides up front who may be here: sign-in required; the partnership
must be visible to the person (otherwise 404, as if it did not exist); nested
objects are looked up through the partnership, so an id from another
partnership is 404 too; then the specific right is checked (403 for a partner
who may look but not do this, 404 for money). The rest is :func:`_manage_page`:
the form's fields are the service's keyword arguments, the service re-checks
and writes, and its ``ValidationError`` comes back onto the form with status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.forms import bind, handle, require_GET_or_POST
from core.http import AuthenticatedHttpRequest
from partnerships import permissions as perms
from partnerships import services
from partnerships.forms import (
    CheckInMoveForm,
    CheckInScheduleForm,
    ExperimentCloseForm,
    ExperimentStartForm,
    IndicatorEditForm,
    IndicatorForm,
    MeasurementCorrectForm,
    NeedUpdateForm,
    PartnerAddForm,
    PartnerEditForm,
    PartnershipCreateForm,
    PartnershipEditForm,
    PlanPublishForm,
    ProgressCorrectForm,
    ReframeForm,
    ResponsibilityAddForm,
    ResponsibilityEditForm,
    StageMoveForm,
)
from partnerships.models import CheckIn, Measurement, Partnership, ProgressUpdate
from partnerships.services.evidence import INDICATOR_FIELDS

TEMPLATE_DIR = "partnerships/manage"

# The fields of an organization invited by e-mail, which the pages group on their own.
NEW_ORGANIZATION_FIELDS = (
    "new_organization_name",
    "new_organization_kind",
    "new_organization_email",
)
NEW_LEAD_FIELDS = ("new_lead_name", "new_lead_kind", "new_lead_email")


def _section_url(name: str, partnership: Partnership) -> str:
    return reverse(f"partnerships:{name}", args=[partnership.pk])


def _search_text(request: AuthenticatedHttpRequest) -> str:
    """The search box's text as a database can take it: PostgreSQL refuses a NUL byte."""
    return request.GET.get("q", "").replace("\x00", "").strip()[:200]


def _manage_page[T](
    request: AuthenticatedHttpRequest,
    partnership: Partnership,
    form: forms.BaseForm,
    service: Callable[..., T],
    *,
    done: str | Callable[[T], str],
    back: str = "detail",
    title: str = "",
    intro: str = "",
    submit: str = "",
    template: str = "form_page.html",
    **extra: Any,
) -> HttpResponse:
    """One management page, after its view decided who may be here.

    A valid POST calls ``service`` with the acting person and the form's cleaned data as
    keyword arguments (bind the objects it acts on with ``functools.partial``). Success
    says ``done`` and goes back to the partnership's ``back`` section, where Cancel leads
    too. ``title``, ``intro`` and ``submit`` fill the generic page; ``extra`` is more context.
    """
    back_url = _section_url(back, partnership)
    return handle(
        request,
        form,
        lambda data: service(actor=request.user, **data),
        template=f"{TEMPLATE_DIR}/{template}",
        context=lambda _result: {
            "partnership": partnership,
            "form": form,
            "page_title": title,
            "intro": intro,
            "submit_label": submit,
            "cancel_url": back_url,
            **extra,
        },
        success_url=back_url,
        success_message=done,
    )


# --- The partnership itself ------------------------------------------------------


@login_required
@require_GET_or_POST
def partnership_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not perms.can_create_any_partnership(user):
        # Only city staff start partnerships; to anyone else the page does not exist.
        raise Http404
    lead_search = _search_text(request)
    form = bind(request, PartnershipCreateForm, user=user, lead_search=lead_search)
    return handle(
        request,
        form,
        lambda data: services.partnership_create(actor=user, **data),
        template=f"{TEMPLATE_DIR}/partnership_create.html",
        context=lambda _result: {
            "form": form,
            "lead_search": lead_search,
            "search": lead_search,
            "picker_field": "lead",
            "new_fields": list(NEW_LEAD_FIELDS),
        },
        success_url=lambda created: created.get_absolute_url(),
        success_message=_(
            "The partnership has been created. It is proposed until the lead partner accepts."
        ),
    )


@login_required
@require_GET_or_POST
def partnership_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_manage(request.user, partnership):
        raise PermissionDenied
    form = bind(request, PartnershipEditForm, partnership=partnership)
    if (
        request.method == "POST"
        and form.is_valid()
        and not set(form.cleaned_data) - {"expected_version"}
    ):
        messages.info(request, _("Nothing was changed."))
        return redirect(partnership.get_absolute_url())
    return _manage_page(
        request,
        partnership,
        form,
        partial(services.partnership_update, partnership=partnership),
        title=_("Edit the partnership"),
        submit=_("Save changes"),
        done=_("The partnership has been updated."),
    )


@login_required
@require_GET_or_POST
def reframe(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    return _manage_page(
        request,
        partnership,
        bind(request, ReframeForm, initial={"statement": partnership.problem_statement}),
        partial(services.partnership_reframe, partnership=partnership),
        title=_("Reframe the problem"),
        intro=_(
            "Understanding of a problem grows as the partners work on it. "
            "Record the new statement and what changed your minds; the earlier one stays in the history."
        ),
        submit=_("Save the new statement"),
        done=_("The problem statement has been reframed."),
        template="reframe.html",
    )


@login_required
@require_GET_or_POST
def stage_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_manage(request.user, partnership):
        raise PermissionDenied
    return _manage_page(
        request,
        partnership,
        bind(request, StageMoveForm, partnership=partnership),
        partial(services.partnership_move_stage, partnership=partnership),
        title=_("Move to another stage"),
        submit=_("Move the stage"),
        done=lambda change: _("The partnership is now at the stage “%s”.") % change.to_stage,
        template="stage_move.html",
    )


# --- Partners and responsibilities ---------------------------------------------------


@login_required
@require_GET_or_POST
def partner_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_manage(request.user, partnership):
        raise PermissionDenied
    search = _search_text(request)
    return _manage_page(
        request,
        partnership,
        bind(request, PartnerAddForm, partnership=partnership, search=search),
        partial(services.partner_add, partnership=partnership),
        title=_("Invite a partner"),
        intro=_(
            "Partnerships grow: bring in the organizations whose help the work needs. "
            "Their administrators accept or decline; until they accept they see only the "
            "title, the city and the goal."
        ),
        submit=_("Send the invitation"),
        done=lambda partner: (
            _("%s has been invited. It joins once its administrators accept.")
            % partner.organization.name
        ),
        template="partner_add.html",
        search=search,
        picker_field="organization",
        new_fields=list(NEW_ORGANIZATION_FIELDS),
    )


def _bounded_id(value: str) -> int:
    """An id from the query string; anything that cannot be one is "not found"."""
    if not value.isdigit() or len(value) > 15:
        raise Http404
    return int(value)


@require_safe
@login_required
def organization_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The picker's results as a fragment: at most a handful of organizations by name (and
    kind), those this city staff member may invite. A page without JavaScript gets the same
    list from its own search form."""
    user = request.user
    search = _search_text(request)
    partnership_id = request.GET.get("partnership", "")
    if partnership_id:
        partnership = perms.get_visible_partnership_or_404(user, _bounded_id(partnership_id))
        if not perms.can_manage(user, partnership):
            raise Http404
        form: forms.BaseForm = PartnerAddForm(partnership=partnership, search=search)
        name = "organization"
    else:
        if not perms.can_create_any_partnership(user):
            raise Http404
        form = PartnershipCreateForm(user=user, lead_search=search)
        name = "lead"
    response = render(
        request,
        f"{TEMPLATE_DIR}/_organization_results.html",
        {"field": form[name], "search": search},
    )
    patch_vary_headers(response, ("HX-Request",))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET_or_POST
def partner_edit(request: AuthenticatedHttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    partner = get_object_or_404(partnership.partners.select_related("organization"), pk=partner_pk)
    if not perms.can_manage(request.user, partnership):
        raise PermissionDenied
    name = partner.organization.name
    return _manage_page(
        request,
        partnership,
        bind(request, PartnerEditForm, initial={"role_description": partner.role_description}),
        partial(services.partner_update, partner=partner),
        title=_("Role of %s") % name,
        submit=_("Save the role"),
        done=_("The role of %s has been updated.") % name,
    )


@login_required
@require_GET_or_POST
def partner_remove(request: AuthenticatedHttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    partner = get_object_or_404(partnership.partners.select_related("organization"), pk=partner_pk)
    if not perms.can_manage(request.user, partnership):
        raise PermissionDenied
    return _manage_page(
        request,
        partnership,
        # A button: no fields, only what the service refuses.
        bind(request, forms.Form),
        partial(services.partner_remove, partner=partner),
        done=_("%s is no longer a partner.") % partner.organization.name,
        template="partner_remove.html",
        partner=partner,
        is_lead=partner.organization_id == partnership.lead_id,
    )


@login_required
@require_GET_or_POST
def responsibility_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    org_ids = partnership.partner_organization_ids() | {partnership.city_id}
    return _manage_page(
        request,
        partnership,
        bind(request, ResponsibilityAddForm, organization_ids=org_ids),
        partial(services.responsibility_add, partnership=partnership),
        title=_("Add a responsibility"),
        intro=_("Who does what: shared work goes better when every partner holds a piece of it."),
        submit=_("Add the responsibility"),
        done=_("The responsibility has been added."),
    )


@login_required
@require_GET_or_POST
def responsibility_edit(
    request: AuthenticatedHttpRequest, pk: int, responsibility_pk: int
) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    responsibility = get_object_or_404(
        partnership.responsibilities.select_related("organization"), pk=responsibility_pk
    )
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    initial = {
        "status": responsibility.status,
        "due_date": responsibility.due_date,
        "expected_version": responsibility.version,
    }
    return _manage_page(
        request,
        partnership,
        bind(request, ResponsibilityEditForm, initial=initial),
        partial(services.responsibility_update, responsibility=responsibility),
        title=_("Update a responsibility"),
        submit=_("Save"),
        done=_("The responsibility has been updated."),
        template="responsibility_edit.html",
        responsibility=responsibility,
    )


# --- Plan, check-ins, evidence, experiments, money ------------------------------------------


@login_required
@require_GET_or_POST
def plan_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    latest = partnership.plan_versions.order_by("-number").first()
    return _manage_page(
        request,
        partnership,
        bind(request, PlanPublishForm, latest=latest),
        partial(services.plan_publish, partnership=partnership),
        back="plan",
        done=lambda version: (
            _("Version %d of the plan is published. Earlier versions stay readable.")
            % version.number
        ),
        template="plan_publish.html",
        latest=latest,
    )


@login_required
@require_GET_or_POST
def checkin_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    return _manage_page(
        request,
        partnership,
        bind(request, CheckInScheduleForm),
        partial(services.checkin_schedule, partnership=partnership),
        back="checkins",
        title=_("Schedule a check-in"),
        intro=_(
            "Regular check-ins keep the partners close over the long run. "
            "The partnership meets: %(cadence)s."
        )
        % {"cadence": partnership.get_cadence_display().lower()},
        submit=_("Schedule"),
        done=_("The check-in has been scheduled."),
    )


@login_required
@require_GET_or_POST
def checkin_move(request: AuthenticatedHttpRequest, pk: int, checkin_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    checkin = get_object_or_404(
        partnership.checkins, pk=checkin_pk, status=CheckIn.Status.SCHEDULED
    )
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    return _manage_page(
        request,
        partnership,
        bind(request, CheckInMoveForm, checkin=checkin),
        partial(services.checkin_move, checkin=checkin),
        back="checkins",
        title=_("Move the check-in"),
        intro=_("The partners' calendars show the new date, time and place."),
        submit=_("Move"),
        done=_("The check-in has been moved."),
    )


@login_required
@require_GET_or_POST
def indicator_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    return _manage_page(
        request,
        partnership,
        bind(request, IndicatorForm),
        partial(services.indicator_create, partnership=partnership),
        back="evidence",
        title=_("Add an indicator"),
        intro=_("An indicator is something you measure again and again to see if things change."),
        submit=_("Add the indicator"),
        done=_("The indicator has been added."),
    )


@login_required
@require_GET_or_POST
def indicator_edit(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    indicator = get_object_or_404(partnership.indicators, pk=indicator_pk)
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    # The fields the service writes, so the page shows every one as stored (its options too).
    initial = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    initial["expected_version"] = indicator.version
    indicator.partnership = partnership
    return _manage_page(
        request,
        partnership,
        bind(request, IndicatorEditForm, initial=initial),
        partial(services.indicator_update, indicator=indicator),
        back="evidence",
        title=_("Edit the indicator “%s”") % indicator.name,
        submit=_("Save the indicator"),
        done=_("The indicator has been updated."),
    )


@login_required
@require_GET_or_POST
def experiment_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    return _manage_page(
        request,
        partnership,
        bind(request, ExperimentStartForm),
        partial(services.experiment_start, partnership=partnership),
        back="experiments",
        title=_("Start an experiment"),
        intro=_("Try something small, look at what happens, then decide together."),
        submit=_("Start the experiment"),
        done=_("The experiment has started."),
    )


@login_required
@require_GET_or_POST
def experiment_close(
    request: AuthenticatedHttpRequest, pk: int, experiment_pk: int
) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    experiment = get_object_or_404(partnership.experiments, pk=experiment_pk)
    if not perms.can_contribute(request.user, partnership):
        raise PermissionDenied
    return _manage_page(
        request,
        partnership,
        bind(request, ExperimentCloseForm),
        partial(services.experiment_close, experiment=experiment),
        back="experiments",
        title=_("Close the experiment “%s”") % experiment.title,
        submit=_("Close with this decision"),
        done=_("The experiment is closed with a decision."),
        template="experiment_close.html",
        experiment=experiment,
    )


@login_required
@require_GET_or_POST
def need_update(request: AuthenticatedHttpRequest, pk: int, need_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_see_money(request.user, partnership):
        # Money is private to the partner organizations: others do not learn it exists.
        raise Http404
    need = get_object_or_404(partnership.financial_needs.select_related("organization"), pk=need_pk)
    initial = {
        "status": need.status,
        "discussion_notes": need.discussion_notes,
        "expected_version": need.version,
    }
    return _manage_page(
        request,
        partnership,
        bind(request, NeedUpdateForm, initial=initial),
        partial(services.need_update, need=need),
        back="money",
        title=_("Update a financial need"),
        submit=_("Save"),
        done=_("The financial need has been updated."),
        template="need_update.html",
        need=need,
    )


# --- Archiving and deleting a partnership -----------------------------------------------


def _admin_partnership(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_archive(request.user, partnership):
        raise PermissionDenied
    return partnership


def _confirm_page[T](
    request: AuthenticatedHttpRequest,
    partnership: Partnership,
    service: Callable[..., T],
    *,
    title: str,
    text: str,
    submit: str,
    done: str,
    success_url: str,
    cancel_url: str,
    danger: bool = False,
) -> HttpResponse:
    """A button on a page of its own that says what it will do: GET asks, POST does it."""
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        lambda _data: service(actor=request.user),
        template=f"{TEMPLATE_DIR}/confirm.html",
        context=lambda _result: {
            "partnership": partnership,
            "form": form,
            "page_title": title,
            "text": text,
            "submit_label": submit,
            "danger": danger,
            "cancel_url": cancel_url,
        },
        success_url=success_url,
        success_message=done,
    )


@login_required
@require_GET_or_POST
def partnership_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _admin_partnership(request, pk)
    return _confirm_page(
        request,
        partnership,
        partial(services.partnership_archive, partnership=partnership),
        title=_("Archive “%s”?") % partnership.title,
        text=_(
            "An archived partnership leaves the active portfolio. Its pages and history stay "
            "readable, the portfolio's filter shows it, and you can take it out of the "
            "archive at any time."
        ),
        submit=_("Archive the partnership"),
        done=_("The partnership is archived."),
        success_url=partnership.get_absolute_url(),
        cancel_url=partnership.get_absolute_url(),
    )


@login_required
@require_GET_or_POST
def partnership_unarchive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _admin_partnership(request, pk)
    return _confirm_page(
        request,
        partnership,
        partial(services.partnership_unarchive, partnership=partnership),
        title=_("Take “%s” out of the archive?") % partnership.title,
        text=_("The partnership returns to the active portfolio."),
        submit=_("Take it out of the archive"),
        done=_("The partnership is back in the active portfolio."),
        success_url=partnership.get_absolute_url(),
        cancel_url=partnership.get_absolute_url(),
    )


@login_required
@require_GET_or_POST
def partnership_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _admin_partnership(request, pk)
    if partnership.has_recorded_work():
        text = _(
            "The partners have already recorded work in this partnership, so it cannot be "
            "deleted. Archive it instead: it leaves the active portfolio and its history stays."
        )
    else:
        text = _(
            "Deleting is for a partnership created by mistake: it and everything in it are "
            "removed for good. The event log keeps a line saying who deleted it and when."
        )
    return _confirm_page(
        request,
        partnership,
        partial(services.partnership_delete, partnership=partnership),
        title=_("Delete “%s”?") % partnership.title,
        text=text,
        submit=_("Delete the partnership"),
        done=_("The partnership “%s” has been deleted.") % partnership.title,
        success_url=reverse("partnerships:dashboard"),
        cancel_url=partnership.get_absolute_url(),
        danger=True,
    )


# --- Correcting and withdrawing measurements and progress updates -----------------------------


def _correctable[M: Measurement | ProgressUpdate](
    request: AuthenticatedHttpRequest, partnership: Partnership, item: M, author_id: int | None
) -> M:
    if not perms.can_correct(request.user, partnership, author_id=author_id):
        raise PermissionDenied
    return item


def _measurement(request: AuthenticatedHttpRequest, pk: int, measurement_pk: int) -> Measurement:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    measurement = get_object_or_404(
        Measurement.objects.current().select_related("indicator"),
        pk=measurement_pk,
        indicator__partnership=partnership,
    )
    measurement.indicator.partnership = partnership
    return _correctable(request, partnership, measurement, measurement.entered_by_id)


def _progress_update(request: AuthenticatedHttpRequest, pk: int, update_pk: int) -> ProgressUpdate:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    update = get_object_or_404(
        ProgressUpdate.objects.current(), pk=update_pk, partnership=partnership
    )
    update.partnership = partnership
    return _correctable(request, partnership, update, update.author_id)


@login_required
@require_GET_or_POST
def measurement_correct(
    request: AuthenticatedHttpRequest, pk: int, measurement_pk: int
) -> HttpResponse:
    measurement = _measurement(request, pk, measurement_pk)
    indicator = measurement.indicator
    initial = {"date": measurement.date, "value": measurement.value, "source": measurement.source}
    return _manage_page(
        request,
        indicator.partnership,
        bind(request, MeasurementCorrectForm, initial=initial),
        lambda *, actor, date, **data: services.measurement_correct(
            actor=actor, measurement=measurement, on=date, **data
        ),
        back="evidence",
        title=_("Correct a measurement of “%s”") % indicator.name,
        intro=_("The value it had stays in the history and on the timeline."),
        submit=_("Save the correction"),
        done=_("The measurement has been corrected."),
    )


@login_required
@require_GET_or_POST
def measurement_withdraw(
    request: AuthenticatedHttpRequest, pk: int, measurement_pk: int
) -> HttpResponse:
    measurement = _measurement(request, pk, measurement_pk)
    partnership = measurement.indicator.partnership
    evidence_url = _section_url("evidence", partnership)
    return _confirm_page(
        request,
        partnership,
        partial(services.measurement_withdraw, measurement=measurement),
        title=_("Withdraw this measurement of “%s”?") % measurement.indicator.name,
        text=_(
            "It leaves the chart, the table and the export. The timeline keeps a line saying "
            "it was withdrawn, and its history keeps the value."
        ),
        submit=_("Withdraw the measurement"),
        done=_("The measurement has been withdrawn."),
        success_url=evidence_url,
        cancel_url=evidence_url,
        danger=True,
    )


@login_required
@require_GET_or_POST
def progress_correct(request: AuthenticatedHttpRequest, pk: int, update_pk: int) -> HttpResponse:
    update = _progress_update(request, pk, update_pk)
    return _manage_page(
        request,
        update.partnership,
        bind(request, ProgressCorrectForm, initial={"date": update.date, "text": update.text}),
        lambda *, actor, date, **data: services.progress_correct(
            actor=actor, update=update, on=date, **data
        ),
        back="progress",
        title=_("Correct a progress update"),
        intro=_("The earlier text stays in the history."),
        submit=_("Save the correction"),
        done=_("The progress update has been corrected."),
    )


@login_required
@require_GET_or_POST
def progress_withdraw(request: AuthenticatedHttpRequest, pk: int, update_pk: int) -> HttpResponse:
    update = _progress_update(request, pk, update_pk)
    progress_url = _section_url("progress", update.partnership)
    return _confirm_page(
        request,
        update.partnership,
        partial(services.progress_withdraw, update=update),
        title=_("Withdraw this progress update?"),
        text=_(
            "It leaves the list of progress updates. The timeline keeps a line saying it "
            "was withdrawn, and its history keeps the text."
        ),
        submit=_("Withdraw the update"),
        done=_("The progress update has been withdrawn."),
        success_url=progress_url,
        cancel_url=progress_url,
        danger=True,
    )
