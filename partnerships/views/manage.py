"""PLACEHOLDER: replaced by its owner. Every view here answers 404 until written."""

from django.http import Http404, HttpRequest, HttpResponse


def partnership_create(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def partnership_edit(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def reframe(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def stage_move(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def partner_add(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def partner_edit(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def partner_remove(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def responsibility_add(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def responsibility_edit(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def plan_publish(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def checkin_schedule(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def indicator_create(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def experiment_start(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def experiment_close(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def need_update(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404
