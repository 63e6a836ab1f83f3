"""The laptop run: `make run`. Only difference from base: DEBUG is on."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", default=True)

# On a laptop, webhooks may go to a receiver on this machine.
TANDEM_WEBHOOKS_ALLOW_PRIVATE = env_bool("TANDEM_WEBHOOKS_ALLOW_PRIVATE", default=True)
