"""Test settings: base, with fast hashing and mail kept in memory."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Ordinary tests read mail.outbox at once; tests/core/test_outbox.py puts the outbox
# (the default everywhere else) in front of these.
MAILERS = {
    "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
}
# Tests exercise the rate limits explicitly with their own counters. In memory, so each
# pytest-xdist worker has a cache of its own and never sees another's keys.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": DATABASE_CACHE,  # noqa: F405
    "names": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Tasks run in-process whether or not CI provides a broker, so a test never depends on
# a worker; tests/test_celery_worker.py switches this off for its own real worker.
CELERY_TASK_ALWAYS_EAGER = True
# The browser tests load real CSS and JS from the live server without a collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The webhook tests deliver to a receiver on 127.0.0.1.
TANDEM_WEBHOOKS_ALLOW_PRIVATE = True
