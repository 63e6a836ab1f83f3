"""The Developers pages, inside the language prefix (/developers/)."""

from django.urls import URLPattern, URLResolver, path

from api import web_views as views

app_name = "developers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("<int:org_pk>/tokens/", views.tokens, name="tokens"),
    path("<int:org_pk>/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("<int:org_pk>/webhooks/", views.webhooks, name="webhooks"),
    path("<int:org_pk>/webhooks/<int:pk>/", views.webhook, name="webhook"),
    path("<int:org_pk>/webhooks/<int:pk>/rotate/", views.webhook_rotate, name="webhook_rotate"),
    path("<int:org_pk>/webhooks/<int:pk>/remove/", views.webhook_remove, name="webhook_remove"),
    path(
        "<int:org_pk>/webhooks/<int:pk>/deliveries/<int:delivery_pk>/replay/",
        views.delivery_replay,
        name="delivery_replay",
    ),
]
