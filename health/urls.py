from django.urls import path

from health import views

app_name = "health"

urlpatterns = [
    path("partnerships/<int:pk>/", views.partnership_health, name="partnership"),
    path("partnerships/<int:pk>/rounds/", views.round_open, name="round_open"),
    path(
        "partnerships/<int:pk>/rounds/<int:round_pk>/close/",
        views.round_close,
        name="round_close",
    ),
    path("partnerships/<int:pk>/rounds/<int:round_pk>/", views.survey, name="survey"),
    path("partnerships/<int:pk>/values/", views.values, name="values"),
    path(
        "partnerships/<int:pk>/values/<int:version_pk>/agree/",
        views.values_agree,
        name="values_agree",
    ),
    path("portfolio/", views.portfolio, name="portfolio"),
]
