"""The practice-health pages: a partnership's scores with their reasons, the survey form,
the shared values, and the city's view of its portfolio.

Who may see what is decided here through ``health.permissions`` and the partnership's own
predicates; templates only show it. Anyone who may not see the partnership gets "not found".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.forms import bind, handle, require_GET_or_POST
from core.http import AuthenticatedHttpRequest
from health import explain, permissions, services
from health.forms import AgreeForm, RoundOpenForm, SurveyForm, ValuesForm
from health.models import Group, PracticeScore, RoundScore, SurveyResponse, SurveyRound
from partnerships import permissions as partnership_perms
from partnerships.models import Partnership
from partnerships.views.pages import section_layout
from playbook.models import Practice

BAR_TOP = 8
BAR_HEIGHT = 22
BAR_GAP = 10
BAR_LEFT = 0
BAR_WIDTH = 300
TREND_WIDTH = 120
TREND_HEIGHT = 32


def _threshold() -> int:
    return int(getattr(settings, "TANDEM_SURVEY_THRESHOLD", 3))


def _visible(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    partnership = partnership_perms.get_visible_partnership_or_404(request.user, pk)
    if not permissions.can_see_health(request.user, partnership):
        raise Http404
    return partnership


@dataclass
class Row:
    practice: Practice
    score: PracticeScore | None
    groups: list[dict[str, Any]] = field(default_factory=list)
    contributions: list[dict[str, Any]] = field(default_factory=list)
    would_raise: list[str] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)
    trend_points: str = ""
    bar: dict[str, float] = field(default_factory=dict)
    overall_hidden: str = ""


def _trend_points(values: list[int | None]) -> str:
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return ""
    step = TREND_WIDTH / max(len(values) - 1, 1)
    return " ".join(
        f"{i * step:.1f},{TREND_HEIGHT - 2 - (v / 100) * (TREND_HEIGHT - 4):.1f}" for i, v in known
    )


def _rows(partnership: Partnership) -> list[Row]:
    practices = list(Practice.objects.order_by("number"))
    current = {s.practice_id: s for s in PracticeScore.objects.filter(partnership=partnership)}
    history: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for practice_id, number, combined in (
        RoundScore.objects.filter(partnership=partnership)
        .order_by("round__number")
        .values_list("practice_id", "round__number", "combined")
    ):
        history[practice_id].append((number, combined))
    k = _threshold()
    rows = []
    for index, practice in enumerate(practices):
        score = current.get(practice.pk)
        row = Row(practice=practice, score=score)
        if score is not None:
            detail = score.detail
            for group in Group:
                figure = detail.get("groups", {}).get(group.value, {})
                row.groups.append(
                    {
                        "label": group.label,
                        "n": figure.get("n", 0),
                        "score": figure.get("score"),
                        "hidden": explain.hidden_sentence(figure, k)
                        if figure.get("hidden")
                        else "",
                    }
                )
            overall = detail.get("overall", {})
            if overall.get("hidden"):
                row.overall_hidden = explain.hidden_sentence(overall, k)
            for c in detail.get("contributions", []):
                if c["possible"]:
                    row.contributions.append(
                        {
                            "sentence": explain.signal_sentence(
                                c["key"], c["achieved"], c["possible"]
                            ),
                            "points": round(c["points"]),
                            "possible_points": round(c["possible_points"]),
                        }
                    )
            row.would_raise = [explain.raise_sentence(key) for key in detail.get("would_raise", [])]
        row.trend = [
            {"label": _("Round %(n)s") % {"n": n}, "value": v} for n, v in history[practice.pk]
        ]
        values = [v for _n, v in history[practice.pk]]
        if score is not None:
            row.trend.append({"label": _("Now"), "value": score.combined})
            values.append(score.combined)
        row.trend_points = _trend_points(values)
        combined = score.combined if score is not None and score.combined is not None else 0
        row.bar = {
            "y": BAR_TOP + index * (BAR_HEIGHT + BAR_GAP),
            "width": max(combined / 100 * BAR_WIDTH, 0),
            "text_y": BAR_TOP + index * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT / 2,
        }
        rows.append(row)
    return rows


def _summary(rows: list[Row]) -> str:
    names = {row.practice.slug: row.practice.tr("name") for row in rows}
    lines = [
        explain.Line(
            practice=row.practice.slug,
            combined=row.score.combined if row.score else None,
            spread=row.score.spread if row.score else None,
            spread_between=(row.score.detail.get("spread_between") if row.score else None),
        )
        for row in rows
    ]
    return explain.summary(lines, names)


def _health_context(
    request: AuthenticatedHttpRequest,
    partnership: Partnership,
    *,
    open_form: RoundOpenForm | None = None,
) -> dict[str, Any]:
    user = request.user
    rows = _rows(partnership)
    open_round = partnership.survey_rounds.open().first()
    answered = (
        open_round is not None
        and SurveyResponse.objects.filter(round=open_round, respondent=user).exists()
    )
    values = partnership.values_versions.order_by("-number").first()
    return {
        **section_layout(request, partnership, "health"),
        "rows": rows,
        "summary": _summary(rows),
        "chart_height": BAR_TOP * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP),
        "chart_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
        "trend_width": TREND_WIDTH,
        "trend_height": TREND_HEIGHT,
        "open_round": open_round,
        "open_round_answers": open_round.responses.count() if open_round else 0,
        "answered": answered,
        "can_answer": open_round is not None and permissions.can_answer(user, open_round),
        "can_run": permissions.can_run_rounds(user, partnership),
        "open_form": open_form or RoundOpenForm(),
        "closed_rounds": partnership.survey_rounds.closed().order_by("-number")[:8],
        "values": values,
        "threshold": _threshold(),
    }


@require_safe
@login_required
def partnership_health(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _visible(request, pk)
    return render(request, "health/partnership_health.html", _health_context(request, partnership))


def _post_only() -> HttpResponse:
    response = HttpResponse(status=405)
    response["Allow"] = "POST"
    return response


@login_required
def round_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _visible(request, pk)
    if not permissions.can_run_rounds(request.user, partnership):
        raise PermissionDenied
    if request.method != "POST":
        return _post_only()
    form = bind(request, RoundOpenForm)
    return handle(
        request,
        form,
        lambda data: services.round_open(
            actor=request.user, partnership=partnership, closes_on=data["closes_on"]
        ),
        template="health/partnership_health.html",
        context=lambda _r: _health_context(request, partnership, open_form=form),
        success_url=reverse("health:partnership", args=[partnership.pk]),
        success_message=_("The survey round is open. Everyone in the partnership can answer now."),
    )


@login_required
def round_close(request: AuthenticatedHttpRequest, pk: int, round_pk: int) -> HttpResponse:
    partnership = _visible(request, pk)
    survey_round = get_object_or_404(SurveyRound, pk=round_pk, partnership=partnership)
    if not permissions.can_run_rounds(request.user, partnership):
        raise PermissionDenied
    if request.method != "POST":
        return _post_only()
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        lambda _data: services.round_close(actor=request.user, survey_round=survey_round),
        template="health/partnership_health.html",
        context=lambda _r: _health_context(request, partnership),
        success_url=reverse("health:partnership", args=[partnership.pk]),
        success_message=_("The round is closed and its scores are kept."),
    )


@login_required
@require_GET_or_POST
def survey(request: AuthenticatedHttpRequest, pk: int, round_pk: int) -> HttpResponse:
    partnership = _visible(request, pk)
    survey_round = get_object_or_404(SurveyRound, pk=round_pk, partnership=partnership)
    group = permissions.respondent_group(request.user, partnership)
    if group is None:
        raise Http404
    statements = services.statements_for(group)
    previous = SurveyResponse.objects.filter(round=survey_round, respondent=request.user).first()
    initial = (
        {r.statement_id: r.rating for r in previous.ratings.all()} if previous is not None else None
    )
    form = bind(
        request,
        SurveyForm,
        statements=statements,
        initial_ratings=initial,
        initial={"remark": previous.remark} if previous else None,
    )
    context = {
        "partnership": partnership,
        "survey_round": survey_round,
        "form": form,
        "answered": previous is not None,
        "group_label": Group(group).label,
    }
    if not survey_round.is_open:
        return render(request, "health/survey.html", context)
    return handle(
        request,
        form,
        lambda data: services.survey_answer(
            actor=request.user,
            survey_round=survey_round,
            ratings=form.ratings(),
            remark=data.get("remark", ""),
        ),
        template="health/survey.html",
        context=lambda _r: context,
        success_url=reverse("health:partnership", args=[partnership.pk]),
        success_message=_("Thank you. Your answers count only together with everyone else's."),
    )


def _values_context(
    request: AuthenticatedHttpRequest,
    partnership: Partnership,
    *,
    form: ValuesForm | None = None,
    agree_form: AgreeForm | None = None,
) -> dict[str, Any]:
    versions = list(
        partnership.values_versions.select_related("written_by").prefetch_related(
            "agreements__organization", "agreements__agreed_by"
        )
    )
    current = versions[0] if versions else None
    parties = {partnership.city_id, *partnership.partner_organization_ids()}
    agreed_now = {a.organization_id for a in current.agreements.all()} if current else set()
    mine = permissions.values_organizations(request.user, partnership)
    from accounts.models import Organization

    names = dict(Organization.objects.filter(pk__in=parties).values_list("pk", "name"))
    can_agree = [(pk, names[pk]) for pk in mine if pk not in agreed_now and pk in names]
    return {
        **section_layout(request, partnership, "health"),
        "versions": versions,
        "current": current,
        "waiting": sorted(names[pk] for pk in parties - agreed_now if pk in names),
        "form": form
        or ValuesForm(
            initial={
                "text": current.text if current else "",
                "based_on": current.number if current else 0,
            }
        ),
        "can_write": permissions.can_write_values(request.user, partnership),
        "agree_form": agree_form
        or (AgreeForm(organizations=can_agree) if current and can_agree else None),
    }


@login_required
@require_GET_or_POST
def values(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _visible(request, pk)
    if request.method == "POST" and not permissions.can_write_values(request.user, partnership):
        raise PermissionDenied
    form = bind(request, ValuesForm)
    return handle(
        request,
        form,
        lambda data: services.values_write(
            actor=request.user,
            partnership=partnership,
            text=data["text"],
            based_on=data["based_on"],
        ),
        template="health/values.html",
        context=lambda _r: _values_context(request, partnership, form=form),
        success_url=reverse("health:values", args=[partnership.pk]),
        success_message=lambda v: (
            _("Version %(n)s is saved. Each partner organization is asked to agree to it.")
            % {"n": v.number}
        ),
    )


@login_required
def values_agree(request: AuthenticatedHttpRequest, pk: int, version_pk: int) -> HttpResponse:
    partnership = _visible(request, pk)
    version = get_object_or_404(partnership.values_versions, pk=version_pk)
    mine = permissions.values_organizations(request.user, partnership)
    if not mine:
        raise PermissionDenied
    if request.method != "POST":
        return _post_only()
    from accounts.models import Organization

    choices = list(Organization.objects.filter(pk__in=mine).values_list("pk", "name"))
    form = bind(request, AgreeForm, organizations=choices)
    return handle(
        request,
        form,
        lambda data: services.values_agree(
            actor=request.user, version=version, organization_id=data["organization"]
        ),
        template="health/values.html",
        context=lambda _r: _values_context(request, partnership, agree_form=form),
        success_url=reverse("health:values", args=[partnership.pk]),
        success_message=_("Thank you: your organization agreed to these values."),
    )


@require_safe
@login_required
def portfolio(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The city's partnerships by practice health: the weakest practice of each, the
    distribution of bands per practice, and a filter for a concern in one practice."""
    if not partnership_perms.can_see_portfolio(request.user):
        raise Http404
    partnerships = Partnership.objects.of_user_cities(request.user).active()
    practices = list(Practice.objects.order_by("number"))
    concern = request.GET.get("concern", "")
    if concern and concern not in {p.slug for p in practices}:
        concern = ""
    scores = PracticeScore.objects.filter(partnership__in=partnerships)
    distribution = {
        row["practice_id"]: row
        for row in scores.values("practice_id").annotate(
            strength=Count("pk", filter=Q(band="strength")),
            discuss=Count("pk", filter=Q(band="discuss")),
            concern=Count("pk", filter=Q(band="concern")),
            unknown=Count("pk", filter=Q(band="")),
        )
    }
    listed = partnerships.order_by("title", "pk")
    if concern:
        listed = listed.filter(
            pk__in=scores.filter(practice__slug=concern, band="concern").values("partnership_id")
        )
    page = Paginator(listed.values("pk", "title"), settings.TANDEM_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ids = [row["pk"] for row in page.object_list]
    weakest: dict[int, PracticeScore] = {}
    for score in (
        PracticeScore.objects.filter(partnership_id__in=ids, combined__isnull=False)
        .select_related("practice")
        .order_by("partnership_id", "combined", "practice__number")
    ):
        weakest.setdefault(score.partnership_id, score)
    return render(
        request,
        "health/portfolio.html",
        {
            "practices": [(p, distribution.get(p.pk, {})) for p in practices],
            "page": page,
            "rows": [(row, weakest.get(row["pk"])) for row in page.object_list],
            "concern": concern,
        },
    )
