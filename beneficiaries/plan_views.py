"""The plan in plain words, its comments ("you said, we did"), voices gathered offline,
moderation, and which beneficiaries took part in a check-in.

Everyone of the partnership reads the plan and comments; anyone else gets "not found", and
so does a comment of another partnership or a hidden one (to all but moderators and its
author). What a person may do is decided here, once, and handed to the templates as ``can``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from accounts.models import Organization
from beneficiaries import permissions, services
from beneficiaries.forms import (
    AnswerForm,
    AttendanceForm,
    CommentEditForm,
    CommentForm,
    ModerationForm,
    ReportForm,
    VoiceForm,
)
from beneficiaries.models import Comment, CommentQuerySet, CommentReport
from core.forms import bind, handle, require_GET_or_POST
from core.http import AuthenticatedHttpRequest
from partnerships import permissions as partnership_perms
from partnerships.models import CheckIn, Partnership, PlanSection, PlanVersion

# --- Shared helpers -------------------------------------------------------------------------


def _partnership(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    return partnership_perms.get_visible_partnership_or_404(request.user, pk)


def _can(request: AuthenticatedHttpRequest, partnership: Partnership) -> dict[str, bool]:
    user = request.user
    return {
        "moderate": permissions.can_moderate(user, partnership),
        "answer": permissions.can_answer(user, partnership),
        "record_voices": permissions.can_record_voices(user, partnership),
    }


def _comments(request: AuthenticatedHttpRequest, partnership: Partnership) -> CommentQuerySet:
    """The partnership's comments as this person may read them."""
    moderator = permissions.can_moderate(request.user, partnership)
    return Comment.objects.of_partnership(partnership).shown(request.user, moderator=moderator)


def _with_thread(
    request: AuthenticatedHttpRequest, comments: CommentQuerySet, partnership: Partnership
) -> CommentQuerySet:
    replies = _comments(request, partnership).select_related("author").order_by("created_at", "pk")
    return comments.select_related(
        "author",
        "recorded_for",
        "section__version",
        "answer__answered_by",
        "answer__changed_version",
    ).prefetch_related(Prefetch("replies", queryset=replies))


def _comment(
    request: AuthenticatedHttpRequest, partnership: Partnership, comment_pk: int
) -> Comment:
    return get_object_or_404(
        _comments(request, partnership).select_related(
            "author", "recorded_for", "section__version", "partnership"
        ),
        pk=comment_pk,
    )


def _page(request: AuthenticatedHttpRequest, queryset: QuerySet[Any], name: str = "page") -> Page:
    return Paginator(queryset, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get(name))


def _wait(value: timedelta | None) -> str:
    """A median time to an answer, in the reader's words."""
    if value is None:
        return ""
    hours = int(value.total_seconds() // 3600)
    if hours < 48:
        hours = max(hours, 1)
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = hours // 24
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _figures(partnership: Partnership) -> dict[str, Any]:
    figures = Comment.objects.of_partnership(partnership).answer_figures()
    return {
        "comments": figures.comments,
        "answered": figures.answered,
        "share": figures.share_answered,
        "median_wait": _wait(figures.median_wait),
    }


def _latest(partnership: Partnership) -> PlanVersion | None:
    return partnership.plan_versions.order_by("-number").first()


def _base(request: AuthenticatedHttpRequest, partnership: Partnership) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "can": _can(request, partnership),
        "latest": _latest(partnership),
    }


def _decide[C: Iterable[Comment]](request: AuthenticatedHttpRequest, comments: C) -> C:
    """What the reader may do with each comment and its replies, for the template to show."""
    now = timezone.now()
    for comment in comments:
        for item in [comment, *comment.replies.all()]:
            item.may_edit = permissions.can_edit_comment(request.user, item, now=now)  # type: ignore[attr-defined]
            item.may_report = permissions.can_report(request.user, item)  # type: ignore[attr-defined]
    return comments


# --- The plan in plain words -------------------------------------------------------------


