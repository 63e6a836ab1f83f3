"""Benchmark settings: the base settings as production runs them (DEBUG off), one extra URL.

``bench/run.py`` sets ``DATABASE_URL`` to the bench database before anything reads this.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, TEMPLATES

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]

# Static files come straight from static/ (no collectstatic, so nothing is written).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Only the builder hashes passwords (one shared hash); requests never do.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A log line per request would measure the terminal, not the site.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
