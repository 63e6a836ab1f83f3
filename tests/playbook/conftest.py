from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    # A request to /es/... leaves Spanish active in this thread; later tests
    # (reverse(), e-mails) must not inherit it.
    yield
    translation.deactivate()