def _plan_context(
    request: AuthenticatedHttpRequest, partnership: Partnership, number: int | None
) -> dict[str, Any]:
    versions = list(partnership.plan_versions.select_related("published_by"))
    if number is None:
        version = versions[0] if versions else None
    else:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            raise Http404
    sections = list(version.sections.all()) if version else []
    counts = {
        row["heading"]: row
        for row in _comments(request, partnership)
        .top_level()
        .annotate(heading=Lower("section__heading"))
        .values("heading")
        .annotate(
            open=Count("pk", filter=Q(answer__isnull=True)),
            answered=Count("pk", filter=Q(answer__isnull=False)),
        )
    }
    for section in sections:
        row = counts.get(section.heading.lower())
        section.open_count = row["open"] if row else 0  # type: ignore[attr-defined]
        section.answered_count = row["answered"] if row else 0  # type: ignore[attr-defined]
    return {
        **_base(request, partnership),
        "versions": versions,
        "version": version,
        "sections": sections,
        "figures": _figures(partnership),
    }


@require_safe
@login_required
def plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    return render(request, "beneficiaries/plan.html", _plan_context(request, partnership, None))


@require_safe
@login_required
def plan_version(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    return render(request, "beneficiaries/plan.html", _plan_context(request, partnership, number))


@require_safe
@login_required
def plan_print(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    context = _plan_context(request, partnership, number)
    answered = (
        Comment.objects.of_partnership(partnership)
        .top_level()
        .filter(hidden_at__isnull=True, answer__isnull=False)
        .select_related("answer", "section", "author", "recorded_for")
        .order_by("-answer__answered_at")[:12]
    )
    context["answered"] = answered
    return render(request, "beneficiaries/plan_print.html", context)


# --- A section and its comments --------------------------------------------------------------


def _section(partnership: Partnership, section_pk: int) -> PlanSection:
    return get_object_or_404(
        PlanSection.objects.select_related("version"),
        pk=section_pk,
        version__partnership=partnership,
    )


def _section_context(
    request: AuthenticatedHttpRequest,
    partnership: Partnership,
    section: PlanSection,
    form: CommentForm | None,
) -> dict[str, Any]:
    base = _base(request, partnership)
    latest = base["latest"]
    thread = _with_thread(
        request,
        _comments(request, partnership).top_level().on_heading(section.heading),
        partnership,
    )
    current = latest is not None and latest.pk == section.version_id
    return {
        **base,
        "section": section,
        "is_current": current,
        "open": _decide(request, _page(request, thread.filter(answer__isnull=True), "open")),
        "answered": _decide(
            request,
            _page(
                request,
                thread.filter(answer__isnull=False).order_by("-answer__answered_at"),
                "done",
            ),
        ),
        "form": (form or CommentForm()) if current else None,
        "figures": _figures(partnership),
    }


@login_required
@require_GET_or_POST
def section(request: AuthenticatedHttpRequest, pk: int, section_pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    plan_section = _section(partnership, section_pk)
    form = bind(request, CommentForm)
    url = reverse("beneficiaries:section", args=[partnership.pk, plan_section.pk])
    return handle(
        request,
        form,
        lambda data: services.comment_post(
            actor=request.user, section=plan_section, body=data["body"]
        ),
        template="beneficiaries/section.html",
        context=lambda _result: _section_context(request, partnership, plan_section, form),
        success_url=lambda comment: f"{url}#comment-{comment.pk}",
        success_message=_("Thank you: your comment is posted. The partners will answer it."),
    )


@login_required
@require_GET_or_POST
def comment_reply(request: AuthenticatedHttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    comment = _comment(request, partnership, comment_pk)
    if comment.parent_id is not None:
        raise Http404
    form = bind(request, CommentForm)
    section_url = reverse("beneficiaries:section", args=[partnership.pk, comment.section_id])
    return handle(
        request,
        form,
        lambda data: services.comment_post(
            actor=request.user, section=comment.section, body=data["body"], parent=comment
        ),
        template="beneficiaries/comment_reply.html",
        context=lambda _result: {
            **_base(request, partnership),
            "comment": _decide(
                request,
                list(
                    _with_thread(
                        request, _comments(request, partnership).filter(pk=comment.pk), partnership
                    )
                ),
            )[0],
            "form": form,
            "section_url": section_url,
        },
        success_url=lambda reply: f"{section_url}#comment-{comment.pk}",
        success_message=_("Your reply is posted."),
    )


@login_required
@require_GET_or_POST
def comment_edit(request: AuthenticatedHttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    comment = _comment(request, partnership, comment_pk)
    if not permissions.can_edit_comment(request.user, comment, now=timezone.now()):
        raise PermissionDenied
    form = bind(
        request,
        CommentEditForm,
        initial={"body": comment.body, "expected_version": comment.version},
    )
    section_url = reverse("beneficiaries:section", args=[partnership.pk, comment.section_id])
    return handle(
        request,
        form,
        lambda data: services.comment_edit(actor=request.user, comment=comment, **data),
        template="beneficiaries/comment_form.html",
        context=lambda _result: {
            **_base(request, partnership),
            "comment": comment,
            "form": form,
            "title": _("Correct your comment"),
            "submit": _("Save the correction"),
            "cancel_url": section_url,
        },
        success_url=f"{section_url}#comment-{comment.pk}",
        success_message=_("Your comment is corrected."),
    )


@login_required
@require_GET_or_POST
def comment_report(request: AuthenticatedHttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    comment = _comment(request, partnership, comment_pk)
    if not permissions.can_report(request.user, comment):
        raise PermissionDenied
    form = bind(request, ReportForm)
    section_url = reverse("beneficiaries:section", args=[partnership.pk, comment.section_id])
    already = CommentReport.objects.filter(comment=comment, reporter=request.user).exists()
    return handle(
        request,
        form,
        lambda data: services.comment_report(actor=request.user, comment=comment, **data),
        template="beneficiaries/comment_form.html",
        context=lambda _result: {
            **_base(request, partnership),
            "comment": comment,
            "form": None if already else form,
            "already_reported": already,
            "title": _("Report a comment"),
            "intro": _(
                "A moderator of the partnership looks at every report. Nobody else learns "
                "that you reported it. When three people report a comment, it is hidden "
                "until a moderator decides."
            ),
            "submit": _("Send the report"),
            "cancel_url": section_url,
        },
        success_url=section_url,
        success_message=_("Thank you. A moderator will look at the comment."),
    )


@login_required
@require_GET_or_POST
def comment_moderate(request: AuthenticatedHttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    if not permissions.can_moderate(request.user, partnership):
        raise PermissionDenied
    comment = _comment(request, partnership, comment_pk)
    form = bind(
        request,
        ModerationForm,
        initial={"decision": "restore" if comment.is_hidden else "hide"},
    )
    reports = (
        comment.reports.values("reason").annotate(count=Count("pk")).order_by("-count", "reason")
    )
    labels = dict(CommentReport.Reason.choices)
    return handle(
        request,
        form,
        lambda data: services.comment_moderate(actor=request.user, comment=comment, **data),
        template="beneficiaries/comment_form.html",
        context=lambda _result: {
            **_base(request, partnership),
            "comment": comment,
            "form": form,
            "reports": [{"label": labels.get(r["reason"], r["reason"]), **r} for r in reports],
            "title": _("Moderate a comment"),
            "submit": _("Save the decision"),
            "cancel_url": reverse("beneficiaries:moderation", args=[partnership.pk]),
        },
        success_url=reverse("beneficiaries:moderation", args=[partnership.pk]),
        success_message=lambda c: (
            _("The comment is hidden.") if c.is_hidden else _("The comment is shown again.")
        ),
    )


@login_required
@require_GET_or_POST
def comment_answer(request: AuthenticatedHttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    if not permissions.can_answer(request.user, partnership):
        raise PermissionDenied
    comment = _comment(request, partnership, comment_pk)
    if comment.parent_id is not None:
        raise Http404
    answered = hasattr(comment, "answer")
    form = bind(request, AnswerForm, comment=comment)
    section_url = reverse("beneficiaries:section", args=[partnership.pk, comment.section_id])
    return handle(
        request,
        form,
        lambda data: services.comment_answer(actor=request.user, comment=comment, **data),
        template="beneficiaries/comment_form.html",
        context=lambda _result: {
            **_base(request, partnership),
            "comment": comment,
            "form": None if answered else form,
            "title": _("Answer a comment"),
            "intro": _(
                "You said, we did: tell the person what the partners did with it. If it "
                "changed the plan, choose the version that changed."
            ),
            "submit": _("Send the answer"),
            "cancel_url": section_url,
        },
        success_url=f"{section_url}#comment-{comment.pk}",
        success_message=_("The answer is sent. The person who wrote the comment is told."),
    )


# --- Voices gathered offline, moderation, one's own comments ------------------------------------


@login_required
@require_GET_or_POST
def voice_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    if not permissions.can_record_voices(request.user, partnership):
        raise PermissionDenied
    latest = _latest(partnership)
    sections = PlanSection.objects.filter(version=latest) if latest else PlanSection.objects.none()
    organizations = partnership_perms.organizations_for(request.user, partnership)
    form = bind(
        request,
        VoiceForm,
        sections=sections,
        organizations=Organization.objects.filter(pk__in=organizations).order_by("name"),
        initial={"spoken_on": timezone.localdate()},
    )
    return handle(
        request,
        form,
        lambda data: services.voice_record(actor=request.user, **data),
        template="beneficiaries/voice_form.html",
        context=lambda _result: {**_base(request, partnership), "form": form, "latest": latest},
        success_url=lambda voice: (
            reverse("beneficiaries:section", args=[partnership.pk, voice.section_id])
            + f"#comment-{voice.pk}"
        ),
        success_message=_("What the residents said is recorded beside the comments."),
    )


@require_safe
@login_required
def moderation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    if not permissions.can_moderate(request.user, partnership):
        raise PermissionDenied
    queue = _with_thread(
        request,
        Comment.objects.of_partnership(partnership)
        .filter(Q(report_count__gt=0) | Q(hidden_at__isnull=False))
        .select_related("moderated_by")
        .order_by("-hidden_at", "-report_count", "-created_at"),
        partnership,
    )
    return render(
        request,
        "beneficiaries/moderation.html",
        {**_base(request, partnership), "queue": _decide(request, _page(request, queue))},
    )


@require_safe
@login_required
def my_comments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    mine = _with_thread(
        request,
        Comment.objects.of_partnership(partnership)
        .filter(author=request.user)
        .order_by("-created_at", "-pk"),
        partnership,
    )
    return render(
        request,
        "beneficiaries/my_comments.html",
        {**_base(request, partnership), "mine": _decide(request, _page(request, mine))},
    )


# --- Check-ins: which beneficiaries took part ----------------------------------------------------


@login_required
@require_GET_or_POST
def checkin_attendance(request: AuthenticatedHttpRequest, pk: int, checkin_pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    if not permissions.can_record_attendance(request.user, partnership):
        raise PermissionDenied
    checkin = get_object_or_404(CheckIn, pk=checkin_pk, partnership=partnership)
    form = bind(request, AttendanceForm, checkin=checkin)
    return handle(
        request,
        form,
        lambda data: services.checkin_attendance_record(
            actor=request.user, checkin=checkin, participants=data["participants"]
        ),
        template="beneficiaries/checkin_attendance.html",
        context=lambda _result: {**_base(request, partnership), "checkin": checkin, "form": form},
        success_url=reverse("partnerships:checkins", args=[partnership.pk]),
        success_message=_("Saved: who of the beneficiaries took part."),
    )
