"""The partnership's people page (participants and their invitations) and the page where an
invited person accepts.

The people page is for those who may invite (``beneficiaries.permissions``): anyone who may
not see the partnership gets "not found", a participant gets "forbidden". The acceptance page
is reached with the invitation's token, the one secret it needs, by visitors too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from beneficiaries import permissions, personal_data, services
from beneficiaries.forms import (
    AccountDeleteForm,
    CodeForm,
    ConsentForm,
    ParticipantInvitationForm,
    PrintedInvitationForm,
    TrainingAttendanceForm,
    TrainingForm,
    WelcomeForm,
)
from beneficiaries.models import Consent, ParticipantInvitation, Training, TrainingSignup
from core.forms import apply_validation_error, attempt, bind, handle, require_GET_or_POST
from core.http import AuthenticatedHttpRequest, HtmxHttpRequest
from core.links import absolute_url
from partnerships import permissions as partnership_perms
from partnerships.models import Participant, Partnership

if TYPE_CHECKING:
    from accounts.models import User

PEOPLE_TEMPLATE = "beneficiaries/people.html"
# secrets.token_urlsafe's alphabet, at most as long as the column.
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _inviting_partnership(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    """Unknown to those who may not see it (404), forbidden to those who only read (403)."""
    partnership = partnership_perms.get_visible_partnership_or_404(request.user, pk)
    if not permissions.can_invite_participants(request.user, partnership):
        raise PermissionDenied
    return partnership


def _people_context(
    partnership: Partnership,
    *,
    invite_form: ParticipantInvitationForm | None = None,
    print_form: PrintedInvitationForm | None = None,
    action_error: str = "",
) -> dict[str, Any]:
    participants = list(partnership.participants.select_related("user", "invited_by"))
    for participant in participants:
        participant.printable_sign_in = services.can_print_sign_in_code(participant)  # type: ignore[attr-defined]
    return {
        "partnership": partnership,
        "participants": participants,
        "invitations": partnership.participant_invitations.pending().select_related("invited_by"),
        "printed_codes": partnership.participant_invitations.printed_codes_in_use().select_related(
            "accepted_by", "sign_in_for"
        ),
        "invite_form": invite_form or ParticipantInvitationForm(),
        "print_form": print_form or PrintedInvitationForm(),
        "action_error": action_error,
    }


@login_required
@require_GET_or_POST
def people(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _inviting_partnership(request, pk)
    form = bind(request, ParticipantInvitationForm)
    url = reverse("beneficiaries:people", args=[partnership.pk])
    return handle(
        request,
        form,
        lambda data: services.participant_invitation_send(
            actor=request.user, partnership=partnership, **data
        ),
        template=PEOPLE_TEMPLATE,
        context=lambda _result: _people_context(partnership, invite_form=form),
        success_url=url,
        success_message=lambda invitation: (
            _("Invitation sent to %(email)s.") % {"email": invitation.email}
        ),
    )


@login_required
def invitation_revoke(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    partnership = _inviting_partnership(request, pk)
    invitation = get_object_or_404(ParticipantInvitation, pk=invitation_pk, partnership=partnership)
    # Checked after the permission check, so a 405 never confirms that something exists.
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        lambda _data: services.participant_invitation_revoke(
            actor=request.user, invitation=invitation
        ),
        template=PEOPLE_TEMPLATE,
        context=lambda _result: _people_context(
            partnership, action_error=" ".join(str(m) for m in form.non_field_errors())
        ),
        success_url=reverse("beneficiaries:people", args=[partnership.pk]),
        success_message=_("The invitation was withdrawn."),
    )


@require_GET_or_POST
def invitation_accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    if not TOKEN.fullmatch(token):
        # Not a token we could have made; PostgreSQL would refuse one with a NUL byte.
        raise Http404
    invitation = get_object_or_404(
        ParticipantInvitation.objects.select_related(
            "partnership", "partnership__city", "invited_by"
        ),
        token=token,
    )
    here = reverse("beneficiaries:invitation_accept", kwargs={"token": token})
    if not request.user.is_authenticated:
        from django.contrib.auth import get_user_model

        newcomer = not get_user_model().objects.filter(email__iexact=invitation.email).exists()
        if request.method == "POST" and not newcomer:
            return redirect_to_login(here)
        welcome = bind(request, WelcomeForm)
        if request.method == "POST":
            # No account yet: the link reached this mailbox, so it signs its person in once.
            ok, participant = attempt(
                welcome,
                lambda data: services.participant_invitation_accept_newcomer(
                    token=token, name=data["name"]
                ),
            )
            if ok and participant is not None:
                _sign_in(request, participant.user)
                messages.success(
                    request,
                    _("Welcome to %(partnership)s.")
                    % {"partnership": participant.partnership.title},
                )
                return redirect(
                    reverse("beneficiaries:consent")
                    + "?"
                    + urlencode(
                        {"next": reverse("partnerships:detail", args=[participant.partnership_id])}
                    )
                )
        problem = services.participant_invitation_state_problem(invitation)
        if problem is None:
            # Whoever opened the link received it at this address: signing up with it needs
            # no second confirmation (allauth's verified-e-mail stash).
            get_adapter(request).stash_verified_email(request, invitation.email)
        context = {
            "invitation": invitation,
            "problem": problem or " ".join(str(m) for m in welcome.non_field_errors()),
            "newcomer": newcomer,
            "form": welcome,
            "signup_url": reverse("account_signup")
            + "?"
            + urlencode({"email": invitation.email, "next": here}),
            "login_url": reverse("account_login") + "?" + urlencode({"next": here}),
        }
        status = 400 if request.method == "POST" else 200
        return render(request, "beneficiaries/invitation_accept.html", context, status=status)
    signed_in: AuthenticatedHttpRequest = request  # type: ignore[assignment]
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        # The service checks again what the page shows as the problem, if any.
        lambda _data: services.participant_invitation_accept(user=signed_in.user, token=token),
        template="beneficiaries/invitation_accept.html",
        context=lambda _result: {
            "invitation": invitation,
            "problem": " ".join(str(m) for m in form.non_field_errors())
            or services.participant_invitation_problem(user=signed_in.user, invitation=invitation),
        },
        success_url=lambda participant: reverse(
            "partnerships:detail", args=[participant.partnership_id]
        ),
        success_message=lambda participant: (
            _("Welcome to %(partnership)s.") % {"partnership": participant.partnership.title}
        ),
    )


# --- Printed invitations -----------------------------------------------------------------

JOIN_SESSION_KEY = "beneficiaries_printed_invitation"


def _qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG, drawn by the qrcode library (no script, no image
    request): a phone's camera opens the join page with the code filled in."""
    import qrcode  # type: ignore[import-untyped]
    import qrcode.image.svg  # type: ignore[import-untyped]

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    svg: str = image.to_string(encoding="unicode")
    return svg


