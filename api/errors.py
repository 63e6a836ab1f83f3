"""One shape for every refusal: ``{"error": {"status", "code", "message", "fields"}}``.

``fields`` holds the messages per field of a refused body (the service's own messages);
it is empty otherwise. A service's ``ValidationError``, ``PermissionDenied`` and a stale
edit are turned into API errors here, so views only call the service.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.versioning import StaleEdit


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _("Send the object's ETag in an If-Match header to change it.")
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("Someone else changed this since you read it: read it again.")
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is still running.")
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was used with a different request.")
    default_code = "idempotency_key_reused"


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's refusal as the API says it."""
    try:
        yield
    except StaleEdit:
        raise PreconditionFailed from None
    except DjangoValidationError as error:
        rows = getattr(error, "rows", None)
        if rows is not None:
            raise exceptions.ValidationError(
                {"rows": {str(index): messages for index, messages in rows.items()}}
            ) from None
        if hasattr(error, "error_dict"):
            raise exceptions.ValidationError(error.message_dict) from None
        raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
    except DjangoPermissionDenied:
        raise exceptions.PermissionDenied from None


def _first_message(detail: Any) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
        return ""
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ""
    return str(detail)


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response: Response | None = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = str(_("Some fields were refused: see fields."))
        code = "invalid"
    else:
        message = _first_message(detail)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
    response.data = {
        "error": {
            "status": response.status_code,
            "code": code,
            "message": message,
            "fields": fields,
        }
    }
    return response
