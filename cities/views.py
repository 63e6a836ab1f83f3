"""The city's own playbook: public pages (cities, their published statements, public
partnership summaries) and the private ones (inbox, register, draft, checklists, networks).

A city's private pages answer "not found" to anyone who is not its staff; the public ones
show an approved city only.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Organization, User
from cities import permissions as perms
from cities import services
from cities.diff import changed, text_diff
from cities.forms import (
    ChecklistItemForm,
    CityStoryForm,
    CommentForm,
    ContactForm,
    EndorseForm,
    ExperienceEditForm,
    ExperienceForm,
    IntroductionForm,
    IntroductionStatusForm,
    NetworkMemberForm,
    NoteForm,
    OfferForm,
    OpenPartnershipForm,
    PublishForm,
    SectionForm,
    StatementInviteForm,
)
from cities.models import (
    ChecklistItem,
    Endorsement,
    Experience,
    Introduction,
    NetworkMember,
    Offer,
    PointOfContact,
    Statement,
    StatementComment,
    StatementSection,
    StatementVersion,
)
from core.forms import bind, handle, require_GET_or_POST
from core.http import AuthenticatedHttpRequest, HtmxHttpRequest
from partnerships.models import Partnership
from playbook.models import GettingStartedStep

PAGE = settings.TANDEM_PAGE_SIZE


def _page(request: HtmxHttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE).get_page(request.GET.get("page"))


def _city(slug: str) -> Organization:
    return get_object_or_404(Organization.objects.cities(), slug=slug)


def _staff_city(request: AuthenticatedHttpRequest, slug: str) -> Organization:
    city = _city(slug)
    if not perms.is_city_staff(request.user, city):
        raise Http404
    return city


def _member_organization(request: AuthenticatedHttpRequest, slug: str) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    if organization.pk not in request.user.organization_ids():
        raise Http404
    return organization


def _published_statement(city: Organization) -> Statement | None:
    return Statement.objects.filter(city=city, versions__isnull=False).distinct().first()


def _endorsers(statement: Statement | None) -> list[Endorsement]:
    if statement is None:
        return []
    return list(statement.endorsements.select_related("organization"))


# --- Public pages ---------------------------------------------------------------------------


@require_safe
def city_list(request: HtmxHttpRequest) -> HttpResponse:
    cities = (
        Organization.objects.cities()
        .listed()
        .select_related("statement")
        .only("name", "slug", "country", "statement__id")
    )
    return render(request, "cities/city_list.html", {"page_obj": _page(request, cities)})


@require_safe
def city_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    # Every predicate asks is_authenticated first: a visitor is no city's staff.
    user = cast("User", request.user)
    if not perms.can_see_city_page(user, city):
        raise Http404
    statement = _published_statement(city)
    version = statement.latest_version() if statement else None
    contact = PointOfContact.objects.filter(city=city).select_related("person").first()
    context = {
        "city": city,
        "contact": contact,
        "statement": statement,
        "version": version,
        "version_sections": [
            (label, version.sections.get(key, "")) for key, label in StatementSection.Key.choices
        ]
        if version
        else [],
        "endorsements": _endorsers(statement),
        "stories": city.city_stories.prefetch_related("practices"),
        "public_partnerships": Partnership.objects.public_summaries()
        .filter(city=city)
        .select_related("lead")
        .order_by("title")[:PAGE],
        "is_staff": perms.is_city_staff(user, city),
        "is_admin": perms.is_city_admin(user, city),
        "can_introduce": user.is_authenticated
        and any(
            not o.is_city and not o.is_declined
            for o in Organization.objects.filter(pk__in=user.organization_ids())
        ),
    }
    return render(request, "cities/city_detail.html", context)


@require_safe
def statement_version(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    city = _city(slug)
    if not perms.can_see_city_page(cast("User", request.user), city):
        raise Http404
    version = get_object_or_404(
        StatementVersion.objects.select_related("statement"), statement__city=city, number=number
    )
    previous = (
        StatementVersion.objects.filter(statement=version.statement, number__lt=number)
        .order_by("-number")
        .first()
    )
    sections = []
    for key, label in StatementSection.Key.choices:
        text = version.sections.get(key, "")
        pieces = text_diff(previous.sections.get(key, ""), text) if previous else []
        sections.append(
            {"key": key, "label": label, "text": text, "diff": pieces, "changed": changed(pieces)}
        )
    context = {
        "city": city,
        "version": version,
        "previous": previous,
        "sections": sections,
        "versions": version.statement.versions.only("number", "published_at", "statement_id"),
        "endorsements": _endorsers(version.statement),
    }
    return render(request, "cities/statement_version.html", context)


@require_safe
def public_partnerships(request: HtmxHttpRequest) -> HttpResponse:
    partnerships = (
        Partnership.objects.public_summaries()
        .select_related("city", "lead")
        .only("title", "public_summary", "city__name", "city__slug", "lead__name")
        .order_by("city__name", "title", "pk")
    )
    return render(
        request, "cities/public_partnerships.html", {"page_obj": _page(request, partnerships)}
    )


# --- Point of contact -----------------------------------------------------------------------


@login_required
@require_GET_or_POST
def contact_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    city = _staff_city(request, slug)
    if not perms.can_name_contact(request.user, city):
        raise PermissionDenied
    contact = PointOfContact.objects.filter(city=city).first()
    initial: dict[str, Any] = {"expected_version": 0}
    if contact is not None:
        initial = {
            "person": contact.person_id,
            "public_email": contact.public_email,
            "how_to_reach": contact.how_to_reach,
            "expected_version": contact.version,
        }
    form = bind(request, ContactForm, city=city, initial=initial)
    return handle(
        request,
        form,
        lambda data: services.contact_name(actor=request.user, city=city, **data),
        template="cities/contact_edit.html",
        context=lambda _r: {"city": city, "form": form},
        success_url=reverse("cities:city", args=[city.slug]),
        success_message=_("The point of contact is saved and shown on the city's page."),
    )


# --- The offer and introductions ------------------------------------------------------------


@login_required
@require_GET_or_POST
def offer_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = _member_organization(request, slug)
    if not perms.can_act_for(request.user, organization):
        raise Http404
    offer = Offer.objects.filter(organization=organization).first()
    initial: dict[str, Any] = {"expected_version": 0}
    if offer is not None:
        initial = {
            "who_we_are": offer.who_we_are,
            "value": offer.value,
            "needs": offer.needs,
            "beneficiaries": offer.beneficiaries,
            "expected_version": offer.version,
        }
    form = bind(request, OfferForm, initial=initial)
    return handle(
        request,
        form,
        lambda data: services.offer_save(actor=request.user, organization=organization, **data),
        template="cities/offer_edit.html",
        context=lambda _r: {"organization": organization, "form": form, "offer": offer},
        success_url=reverse("cities:offer", args=[organization.slug]),
        success_message=_("Your offer is saved. It goes with every introduction you send."),
    )


@login_required
@require_GET_or_POST
def introduce(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    if city.status != Organization.Status.APPROVED:
        raise Http404
    form = bind(request, IntroductionForm, user=request.user)
    organizations = forms_queryset(form)
    if not organizations:
        # Only a social enterprise, a group or a network introduces itself.
        raise Http404
    contact = PointOfContact.objects.filter(city=city).first()
    return handle(
        request,
        form,
        lambda data: services.introduction_send(actor=request.user, city=city, **data),
        template="cities/introduce.html",
        context=lambda _r: {
            "city": city,
            "form": form,
            "contact": contact,
            "offers": {
                o.organization_id: o for o in Offer.objects.filter(organization__in=organizations)
            },
        },
        success_url=reverse("cities:introductions_sent"),
        success_message=lambda i: _("Your introduction was sent to %(city)s.") % {"city": i.city},
    )


def forms_queryset(form: IntroductionForm) -> list[Organization]:
    field = form.fields["organization"]
    assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
    return list(field.queryset)


@require_safe
@login_required
def introductions_sent(request: AuthenticatedHttpRequest) -> HttpResponse:
    introductions = (
        Introduction.objects.sent_by_organizations_of(request.user)
        .select_related("city", "organization")
        .prefetch_related("on_behalf_of")
    )
    own = Organization.objects.filter(pk__in=request.user.organization_ids()).exclude(
        kind=Organization.Kind.CITY
    )
    return render(
        request,
        "cities/introductions_sent.html",
        {"page_obj": _page(request, introductions), "organizations": own},
    )


@require_safe
@login_required
def inbox(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    city = _staff_city(request, slug)
    status = request.GET.get("status", "")
    introductions = (
        Introduction.objects.filter(city=city)
        .select_related("organization", "handled_by")
        .prefetch_related("on_behalf_of")
    )
    if status in Introduction.Status.values:
        introductions = introductions.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "cities/inbox.html",
        {
            "city": city,
            "page_obj": _page(request, introductions),
            "status": status,
            "statuses": Introduction.Status.choices,
        },
    )


def _introduction(request: AuthenticatedHttpRequest, slug: str, pk: int) -> Introduction:
    city = _staff_city(request, slug)
    return get_object_or_404(
        Introduction.objects.select_related("city", "organization", "handled_by", "partnership"),
        city=city,
        pk=pk,
    )


def _introduction_context(introduction: Introduction, **forms_: Any) -> dict[str, Any]:
    return {
        "city": introduction.city,
        "introduction": introduction,
        "notes": introduction.notes.select_related("author"),
        "members": introduction.on_behalf_of.all(),
        "status_form": forms_.get("status_form")
        or IntroductionStatusForm(
            initial={"expected_version": introduction.version, "status": introduction.status}
        ),
        "note_form": forms_.get("note_form") or NoteForm(),
        "open_form": forms_.get("open_form") or OpenPartnershipForm(),
        "is_open": introduction.status in (Introduction.Status.NEW, Introduction.Status.TALKING),
    }


INTRODUCTION_TEMPLATE = "cities/introduction_detail.html"


@require_safe
@login_required
def introduction_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    introduction = _introduction(request, slug, pk)
    return render(request, INTRODUCTION_TEMPLATE, _introduction_context(introduction))


def _back_to(introduction: Introduction) -> str:
    return reverse("cities:introduction", args=[introduction.city.slug, introduction.pk])


@login_required
@require_GET_or_POST
def introduction_status(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    introduction = _introduction(request, slug, pk)
    form = bind(request, IntroductionStatusForm)
    return handle(
        request,
        form,
        lambda data: services.introduction_set_status(
            actor=request.user, introduction=introduction, **data
        ),
        template=INTRODUCTION_TEMPLATE,
        context=lambda _r: _introduction_context(introduction, status_form=form),
        success_url=_back_to(introduction),
        success_message=_("The introduction's status is saved."),
    )


@login_required
@require_GET_or_POST
def introduction_note(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    introduction = _introduction(request, slug, pk)
    form = bind(request, NoteForm)
    return handle(
        request,
        form,
        lambda data: services.introduction_note(
            actor=request.user, introduction=introduction, **data
        ),
        template=INTRODUCTION_TEMPLATE,
        context=lambda _r: _introduction_context(introduction, note_form=form),
        success_url=_back_to(introduction),
        success_message=_("The note is saved. Only the city's staff see it."),
    )


@login_required
@require_GET_or_POST
def introduction_open(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    introduction = _introduction(request, slug, pk)
    form = bind(request, OpenPartnershipForm)
    return handle(
        request,
        form,
        lambda data: services.introduction_open_partnership(
            actor=request.user, introduction=introduction, **data
        ),
        template=INTRODUCTION_TEMPLATE,
        context=lambda _r: _introduction_context(introduction, open_form=form),
        success_url=lambda partnership: reverse("partnerships:detail", args=[partnership.pk]),
        success_message=lambda partnership: (
            _("%(organization)s is invited to lead “%(title)s”.")
            % {"organization": partnership.lead.name, "title": partnership.title}
        ),
    )


# --- Register of experiences ----------------------------------------------------------------


@login_required
@require_GET_or_POST
def experiences(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    city = _staff_city(request, slug)
    search = request.GET.get("q", "")[:200].replace("\x00", "")
    form = bind(request, ExperienceForm)
    url = reverse("cities:experiences", args=[city.slug])
    return handle(
        request,
        form,
        lambda data: services.experience_record(actor=request.user, city=city, **data),
        template="cities/experiences.html",
        context=lambda _r: {
            "city": city,
            "form": form,
            "search": search,
            "page_obj": _page(
                request,
                Experience.objects.filter(city=city).search(search).select_related("recorded_by"),
            ),
        },
        success_url=url,
        success_message=_("The experience is in the city's register."),
    )


@login_required
@require_GET_or_POST
def experience_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    city = _staff_city(request, slug)
    experience = get_object_or_404(Experience, city=city, pk=pk)
    initial = {name: getattr(experience, name) for name in services.EXPERIENCE_FIELDS}
    form = bind(
        request, ExperienceEditForm, initial={**initial, "expected_version": experience.version}
    )
    return handle(
        request,
        form,
        lambda data: services.experience_update(actor=request.user, experience=experience, **data),
        template="cities/experience_edit.html",
        context=lambda _r: {"city": city, "experience": experience, "form": form},
        success_url=reverse("cities:experiences", args=[city.slug]),
        success_message=_("The experience is updated."),
    )


# --- Engagement statement -------------------------------------------------------------------

DRAFT_TEMPLATE = "cities/statement_draft.html"


def _draft_city(
    request: AuthenticatedHttpRequest, slug: str
) -> tuple[Organization, Statement | None]:
    city = _city(slug)
    statement = Statement.objects.filter(city=city).first()
    if not perms.can_see_draft(request.user, city, statement):
        raise Http404
    return city, statement


def _draft_context(
    request: AuthenticatedHttpRequest,
    city: Organization,
    statement: Statement | None,
    **forms_: Any,
) -> dict[str, Any]:
    user = request.user
    invited = perms.invited_organization_ids(user, statement)
    stored: dict[str, StatementSection] = {}
    endorsed: set[int] = set()
    if statement is not None:
        comments = StatementComment.objects.select_related("organization", "author")
        stored = {
            s.key: s
            for s in statement.sections.prefetch_related(Prefetch("comments", queryset=comments))
        }
        endorsed = set(statement.endorsements.values_list("organization_id", flat=True))
    sections = []
    for key, label in StatementSection.Key.choices:
        section = stored.get(key)
        comment_form = forms_.get("comment_forms", {}).get(key) or CommentForm(
            organization_ids=invited, auto_id=f"comment-{key}-%s"
        )
        sections.append(
            {
                "key": key,
                "label": label,
                "section": section,
                "comments": list(section.comments.all()) if section else [],
                "comment_form": comment_form,
            }
        )
    to_endorse = invited - endorsed
    return {
        "city": city,
        "statement": statement,
        "sections": sections,
        "is_staff": perms.can_edit_statement(user, city),
        "is_admin": perms.can_publish_statement(user, city),
        "invited": bool(invited),
        "invitations": statement.invitations.select_related("organization") if statement else [],
        "endorsements": _endorsers(statement),
        "versions": statement.versions.all() if statement else [],
        "invite_form": forms_.get("invite_form") or StatementInviteForm(),
        "publish_form": forms_.get("publish_form") or PublishForm(),
        "endorse_form": forms_.get("endorse_form")
        or (EndorseForm(organization_ids=to_endorse, auto_id="endorse-%s") if to_endorse else None),
    }


@require_safe
@login_required
def statement_draft(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    city, statement = _draft_city(request, slug)
    return render(request, DRAFT_TEMPLATE, _draft_context(request, city, statement))


def _draft_url(city: Organization) -> str:
    return reverse("cities:statement_draft", args=[city.slug])


@login_required
@require_GET_or_POST
def statement_section(request: AuthenticatedHttpRequest, slug: str, key: str) -> HttpResponse:
    city = _staff_city(request, slug)
    if key not in StatementSection.Key.values:
        raise Http404
    section = StatementSection.objects.filter(statement__city=city, key=key).first()
    initial = {
        "body": section.body if section else "",
        "expected_version": section.version if section else 1,
    }
    form = bind(request, SectionForm, initial=initial)
    return handle(
        request,
        form,
        lambda data: services.statement_section_edit(
            actor=request.user, city=city, key=key, **data
        ),
        template="cities/statement_section.html",
        context=lambda _r: {
            "city": city,
            "label": StatementSection.Key(key).label,
            "key": key,
            "form": form,
            "comments": section.comments.select_related("organization") if section else [],
        },
        success_url=_draft_url(city),
        success_message=_("The section is saved in the draft."),
    )


@login_required
@require_GET_or_POST
def statement_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    city = _staff_city(request, slug)
    statement = Statement.objects.filter(city=city).first()
    form = bind(request, StatementInviteForm)
    return handle(
        request,
        form,
        lambda data: services.statement_invite(actor=request.user, city=city, **data),
        template=DRAFT_TEMPLATE,
        context=lambda _r: _draft_context(request, city, statement, invite_form=form),
        success_url=_draft_url(city),
        success_message=lambda i: (
            _("%(organization)s can now read the draft, comment and endorse it.")
            % {"organization": i.organization.name}
        ),
    )


@login_required
@require_GET_or_POST
def statement_comment(request: AuthenticatedHttpRequest, slug: str, key: str) -> HttpResponse:
    city, statement = _draft_city(request, slug)
    invited = perms.invited_organization_ids(request.user, statement)
    if key not in StatementSection.Key.values or statement is None:
        raise Http404
    if not invited:
        raise Http404
    section = statement.sections.get(key=key)
    form = bind(request, CommentForm, organization_ids=invited, auto_id=f"comment-{key}-%s")
    return handle(
        request,
        form,
        lambda data: services.statement_comment(actor=request.user, section=section, **data),
        template=DRAFT_TEMPLATE,
        context=lambda _r: _draft_context(request, city, statement, comment_forms={key: form}),
        success_url=_draft_url(city) + f"#section-{key}",
        success_message=_("Your comment is on the draft."),
    )


@login_required
@require_GET_or_POST
def statement_endorse(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    city, statement = _draft_city(request, slug)
    invited = perms.invited_organization_ids(request.user, statement)
    if statement is None or not invited:
        raise Http404
    form = bind(request, EndorseForm, organization_ids=invited, auto_id="endorse-%s")
    return handle(
        request,
        form,
        lambda data: services.statement_endorse(actor=request.user, statement=statement, **data),
        template=DRAFT_TEMPLATE,
        context=lambda _r: _draft_context(request, city, statement, endorse_form=form),
        success_url=_draft_url(city),
        success_message=lambda e: (
            _("%(organization)s endorses the statement.") % {"organization": e.organization.name}
        ),
    )


@login_required
@require_GET_or_POST
def statement_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    city = _staff_city(request, slug)
    if not perms.can_publish_statement(request.user, city):
        raise PermissionDenied
    statement = Statement.objects.filter(city=city).first()
    form = bind(request, PublishForm)
    return handle(
        request,
        form,
        lambda data: services.statement_publish(actor=request.user, city=city, **data),
        template=DRAFT_TEMPLATE,
        context=lambda _r: _draft_context(request, city, statement, publish_form=form),
        success_url=lambda v: reverse("cities:statement_version", args=[city.slug, v.number]),
        success_message=lambda v: _("Version %(n)d is public.") % {"n": v.number},
    )


# --- A city's own stories -------------------------------------------------------------------


@login_required
@require_GET_or_POST
def story_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    city = _staff_city(request, slug)
    form = bind(request, CityStoryForm)
    return handle(
        request,
        form,
        lambda data: services.city_story_add(actor=request.user, city=city, **data),
        template="cities/story_add.html",
        context=lambda _r: {"city": city, "form": form},
        success_url=reverse("cities:city", args=[city.slug]),
        success_message=_("The story is on the city's page."),
    )


# --- Getting started ------------------------------------------------------------------------

CHECKLIST_TEMPLATE = "cities/checklist.html"


def _checklist_context(
    organization: Organization, bound: ChecklistItemForm | None = None, bound_slug: str = ""
) -> dict[str, Any]:
    rows = services.checklist_for(organization)
    for row in rows:
        item: ChecklistItem | None = row["item"]
        slug = row["step"].slug
        if bound is not None and slug == bound_slug:
            row["form"] = bound
            continue
        row["form"] = ChecklistItemForm(
            auto_id=f"{slug}-%s",
            initial={
                "done": bool(item and item.done),
                "note": item.note if item else "",
                "evidence_url": item.evidence_url if item else "",
                "expected_version": item.version if item else 1,
            },
        )
    done = sum(1 for row in rows if row["item"] and row["item"].done)
    return {
        "organization": organization,
        "rows": rows,
        "done": done,
        "total": len(rows),
        "percent": round(100 * done / len(rows)) if rows else 0,
    }


@require_safe
@login_required
def checklist(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = _member_organization(request, slug)
    return render(request, CHECKLIST_TEMPLATE, _checklist_context(organization))


@login_required
@require_GET_or_POST
def checklist_item(request: AuthenticatedHttpRequest, slug: str, step: str) -> HttpResponse:
    organization = _member_organization(request, slug)
    the_step = get_object_or_404(
        GettingStartedStep, slug=step, audience=services.audience_of(organization)
    )
    form = bind(request, ChecklistItemForm, auto_id=f"{the_step.slug}-%s")
    return handle(
        request,
        form,
        lambda data: services.checklist_update(
            actor=request.user, organization=organization, step=the_step, **data
        ),
        template=CHECKLIST_TEMPLATE,
        context=lambda _r: _checklist_context(organization, form, the_step.slug),
        success_url=reverse("cities:checklist", args=[organization.slug]) + f"#{the_step.slug}",
        success_message=_("The step is saved."),
    )


# --- Networks -------------------------------------------------------------------------------


def _network(request: AuthenticatedHttpRequest, slug: str) -> Organization:
    network = get_object_or_404(Organization, slug=slug, kind=Organization.Kind.NETWORK)
    user_orgs = request.user.organization_ids()
    is_member_org = NetworkMember.objects.filter(
        network=network, organization_id__in=user_orgs
    ).exists()
    if network.pk not in user_orgs and not is_member_org:
        raise Http404
    return network


def _network_context(
    request: AuthenticatedHttpRequest, network: Organization, form: NetworkMemberForm | None = None
) -> dict[str, Any]:
    return {
        "network": network,
        "members": network.members.select_related("organization"),
        "can_manage": perms.can_manage_network(request.user, network),
        "form": form or NetworkMemberForm(network=network),
    }


@require_safe
@login_required
def network_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    network = _network(request, slug)
    return render(request, "cities/network_detail.html", _network_context(request, network))


@login_required
@require_GET_or_POST
def network_member_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    network = _network(request, slug)
    if not perms.can_manage_network(request.user, network):
        raise PermissionDenied
    form = bind(request, NetworkMemberForm, network=network)
    return handle(
        request,
        form,
        lambda data: services.network_member_add(actor=request.user, network=network, **data),
        template="cities/network_detail.html",
        context=lambda _r: _network_context(request, network, form),
        success_url=reverse("cities:network", args=[network.slug]),
        success_message=lambda m: (
            _("%(organization)s is a member of the network.")
            % {"organization": m.organization.name}
        ),
    )


@login_required
def network_member_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    network = _network(request, slug)
    if not perms.can_manage_network(request.user, network):
        raise PermissionDenied
    member = get_object_or_404(
        NetworkMember.objects.select_related("network", "organization"), network=network, pk=pk
    )
    # Checked after the permission check, so a 405 never confirms that something exists.
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    form = bind(request, forms.Form)
    return handle(
        request,
        form,
        lambda _data: services.network_member_remove(actor=request.user, member=member),
        template="cities/network_detail.html",
        context=lambda _r: _network_context(request, network),
        success_url=reverse("cities:network", args=[network.slug]),
        success_message=_("The organization left the network."),
    )
