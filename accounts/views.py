from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache


def home(request: HttpRequest) -> HttpResponse:
    """The front door: a welcome for visitors, the right workspace for a signed-in person."""
    if request.user.is_authenticated:
        memberships = request.user.memberships.select_related("organization")
        if any(m.organization.is_city for m in memberships):
            return redirect("partnerships:dashboard")
        if memberships:
            return redirect("partnerships:my")
    return render(request, "home.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors here: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def organization_list(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    memberships = request.user.memberships.select_related("organization")
    return render(request, "accounts/organization_list.html", {"memberships": memberships})
