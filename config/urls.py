from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from accounts import views as account_views
from beneficiaries import views as beneficiary_views
from config import views
from config.health import healthz

# The admin signs in through allauth's login, so one rate limit guards both.
admin.site.login = account_views.admin_login  # type: ignore[method-assign]
admin.site.site_header = "Tandem"

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", healthz, name="healthz"),
    # Partner systems speak to the API without a language prefix.
    path("api/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    # Inside the language prefix, so switching from /es/... back to English resolves /es/ URLs.
    path("i18n/setlang/", set_language, name="set_language"),
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    # Ahead of allauth's own: a login refused for too many failures answers 429.
    path("accounts/login/", account_views.login, name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("organizations/", include("accounts.urls")),
    path("partnerships/", include("partnerships.urls")),
    # A partnership's people and the invitations to take part, under the partnership's URLs.
    path("partnerships/", include("beneficiaries.urls")),
    # The short address printed on paper invitations, easy to type on a phone.
    path("join/", beneficiary_views.join_short, name="join"),
    path("playbook/", include("playbook.urls")),
    path("cities/", include("cities.urls")),
    path("health/", include("health.urls")),
    path("notifications/", include("notifications.urls")),
    # API tokens and webhooks, for organizations' administrators.
    path("developers/", include("api.web_urls")),
    prefix_default_language=False,
)

handler403 = "accounts.views.error_403"
handler404 = "accounts.views.error_404"
# allauth answers a tripped rate limit through this one.
handler429 = "accounts.views.error_429"
handler500 = "accounts.views.error_500"
