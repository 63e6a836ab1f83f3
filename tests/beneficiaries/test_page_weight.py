"""Every page a beneficiary sees transfers under 30 KB compressed, with its CSS and scripts.

The sums are those of ``bench/beneficiary_pages.py`` (which prints them): the HTML and each
stylesheet and script it links, gzip-compressed. They are deterministic, so the limit holds
in CI as it does on a cheap phone's cold load.
"""

from __future__ import annotations

import pytest

from bench.beneficiary_pages import LIMIT, measure

pytestmark = pytest.mark.django_db


def test_every_beneficiary_page_weighs_under_30_kb_compressed() -> None:
    weights = measure()

    assert len(weights) >= 8
    for name, weight in weights.items():
        # Pico is not among them: the light stylesheet is.
        assert "css/light.css" in weight.assets, name
        assert not any("pico" in asset for asset in weight.assets), name
        assert weight.total < LIMIT, f"{name}: {weight.total} bytes"
