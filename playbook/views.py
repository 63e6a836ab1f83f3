from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from playbook.models import ModelPathway, Practice


def practice_list(request: HttpRequest) -> HttpResponse:
    return render(request, "playbook/practice_list.html", {"practices": Practice.objects.all()})


def pathway_list(request: HttpRequest) -> HttpResponse:
    pathways = ModelPathway.objects.prefetch_related("stages")
    return render(request, "playbook/pathway_list.html", {"pathways": pathways})