@login_required
def invitation_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _inviting_partnership(request, pk)
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    form = bind(request, PrintedInvitationForm)
    return handle(
        request,
        form,
        lambda data: services.participant_invitation_print(
            actor=request.user, partnership=partnership, **data
        ),
        template=PEOPLE_TEMPLATE,
        context=lambda _result: _people_context(partnership, print_form=form),
        success_url=lambda invitation: reverse(
            "beneficiaries:invitation_printable", args=[partnership.pk, invitation.pk]
        ),
    )


@login_required
def sign_in_code_print(
    request: AuthenticatedHttpRequest, pk: int, participant_pk: int
) -> HttpResponse:
    partnership = _inviting_partnership(request, pk)
    participant = get_object_or_404(
        Participant.objects.select_related("user", "partnership"),
        pk=participant_pk,
        partnership=partnership,
    )
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        lambda _data: services.sign_in_code_print(actor=request.user, participant=participant),
        template=PEOPLE_TEMPLATE,
        context=lambda _result: _people_context(
            partnership, action_error=" ".join(str(m) for m in form.non_field_errors())
        ),
        success_url=lambda code: reverse(
            "beneficiaries:invitation_printable", args=[partnership.pk, code.pk]
        ),
    )


@require_safe
@login_required
def invitation_printable(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    """The page made for paper: the code, the QR code, and how to use them."""
    partnership = _inviting_partnership(request, pk)
    invitation = get_object_or_404(
        ParticipantInvitation.objects.select_related("partnership", "partnership__city"),
        pk=invitation_pk,
        partnership=partnership,
        kind=ParticipantInvitation.Kind.PRINTED,
    )
    join_url = absolute_url(
        reverse("beneficiaries:join") + "?" + urlencode({"code": invitation.code_display})
    )
    return render(
        request,
        "beneficiaries/invitation_printable.html",
        {
            "partnership": partnership,
            "invitation": invitation,
            "usable": invitation.is_usable(),
            "join_url": join_url,
            "join_page": absolute_url(reverse("join")),
            "qr_svg": mark_safe(_qr_svg(join_url)),  # noqa: S308 - drawn by qrcode, no input of ours
        },
    )


def _sign_in(request: HttpRequest, user: User) -> None:
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")


@require_safe
def join_short(request: HttpRequest) -> HttpResponse:
    """The short address printed on paper invitations (``/join/``), easy to type."""
    target = reverse("beneficiaries:join")
    if request.GET.get("code"):
        target += "?" + urlencode({"code": request.GET["code"][:20]})
    return redirect(target)


@require_GET_or_POST
def join(request: HtmxHttpRequest) -> HttpResponse:
    """Type the code of a printed invitation: it opens the invitation, or signs in again."""
    if request.method == "POST":
        form = CodeForm(request.POST)
        if not ratelimit.consume(request, action="printed_code"):
            form.is_valid()
            form.add_error(None, _("Too many tries. Wait a few minutes, then try again."))
            return render(request, "beneficiaries/join.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                answer = services.printed_code_lookup(typed=form.cleaned_data["code"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if answer.sign_in is not None:
                    _sign_in(request, answer.sign_in)
                    messages.success(request, _("Welcome back."))
                    return redirect("partnerships:my")
                request.session[JOIN_SESSION_KEY] = answer.invitation.pk
                return redirect("beneficiaries:join_welcome")
        return render(request, "beneficiaries/join.html", {"form": form}, status=400)
    form = CodeForm(initial={"code": request.GET.get("code", "")[:20]})
    return render(request, "beneficiaries/join.html", {"form": form})


@require_GET_or_POST
def join_welcome(request: HtmxHttpRequest) -> HttpResponse:
    """The printed invitation the code opened: accept it, signed in or as someone new."""
    invitation_id = request.session.get(JOIN_SESSION_KEY)
    invitation = (
        ParticipantInvitation.objects.select_related(
            "partnership", "partnership__city", "invited_by"
        )
        .filter(pk=invitation_id, kind=ParticipantInvitation.Kind.PRINTED, sign_in_for=None)
        .first()
        if isinstance(invitation_id, int)
        else None
    )
    if invitation is None:
        return redirect("beneficiaries:join")
    form = bind(request, WelcomeForm)
    signed_in: User | None = request.user if request.user.is_authenticated else None

    def accept(data: dict[str, Any]) -> Participant:
        participant = services.printed_invitation_accept(
            invitation_id=invitation.pk,
            user=signed_in,
            name=data["name"],
        )
        if signed_in is None:
            _sign_in(request, participant.user)
        request.session.pop(JOIN_SESSION_KEY, None)
        return participant

    return handle(
        request,
        form,
        accept,
        template="beneficiaries/join_welcome.html",
        context=lambda _result: {
            "invitation": invitation,
            "form": form,
            "problem": services.participant_invitation_state_problem(invitation),
        },
        success_url=lambda participant: (
            reverse("beneficiaries:consent")
            + "?"
            + urlencode({"next": reverse("partnerships:detail", args=[participant.partnership_id])})
        ),
        success_message=lambda participant: (
            _("Welcome to %(partnership)s.") % {"partnership": participant.partnership.title}
        ),
    )


# --- Consent, one's data, leaving -----------------------------------------------------------


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_GET_or_POST
def consent(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = bind(request, ConsentForm)
    after = _safe_next(request, reverse("partnerships:my"))
    current = Consent.objects.current().filter(user=request.user).first()
    return handle(
        request,
        form,
        lambda _data: services.consent_give(actor=request.user),
        template="beneficiaries/consent.html",
        context=lambda _result: {
            "form": form,
            "current": current,
            "next": after,
            "withdrawn": Consent.objects.filter(user=request.user, withdrawn_at__isnull=False)
            .order_by("-withdrawn_at")
            .first(),
        },
        success_url=after,
        success_message=_("Thank you. You can change your mind at any time on this page."),
    )


@login_required
def consent_withdraw(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        lambda _data: services.consent_withdraw(actor=request.user),
        template="beneficiaries/consent.html",
        context=lambda _result: {"form": ConsentForm(), "current": None, "next": ""},
        success_url=reverse("beneficiaries:my_data"),
        success_message=_(
            "You withdrew your consent. The partnerships' pages are closed to you until you "
            "agree again. Your account stays until you delete it."
        ),
    )


@require_safe
@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "beneficiaries/my_data.html",
        {
            "current": Consent.objects.current().filter(user=request.user).first(),
            "participations": request.user.participations.select_related("partnership"),
            "has_email": services.has_real_email(request.user),
        },
    )


@require_safe
@login_required
def data_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One JSON file with everything stored about the person (``beneficiaries.personal_data``)."""
    data = personal_data.export(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="tandem-my-data-{stamp}.json"'
    return response


@login_required
@require_GET_or_POST
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = bind(request, AccountDeleteForm)
    problem = services.account_delete_problem(request.user)
    if request.method == "POST" and problem is None:
        ok, _result = attempt(
            form,
            lambda data: services.account_delete(
                actor=request.user, delete_authored=data["delete_authored"]
            ),
        )
        if ok:
            auth_logout(request)
            messages.success(request, _("Your account was deleted. Thank you for taking part."))
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "beneficiaries/account_delete.html",
        {"form": form, "problem": problem},
        status=status,
    )


# --- Trainings ------------------------------------------------------------------------------


def _training_partnership(request: AuthenticatedHttpRequest, pk: int) -> Partnership:
    partnership = partnership_perms.get_visible_partnership_or_404(request.user, pk)
    if not permissions.can_see_trainings(request.user, partnership):
        raise Http404
    return partnership


def _training(partnership: Partnership, training_pk: int) -> Training:
    return get_object_or_404(
        Training.objects.select_related("partnership", "partnership__city"),
        pk=training_pk,
        partnership=partnership,
    )


@require_safe
@login_required
def trainings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _training_partnership(request, pk)
    listed = (
        partnership.trainings.filter(cancelled_at__isnull=True)
        .with_signups()
        .order_by("-starts_at")
    )
    page = Paginator(listed, 20).get_page(request.GET.get("page"))
    mine = set(
        TrainingSignup.objects.filter(
            user=request.user, training__partnership=partnership
        ).values_list("training_id", flat=True)
    )
    return render(
        request,
        "beneficiaries/training_list.html",
        {
            "partnership": partnership,
            "page": page,
            "mine": mine,
            "now": timezone.now(),
            "can_schedule": permissions.can_schedule_trainings(request.user, partnership),
        },
    )


@login_required
@require_GET_or_POST
def training_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _training_partnership(request, pk)
    if not permissions.can_schedule_trainings(request.user, partnership):
        raise PermissionDenied
    form = bind(request, TrainingForm)
    return handle(
        request,
        form,
        lambda data: services.training_schedule(
            actor=request.user,
            partnership=partnership,
            topic=data["topic"],
            own_topic=data["own_topic"],
            starts_at=data["starts_at"],
            place=data["place"],
            capacity=data["capacity"],
        ),
        template="beneficiaries/training_form.html",
        context=lambda _result: {"partnership": partnership, "form": form},
        success_url=lambda training: reverse(
            "beneficiaries:training_detail", args=[partnership.pk, training.pk]
        ),
        success_message=_("The training is scheduled."),
    )


def _training_context(
    request: AuthenticatedHttpRequest,
    training: Training,
    *,
    attendance_form: TrainingAttendanceForm | None = None,
    action_error: str = "",
) -> dict[str, Any]:
    partnership = training.partnership
    signups = list(training.signups.select_related("user"))
    is_partner = permissions.can_schedule_trainings(request.user, partnership)
    return {
        "partnership": partnership,
        "training": training,
        "signups": signups if is_partner else [],
        "taken": len(signups),
        "left": max(training.capacity - len(signups), 0),
        "mine": any(s.user_id == request.user.pk for s in signups),
        "can_sign_up": permissions.can_sign_up_for_trainings(request.user, partnership),
        "is_partner": is_partner,
        "started": training.starts_at <= timezone.now(),
        "attendance_form": attendance_form
        or (TrainingAttendanceForm(signups=signups) if is_partner else None),
        "action_error": action_error,
    }


@require_safe
@login_required
def training_detail(request: AuthenticatedHttpRequest, pk: int, training_pk: int) -> HttpResponse:
    partnership = _training_partnership(request, pk)
    training = _training(partnership, training_pk)
    return render(
        request, "beneficiaries/training_detail.html", _training_context(request, training)
    )


def _training_action(
    request: AuthenticatedHttpRequest,
    pk: int,
    training_pk: int,
    allowed: Callable[[User, Partnership], bool],
    action: Callable[[Training], object],
    message: str,
) -> HttpResponse:
    partnership = _training_partnership(request, pk)
    training = _training(partnership, training_pk)
    if not allowed(request.user, partnership):
        raise PermissionDenied
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        lambda _data: action(training),
        template="beneficiaries/training_detail.html",
        context=lambda _result: _training_context(
            request, training, action_error=" ".join(str(m) for m in form.non_field_errors())
        ),
        success_url=reverse("beneficiaries:training_detail", args=[partnership.pk, training.pk]),
        success_message=message,
    )


@login_required
def training_signup(request: AuthenticatedHttpRequest, pk: int, training_pk: int) -> HttpResponse:
    return _training_action(
        request,
        pk,
        training_pk,
        permissions.can_sign_up_for_trainings,
        lambda training: services.training_signup(actor=request.user, training=training),
        _("You have a place. See you there."),
    )


@login_required
def training_cancel(request: AuthenticatedHttpRequest, pk: int, training_pk: int) -> HttpResponse:
    return _training_action(
        request,
        pk,
        training_pk,
        permissions.can_sign_up_for_trainings,
        lambda training: services.training_signup_cancel(actor=request.user, training=training),
        _("You gave up your place."),
    )


@login_required
def training_attendance(
    request: AuthenticatedHttpRequest, pk: int, training_pk: int
) -> HttpResponse:
    partnership = _training_partnership(request, pk)
    training = _training(partnership, training_pk)
    if not permissions.can_schedule_trainings(request.user, partnership):
        raise PermissionDenied
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    signups = list(training.signups.select_related("user"))
    form = TrainingAttendanceForm(request.POST, signups=signups)
    return handle(
        request,
        form,
        lambda data: services.training_attendance_record(
            actor=request.user, training=training, attended=data["attended"]
        ),
        template="beneficiaries/training_detail.html",
        context=lambda _result: _training_context(request, training, attendance_form=form),
        success_url=reverse("beneficiaries:training_detail", args=[partnership.pk, training.pk]),
        success_message=_("Attendance recorded."),
    )
