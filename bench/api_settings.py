"""Settings of the API benchmark: the portfolio bench's, with one more bench-only URL."""

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
