"""Tandem settings, read from the environment.

With nothing set, Tandem runs on SQLite in the project folder, executes Celery
tasks in-process and prints e-mail to the console. ``DATABASE_URL`` switches to
PostgreSQL and ``REDIS_URL`` switches the Celery broker and the cache to Redis.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# A fixed key is only acceptable on a developer's laptop; production.py refuses it.
SECRET_KEY = (
    os.environ.get("DJANGO_SECRET_KEY") or "tandem-local-development-key-not-for-production"
)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SITE_ID = 1
SITE_NAME = "Tandem"
# The address people reach Tandem at, e.g. https://tandem.example.org: links in e-mails
# point there. Without it, links use the host of the request that sent the e-mail.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
# A deployment run by one city: the first city registered is approved at once.
TANDEM_SINGLE_CITY = env_bool("TANDEM_SINGLE_CITY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_filters",
    "simple_history",
    "core",
    "accounts",
    "playbook",
    "partnerships",
    "beneficiaries",
    "cities",
    "health",
    "notifications",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After allauth's: a member of an organization that requires two-factor sign-in
    # enrols before anything else.
    "accounts.middleware.RequireMFAMiddleware",
    # A participant agrees to the consent text before they see a partnership.
    "beneficiaries.middleware.ConsentMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "accounts.context_processors.navigation",
                "partnerships.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker --------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")

# The default cache holds what every process must share and what must survive a restart:
# the sign-in rate limits above all (allauth counts in the default cache). Without Redis
# that is a table in the database, never process memory, which each gunicorn worker would
# count on its own. With Redis down, the default cache falls back to that same table.
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    # Created by a migration (core/migrations/0002_cache_table.py), so `migrate` is enough.
    "LOCATION": "tandem_cache",
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Redis is a helper: if it is down a page gets slower, never broken.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "FALLBACK": "database",
        },
        "database": DATABASE_CACHE,
        # The playbook's names (playbook/names.py): shared through Redis as well.
        "names": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
else:
    CACHES = {
        "default": DATABASE_CACHE,
        "database": DATABASE_CACHE,
        # Read on every portfolio page: kept in each process, renewed every few minutes.
        "names": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# The periodic schedule lives in code (config/celery.py), not in the database.
CELERY_BEAT_SCHEDULE: dict = {
    # Hourly sweep (seconds): any partnership left without a next check-in gets one.
    "partnerships-checkins-ensure-next": {
        "task": "partnerships.tasks.checkins_ensure_next_task",
        "schedule": 60 * 60,
    },
    # Every minute: outgoing e-mail that came due while no worker held it.
    "core-outbound-email-deliver-due": {
        "task": "core.tasks.outbound_email_deliver_due_task",
        "schedule": 60,
    },
    # Every night: every partnership's practice scores, in batches.
    "health-scores-recompute-all": {
        "task": "health.tasks.scores_recompute_all_task",
        "schedule": 24 * 60 * 60,
    },
    # Hourly: survey rounds whose closing day has passed are closed and their scores kept.
    "health-rounds-close-due": {
        "task": "health.tasks.rounds_close_due_task",
        "schedule": 60 * 60,
    },
    # Every minute: webhook deliveries whose next attempt has come.
    "api-webhooks-deliver-due": {
        "task": "api.tasks.webhooks_deliver_due_task",
        "schedule": 60,
    },
    # Every five minutes: the webhook deliveries of events whose fan-out task never ran.
    "api-webhooks-sweep": {
        "task": "api.tasks.webhook_deliveries_sweep_task",
        "schedule": 5 * 60,
    },
    # Hourly: idempotency keys older than a day are forgotten.
    "api-idempotency-keys-purge": {
        "task": "api.tasks.idempotency_keys_purge_task",
        "schedule": 60 * 60,
    },
    # Every five minutes: reminders, digests and notifications that are due, found in the
    # database (never by long countdowns), and sent exactly once (notifications/services.py).
    "notifications-sweep": {
        "task": "notifications.tasks.notifications_sweep_task",
        "schedule": 5 * 60,
    },
}
# Seconds a worker holds the notifications it claimed (longer than any batch takes).
TANDEM_NOTIFICATIONS_LEASE = float(os.environ.get("TANDEM_NOTIFICATIONS_LEASE", "300"))
# How many dispatches a worker claims at a time.
TANDEM_NOTIFICATIONS_BATCH = int(os.environ.get("TANDEM_NOTIFICATIONS_BATCH", "500"))
# How many e-mails are marked "sending" (then "sent") in one statement; a worker killed
# mid-group leaves at most these for a person to look at.
TANDEM_NOTIFICATIONS_GROUP = int(os.environ.get("TANDEM_NOTIFICATIONS_GROUP", "100"))

# --- Sessions live in the database, never only in Redis --------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# A name, not "/": reversed in the language of the page the person signed out from.
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tandem] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# A reset asked for an unknown address sends nothing and answers as for a known one:
# otherwise anyone could make Tandem mail strangers (and learn who has an account).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Behind a reverse proxy the client's address is the last-but-N entry of X-Forwarded-For;
# with 0 (no proxy) it is the connection's own address. Rate limits count per address, so
# a wrong count here makes every visitor share one limit.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TANDEM_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TANDEM_CLIENT_IP_HEADER") or None
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("TANDEM_LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    # Printed invitation codes typed at /partnerships/join/: with 3.8e11 codes, guessing one
    # takes billions of tries; this allows 10 a minute and 20 in five from one address (no
    # window longer than the others': the 429 page says when to try again).
    "printed_code": os.environ.get("TANDEM_PRINTED_CODE_RATE", "10/m/ip,20/5m/ip"),
}
# After the first visit (an invitation signs its person in once), people sign in with a
# code sent to their address, or with a password if they chose one.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True

# Two-factor sign-in (allauth.mfa): an authenticator app with recovery codes, and passkeys
# where the browser offers them (WebAuthn needs https, or http://localhost in development).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = SITE_NAME
MFA_FORMS = {
    "add_webauthn": "accounts.forms.AddPasskeyForm",
    "edit_webauthn": "accounts.forms.EditPasskeyForm",
}
# A person's signed-in sessions (allauth.usersessions) are recorded when they sign in;
# tracking every request would write to the database on each page.
USERSESSIONS_TRACK_ACTIVITY = False

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TANDEM_TIME_ZONE", "UTC")
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail ---------------------------------------------------------------
# Prints headers and the decoded text, so links copied from the terminal work.
CONSOLE_EMAIL_BACKEND = "core.mail.ReadableConsoleBackend"
# Django's SMTP backend with pipelining for the workers' batches (core/smtp.py); Django's own
# name is still understood.
SMTP_EMAIL_BACKEND = "core.smtp.EmailBackend"
SMTP_BACKENDS = {SMTP_EMAIL_BACKEND, "django.core.mail.backends.smtp.EmailBackend"}


OUTBOX_EMAIL_BACKEND = "core.mail.OutboxBackend"


def mailers_from_env(default_backend: str) -> dict[str, dict[str, object]]:
    """Django 6.1's MAILERS, read from DJANGO_EMAIL_BACKEND and the EMAIL_* variables.

    Every sender uses the default mailer, the outbox: it stores the message and returns at
    once. The "delivery" mailer is the one that really sends, from a worker or a background
    thread after the commit (core/outbox.py), so a mail server that is slow or down never
    holds up a page.
    """
    backend = os.environ.get("DJANGO_EMAIL_BACKEND") or default_backend
    options: dict[str, object] = {}
    if backend in SMTP_BACKENDS:
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            # Seconds a worker waits for the mail server before it tries again later.
            "timeout": float(os.environ.get("EMAIL_TIMEOUT", "10")),
        }
    return {
        "default": {"BACKEND": OUTBOX_EMAIL_BACKEND},
        "delivery": {"BACKEND": backend, "OPTIONS": options},
    }


MAILERS = mailers_from_env(CONSOLE_EMAIL_BACKEND)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tandem <noreply@tandem.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A failed delivery is tried again after 1, 2, 4, 8 and 16 minutes, then marked failed
# (the admin lists it and can retry it). Without Redis, the thread that delivers keeps
# retrying while the next attempt is at most TANDEM_MAIL_IN_PROCESS_RETRY_WAIT seconds
# away; later ones wait for the next sweep.
TANDEM_MAIL_MAX_ATTEMPTS = int(os.environ.get("TANDEM_MAIL_MAX_ATTEMPTS", "6"))
TANDEM_MAIL_RETRY_SECONDS = float(os.environ.get("TANDEM_MAIL_RETRY_SECONDS", "60"))
TANDEM_MAIL_IN_PROCESS_RETRY_WAIT = 120

# --- Content Security Policy (Django's built-in) ----------------------------
# No inline scripts anywhere: everything is served from our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- REST framework ---------------------------------------------------------
REST_FRAMEWORK = {
    # A partner system's token first; people may use their browser session (CSRF enforced).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.TokenScope"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.handler",
    # Per token (per person for a session), counted in the shared default cache.
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("TANDEM_API_RATE", "600/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    "DESCRIPTION": "Partnerships between a city, social entrepreneurs and the people they "
    "serve: read them, push measurements, record check-ins and log progress. See "
    "docs/api.md for a first request in five minutes.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

# --- Webhooks -----------------------------------------------------------------
# Deliveries never go to loopback or private addresses, unless this is on (tests, a
# local receiver in development).
TANDEM_WEBHOOKS_ALLOW_PRIVATE = env_bool("TANDEM_WEBHOOKS_ALLOW_PRIVATE")
TANDEM_WEBHOOK_TIMEOUT = float(os.environ.get("TANDEM_WEBHOOK_TIMEOUT", "10"))

# --- Logging: private data stays out of logs ---------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

TANDEM_PAGE_SIZE = 25

# A survey group's figures appear from this many respondents; never fewer than 3
# (health/scoring.py and docs/health-scores.md).
TANDEM_SURVEY_THRESHOLD = max(3, int(os.environ.get("TANDEM_SURVEY_THRESHOLD", "3")))
