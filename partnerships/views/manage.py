"""Pages that change a partnership: one plain form per page, working without JavaScript.

Every view follows the same steps: sign-in required; the partnership must be
visible to the person (otherwise 404, as if it did not exist); nested objects
are looked up through the partnership, so an id from another partnership is
404 too; then the specific right is checked (403 for a partner who may look
but not do this, 404 for money). The service re-checks and writes; its
``ValidationError`` comes back onto the form with status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import apply_validation_error
from partnerships import forms as mf
from partnerships import permissions as perms
from partnerships import services
from partnerships.models import Partnership

TEMPLATE_DIR = "partnerships/manage"

get_or_post = require_http_methods(["GET", "POST"])


def _section_url(name: str, partnership: Partnership) -> str:
    return reverse(f"partnerships:{name}", args=[partnership.pk])


def _submitted(request: HttpRequest) -> QueryDict | None:
    """The posted data, also when empty, so an empty POST is a rejected form and not a blank page."""
    return request.POST if request.method == "POST" else None


def _search_text(request: HttpRequest) -> str:
    """The search box's text as a database can take it: PostgreSQL refuses a NUL byte."""
    return request.GET.get("q", "").replace("\x00", "").strip()[:200]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _form_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Renders a form page; after a POST that reached here the form was rejected: 400."""
    status = 400 if request.method == "POST" else 200
    return render(request, f"{TEMPLATE_DIR}/{template}", context, status=status)


def _attempt[T](form: Any, action: Callable[[], T]) -> T | None:
    """Runs the service and returns what it made; on a ValidationError the form gets its messages."""
    try:
        return action()
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _generic(
    request: HttpRequest,
    partnership: Partnership,
    form: Any,
    *,
    title: str,
    intro: str = "",
    submit: str,
    cancel_url: str,
    template: str = "form_page.html",
    **extra: Any,
) -> HttpResponse:
    context = {
        "partnership": partnership,
        "form": form,
        "page_title": title,
        "intro": intro,
        "submit_label": submit,
        "cancel_url": cancel_url,
        **extra,
    }
    return _form_page(request, template, context)


# --- The partnership itself ------------------------------------------------------


@login_required
@get_or_post
def partnership_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.city_ids():
        # Only city staff start partnerships; to anyone else the page does not exist.
        raise Http404
    lead_search = _search_text(request)
    form = mf.PartnershipCreateForm(_submitted(request), user=user, lead_search=lead_search)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = _attempt(
            form,
            lambda: services.partnership_create(
                actor=user,
                city=data["city"],
                lead=data["lead"],
                title=data["title"],
                goal=data["goal"],
                problem_statement=data["problem_statement"],
                lead_role=data["lead_role"],
                pathway=data["pathway"],
                stage=data["stage"],
                status=data["status"],
                cadence=data["cadence"],
                start_date=data["start_date"],
                point_of_contact=data["point_of_contact"],
                visibility=data["visibility"],
                public_summary=data["public_summary"],
            ),
        )
        if created is not None:
            messages.success(request, _("The partnership has been created."))
            return redirect(created.get_absolute_url())
    return _form_page(
        request,
        "partnership_create.html",
        {"form": form, "lead_search": lead_search},
    )


@login_required
@get_or_post
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    _require(perms.can_manage(request.user, partnership))
    form = mf.PartnershipEditForm(_submitted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect(partnership.get_absolute_url())
        if _attempt(
            form,
            lambda: services.partnership_update(
                actor=request.user, partnership=partnership, **changes
            ),
        ):
            messages.success(request, _("The partnership has been updated."))
            return redirect(partnership.get_absolute_url())
        # The service set the rejected values on this instance before refusing them.
        partnership.refresh_from_db()
    return _generic(
        request,
        partnership,
        form,
        title=_("Edit the partnership"),
        submit=_("Save changes"),
        cancel_url=partnership.get_absolute_url(),
    )


@login_required
@get_or_post
def reframe(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    _require(perms.can_contribute(request.user, partnership))
    form = mf.ReframeForm(_submitted(request), initial={"statement": partnership.problem_statement})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.partnership_reframe(
                actor=request.user,
                partnership=partnership,
                statement=data["statement"],
                learned=data["learned"],
                reframed_on=data["reframed_on"],
            ),
        ):
            messages.success(request, _("The problem statement has been reframed."))
            return redirect(partnership.get_absolute_url())
        partnership.refresh_from_db()
    return _generic(
        request,
        partnership,
        form,
        title=_("Reframe the problem"),
        intro=_(
            "Understanding of a problem grows as the partners work on it. "
            "Record the new statement and what changed your minds; the earlier one stays in the history."
        ),
        submit=_("Save the new statement"),
        cancel_url=partnership.get_absolute_url(),
        template="reframe.html",
    )


@login_required
@get_or_post
def stage_move(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    _require(perms.can_manage(request.user, partnership))
    form = mf.StageMoveForm(_submitted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.partnership_move_stage(
                actor=request.user,
                partnership=partnership,
                stage=data["stage"],
                reason=data["reason"],
            ),
        ):
            messages.success(
                request, _("The partnership is now at the stage “%s”.") % data["stage"]
            )
            return redirect(partnership.get_absolute_url())
        partnership.refresh_from_db()
    return _generic(
        request,
        partnership,
        form,
        title=_("Move to another stage"),
        submit=_("Move the stage"),
        cancel_url=partnership.get_absolute_url(),
        template="stage_move.html",
    )


# --- Partners and responsibilities ---------------------------------------------------


@login_required
@get_or_post
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    _require(perms.can_manage(request.user, partnership))
    form = mf.PartnerAddForm(_submitted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.partner_add(
                actor=request.user,
                partnership=partnership,
                organization=data["organization"],
                role_description=data["role_description"],
            ),
        ):
            messages.success(
                request, _("%s has joined the partnership.") % data["organization"].name
            )
            return redirect(partnership.get_absolute_url())
    return _generic(
        request,
        partnership,
        form,
        title=_("Add a partner"),
        intro=_("Partnerships grow: bring in the organizations whose help the work needs."),
        submit=_("Add the partner"),
        cancel_url=partnership.get_absolute_url(),
    )


@login_required
@get_or_post
def partner_edit(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    partner = get_object_or_404(partnership.partners.select_related("organization"), pk=partner_pk)
    _require(perms.can_manage(request.user, partnership))
    form = mf.PartnerEditForm(
        _submitted(request), initial={"role_description": partner.role_description}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.partner_update(
                actor=request.user,
                partner=partner,
                role_description=data["role_description"],
            ),
        ):
            messages.success(
                request, _("The role of %s has been updated.") % partner.organization.name
            )
            return redirect(partnership.get_absolute_url())
    return _generic(
        request,
        partnership,
        form,
        title=_("Role of %s") % partner.organization.name,
        submit=_("Save the role"),
        cancel_url=partnership.get_absolute_url(),
    )


@login_required
@get_or_post
def partner_remove(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    partner = get_object_or_404(partnership.partners.select_related("organization"), pk=partner_pk)
    _require(perms.can_manage(request.user, partnership))
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.partner_remove(actor=request.user, partner=partner)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("%s is no longer a partner.") % partner.organization.name)
            return redirect(partnership.get_absolute_url())
    return _form_page(
        request,
        "partner_remove.html",
        {
            "partnership": partnership,
            "partner": partner,
            "is_lead": partner.organization_id == partnership.lead_id,
            "errors": errors,
            "cancel_url": partnership.get_absolute_url(),
        },
    )


@login_required
@get_or_post
def responsibility_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    _require(perms.can_contribute(request.user, partnership))
    org_ids = perms.partner_organization_ids(partnership) | {partnership.city_id}
    form = mf.ResponsibilityAddForm(_submitted(request), organization_ids=org_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.responsibility_add(
                actor=request.user,
                partnership=partnership,
                organization=data["organization"],
                description=data["description"],
                due_date=data["due_date"],
            ),
        ):
            messages.success(request, _("The responsibility has been added."))
            return redirect(partnership.get_absolute_url())
    return _generic(
        request,
        partnership,
        form,
        title=_("Add a responsibility"),
        intro=_("Who does what: shared work goes better when every partner holds a piece of it."),
        submit=_("Add the responsibility"),
        cancel_url=partnership.get_absolute_url(),
    )


@login_required
@get_or_post
def responsibility_edit(request: HttpRequest, pk: int, responsibility_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    responsibility = get_object_or_404(
        partnership.responsibilities.select_related("organization"), pk=responsibility_pk
    )
    _require(perms.can_contribute(request.user, partnership))
    form = mf.ResponsibilityEditForm(
        _submitted(request),
        initial={"status": responsibility.status, "due_date": responsibility.due_date},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.responsibility_update(
                actor=request.user,
                responsibility=responsibility,
                status=data["status"],
                due_date=data["due_date"],
            ),
        ):
            messages.success(request, _("The responsibility has been updated."))
            return redirect(partnership.get_absolute_url())
        responsibility.refresh_from_db()
    return _generic(
        request,
        partnership,
        form,
        title=_("Update a responsibility"),
        submit=_("Save"),
        cancel_url=partnership.get_absolute_url(),
        template="responsibility_edit.html",
        responsibility=responsibility,
    )


# --- Plan, check-ins, evidence, experiments, money ------------------------------------------


@login_required
@get_or_post
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    _require(perms.can_contribute(request.user, partnership))
    latest = partnership.plan_versions.order_by("-number").first()
    form = mf.PlanPublishForm(_submitted(request), latest=latest)
    if request.method == "POST" and form.is_valid():
        version = _attempt(
            form,
            lambda: services.plan_publish(
                actor=request.user, partnership=partnership, **form.cleaned_data
            ),
        )
        if version is not None:
            messages.success(
                request,
                _("Version %d of the plan is published. Earlier versions stay readable.")
                % version.number,
            )
            return redirect(_section_url("plan", partnership))
    return _form_page(
        request,
        "plan_publish.html",
        {
            "partnership": partnership,
            "form": form,
            "latest": latest,
            "cancel_url": _section_url("plan", partnership),
        },
    )


@login_required
@get_or_post
def checkin_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    _require(perms.can_contribute(request.user, partnership))
    form = mf.CheckInScheduleForm(_submitted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.checkin_schedule(
                actor=request.user,
                partnership=partnership,
                due_date=data["due_date"],
            ),
        ):
            messages.success(request, _("The check-in has been scheduled."))
            return redirect(_section_url("checkins", partnership))
    return _generic(
        request,
        partnership,
        form,
        title=_("Schedule a check-in"),
        intro=_(
            "Regular check-ins keep the partners close over the long run. "
            "The partnership meets: %(cadence)s."
        )
        % {"cadence": partnership.get_cadence_display().lower()},
        submit=_("Schedule"),
        cancel_url=_section_url("checkins", partnership),
    )


@login_required
@get_or_post
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    _require(perms.can_contribute(request.user, partnership))
    form = mf.IndicatorForm(_submitted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.indicator_create(
                actor=request.user,
                partnership=partnership,
                name=data["name"],
                unit=data["unit"],
                direction=data["direction"],
                baseline=data["baseline"],
                target=data["target"],
                target_date=data["target_date"],
            ),
        ):
            messages.success(request, _("The indicator has been added."))
            return redirect(_section_url("evidence", partnership))
    return _generic(
        request,
        partnership,
        form,
        title=_("Add an indicator"),
        intro=_("An indicator is something you measure again and again to see if things change."),
        submit=_("Add the indicator"),
        cancel_url=_section_url("evidence", partnership),
    )


@login_required
@get_or_post
def experiment_start(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    _require(perms.can_contribute(request.user, partnership))
    form = mf.ExperimentStartForm(_submitted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.experiment_start(
                actor=request.user,
                partnership=partnership,
                title=data["title"],
                hypothesis=data["hypothesis"],
                what_is_tried=data["what_is_tried"],
                started_on=data["started_on"],
                ends_on=data["ends_on"],
            ),
        ):
            messages.success(request, _("The experiment has started."))
            return redirect(_section_url("experiments", partnership))
    return _generic(
        request,
        partnership,
        form,
        title=_("Start an experiment"),
        intro=_("Try something small, look at what happens, then decide together."),
        submit=_("Start the experiment"),
        cancel_url=_section_url("experiments", partnership),
    )


@login_required
@get_or_post
def experiment_close(request: HttpRequest, pk: int, experiment_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    experiment = get_object_or_404(partnership.experiments, pk=experiment_pk)
    _require(perms.can_contribute(request.user, partnership))
    form = mf.ExperimentCloseForm(_submitted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.experiment_close(
                actor=request.user,
                experiment=experiment,
                result=data["result"],
                decision=data["decision"],
                ended_on=data["ended_on"],
            ),
        ):
            messages.success(request, _("The experiment is closed with a decision."))
            return redirect(_section_url("experiments", partnership))
        experiment.refresh_from_db()
    return _generic(
        request,
        partnership,
        form,
        title=_("Close the experiment “%s”") % experiment.title,
        submit=_("Close with this decision"),
        cancel_url=_section_url("experiments", partnership),
        template="experiment_close.html",
        experiment=experiment,
    )


@login_required
@get_or_post
def need_update(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    partnership = perms.get_visible_partnership_or_404(request.user, pk)
    if not perms.can_see_money(request.user, partnership):
        # Money is private to the partner organizations: others do not learn it exists.
        raise Http404
    need = get_object_or_404(partnership.financial_needs.select_related("organization"), pk=need_pk)
    form = mf.NeedUpdateForm(
        _submitted(request),
        initial={"status": need.status, "discussion_notes": need.discussion_notes},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.need_update(
                actor=request.user,
                need=need,
                status=data["status"],
                discussion_notes=data["discussion_notes"],
            ),
        ):
            messages.success(request, _("The financial need has been updated."))
            return redirect(_section_url("money", partnership))
        need.refresh_from_db()
    return _generic(
        request,
        partnership,
        form,
        title=_("Update a financial need"),
        submit=_("Save"),
        cancel_url=_section_url("money", partnership),
        template="need_update.html",
        need=need,
    )
