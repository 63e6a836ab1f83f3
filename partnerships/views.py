from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnerships.models import Partnership
from partnerships.permissions import get_visible_partnership_or_404


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.filter(city_id__in=request.user.city_ids())
    return render(request, "partnerships/dashboard.html", {"partnerships": partnerships})


@login_required
def my_partnerships(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.visible_to(request.user)
    return render(request, "partnerships/dashboard.html", {"partnerships": partnerships})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_visible_partnership_or_404(request.user, pk)
    return render(request, "partnerships/partnership_detail.html", {"partnership": partnership})
