from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # allauth counts attempts in the cache; every test starts with a clean slate.
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request for a Spanish page leaves Spanish active in the thread, and reverse()
    # in the next test would then build /es/ URLs.
    with translation.override(settings.LANGUAGE_CODE):
        yield
