"""Production: base plus the hardening `manage.py check --deploy` asks for."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import SMTP_EMAIL_BACKEND, env_bool, env_list, mailers_from_env

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a random string of 50 or more characters.")
# While a key is rotated, the old one still checks sessions and links (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

# The one switch for a deployment that really serves plain http on a private network:
# cookies lose their Secure flag, there is no redirect to https and no HSTS.
# `manage.py check --deploy` warns while it is on (core/checks.py).
TANDEM_PLAIN_HTTP = env_bool("TANDEM_PLAIN_HTTP")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = (
    False if TANDEM_PLAIN_HTTP else env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not TANDEM_PLAIN_HTTP
CSRF_COOKIE_SECURE = not TANDEM_PLAIN_HTTP
SECURE_HSTS_SECONDS = (
    0 if TANDEM_PLAIN_HTTP else int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if TANDEM_PLAIN_HTTP else "https"

# The demo creates accounts with a published password: `load_demo` refuses to run here
# unless told `--i-know-this-is-public`.
TANDEM_PUBLIC_DEPLOYMENT = True

# Production sends real e-mail: SMTP unless another backend is named.
MAILERS = mailers_from_env(SMTP_EMAIL_BACKEND)
