"""The OpenAPI document: every operation lists the errors it may answer, in one shape."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "fields"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "Messages per field of a refused body; empty otherwise.",
                },
            },
        }
    },
}

COMMON = {
    "400": "The request was refused: see `error.fields`.",
    "401": "No valid token or session, or the token was revoked or has expired.",
    "403": "Not allowed: a read token writing, or an action your role may not take.",
    "404": "Not found, or not yours to see.",
    "405": "This method is not allowed here.",
    "406": "Only JSON is served.",
    "415": "Send JSON.",
    "429": "Too many requests: wait as long as `Retry-After` says.",
}
WRITES = {
    "409": "A request with this Idempotency-Key is still running.",
    "412": "Someone else changed it since you read it (If-Match is stale).",
    "422": "This Idempotency-Key was used with a different request.",
    "428": "Send If-Match with the object's ETag.",
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            codes = dict(COMMON)
            if method in ("post", "put", "patch", "delete"):
                codes.update(WRITES)
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": ref})
    return result
