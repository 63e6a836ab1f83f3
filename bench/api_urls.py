"""The site's URLs (with the portfolio bench's) plus the API benchmark's floor.

The floor answers the same rows as ``GET /api/v1/partnerships/`` (the same caller, the
same ``visible_to()``, the same order and page, the same count) straight from
``.values()`` as JSON: no serializer, no pagination class, no filters, no throttle.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import path

from api.serializers import PartnershipSerializer
from bench import urls as bench_urls
from partnerships.models import Partnership

FIELDS = PartnershipSerializer.Meta.fields
PAGE = 50


@login_required
def floor(request: HttpRequest) -> JsonResponse:
    visible = Partnership.objects.visible_to(request.user).order_by("id")  # type: ignore[arg-type]
    rows = list(visible.values(*FIELDS)[:PAGE])
    return JsonResponse({"count": visible.count(), "results": rows})


urlpatterns = [path("bench/api-floor/", floor, name="bench_api_floor"), *bench_urls.urlpatterns]

handler403 = bench_urls.handler403
handler404 = bench_urls.handler404
handler500 = bench_urls.handler500
