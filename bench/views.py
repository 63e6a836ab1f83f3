"""The baseline: the dashboard's first page of rows, straight from ``.values()``.

Same middleware, same session, same city filter and order as the dashboard; no
filters, annotations, pagination or layout. What the dashboard costs beyond this
is what the benchmark measures.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnerships.models import Partnership


@login_required
def minimal(request: HttpRequest) -> HttpResponse:
    rows = (
        Partnership.objects.filter(city_id__in=request.user.city_ids())
        .order_by("title", "pk")
        .values("pk", "title", "lead__name", "status", "stage__name", "last_activity_at")[
            : settings.TANDEM_PAGE_SIZE
        ]
    )
    return render(request, "bench/minimal.html", {"rows": rows})
