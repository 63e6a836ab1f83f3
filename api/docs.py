"""Swagger UI and ReDoc, served from our own static files (drf-spectacular-sidecar).

Our own small pages rather than drf-spectacular's: theirs start the viewers with an inline
script (and ReDoc's loads web fonts from a CDN), which the site's Content Security Policy
refuses. Here a same-origin script (api/static/api/docs.js) reads the schema's address
from the page. Swagger UI runs under the site's policy unchanged.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from django.conf import settings
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView


class DocsPage(TemplateView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "schema_url": reverse("api:schema")}


swagger = require_safe(DocsPage.as_view(template_name="api/swagger.html"))

# ReDoc styles itself with styled-components, which writes <style> elements with a nonce
# only its own build can set: on this one page, and for styles only, inline styles are
# allowed. Scripts stay our own files, as everywhere.
REDOC_CSP: dict[str, Collection[str] | str] = {
    **cast("dict[str, Collection[str] | str]", settings.SECURE_CSP),
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
}
redoc = require_safe(csp_override(REDOC_CSP)(DocsPage.as_view(template_name="api/redoc.html")))
