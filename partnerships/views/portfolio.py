"""PLACEHOLDER: replaced by its owner. Every view here answers 404 until written."""

from django.http import Http404, HttpRequest, HttpResponse


def dashboard(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def csv(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def portfolio_export(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


def my_partnerships(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404
