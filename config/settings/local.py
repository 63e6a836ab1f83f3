"""The laptop run: `make run`. Only difference from base: DEBUG is on."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", default=True)
