"""Public pages of the playbook: nobody needs to sign in to read them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from playbook.models import ModelPathway, Practice, Story


@require_safe
def practice_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "playbook/practice_list.html",
        {
            "practices": Practice.objects.prefetch_related("stories"),
            "pathways": ModelPathway.objects.all(),
        },
    )


@require_safe
def pathway_list(request: HttpRequest) -> HttpResponse:
    pathways = ModelPathway.objects.prefetch_related("stages")
    return render(request, "playbook/pathway_list.html", {"pathways": pathways})


@require_safe
def pathway_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pathway = get_object_or_404(
        ModelPathway.objects.prefetch_related("stages", "stories"), slug=slug
    )
    other_pathways = ModelPathway.objects.exclude(pk=pathway.pk)
    return render(
        request,
        "playbook/pathway_detail.html",
        {"pathway": pathway, "other_pathways": other_pathways},
    )


@require_safe
def story_list(request: HttpRequest) -> HttpResponse:
    stories = Story.objects.prefetch_related("practices", "pathways")
    return render(request, "playbook/story_list.html", {"stories": stories})


@require_safe
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story.objects.prefetch_related("practices", "pathways"), slug=slug)
    return render(request, "playbook/story_detail.html", {"story": story})
