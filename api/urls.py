"""The REST API under /api/v1/, its OpenAPI schema and its documentation pages."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import docs, views

app_name = "api"

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("plan-versions", views.PlanVersionViewSet, basename="plan-version")
router.register("checkins", views.CheckInViewSet, basename="checkin")
router.register("progress-updates", views.ProgressUpdateViewSet, basename="progress-update")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("measurements", views.MeasurementViewSet, basename="measurement")
router.register("experiments", views.ExperimentViewSet, basename="experiment")
router.register("financial-needs", views.FinancialNeedViewSet, basename="financial-need")
router.register("comments", views.CommentViewSet, basename="comment")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("pathways", views.PathwayViewSet, basename="pathway")
router.register("stages", views.StageViewSet, basename="stage")

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.swagger, name="docs"),
    path("redoc/", docs.redoc, name="redoc"),
]
