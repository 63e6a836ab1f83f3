"""The site's URLs plus one bench-only page, the baseline the dashboard is compared with."""

from django.urls import path

from bench import views
from config import urls as site_urls

urlpatterns = [
    path("bench/minimal/", views.minimal, name="bench_minimal"),
    *site_urls.urlpatterns,
]

handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
