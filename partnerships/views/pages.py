"""PLACEHOLDER: replaced by its owner. Every view here answers 404 until written."""

from django.http import Http404, HttpRequest, HttpResponse


def overview(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def plan(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def plan_version(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def checkins(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def checkin_record(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def progress(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def progress_log(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def evidence(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def measurement_add(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def measurements_export(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def experiments(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def money(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def need_state(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def timeline(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404
