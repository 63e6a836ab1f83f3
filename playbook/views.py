"""Public pages of the playbook: nobody needs to sign in to read them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from playbook.models import ModelPathway, Practice


@require_safe
def practice_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "playbook/practice_list.html",
        {"practices": Practice.objects.all(), "pathways": ModelPathway.objects.all()},
    )


@require_safe
def pathway_list(request: HttpRequest) -> HttpResponse:
    pathways = ModelPathway.objects.prefetch_related("stages")
    return render(request, "playbook/pathway_list.html", {"pathways": pathways})


@require_safe
def pathway_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pathway = get_object_or_404(ModelPathway.objects.prefetch_related("stages"), slug=slug)
    other_pathways = ModelPathway.objects.exclude(pk=pathway.pk)
    return render(
        request,
        "playbook/pathway_detail.html",
        {"pathway": pathway, "other_pathways": other_pathways},
    )
