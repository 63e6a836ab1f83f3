"""Swagger UI and ReDoc, served from our own static files (drf-spectacular-sidecar).

Our own small pages rather than drf-spectacular's: theirs start the viewers with an inline
script (and ReDoc's loads web fonts from a CDN), which the site's Content Security Policy
refuses. Here a same-origin script (api/static/api/docs.js) reads the schema's address
from the page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView


class DocsPage(TemplateView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "schema_url": reverse("api:schema")}


swagger = require_safe(DocsPage.as_view(template_name="api/swagger.html"))
redoc = require_safe(DocsPage.as_view(template_name="api/redoc.html"))
