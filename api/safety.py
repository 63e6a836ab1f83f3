"""Safe writes: ETags and If-Match on edits, Idempotency-Key on creates.

An object's ETag is its version (``"v3"``) where it has one, else a digest of what the
API shows of it. An edit needs ``If-Match`` with the ETag it read (428 without one); the
version in it goes to the service as ``expected_version``, so the check and the write are
one UPDATE (:func:`core.versioning.save_versioned`) and a stale one is refused with 412.

A create or bulk request may carry an ``Idempotency-Key``. The first request with a key
claims it (a row, committed at once, so a second request sees it); its answer is stored
when it succeeds. The same key again with the same body replays that answer; with
another body it is refused (422); while the first is still running, 409. A refused first
request gives its key back, so the corrected request may use it. Keys last 24 hours.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from api.errors import Conflict, PreconditionRequired, Unprocessable
from api.models import ApiToken, IdempotencyKey

KEPT_FOR = timedelta(hours=24)
# A claim this old belongs to a request that died: the key may be claimed again.
ABANDONED_AFTER = timedelta(minutes=5)
_VERSION_ETAG = re.compile(r'^(?:W/)?"v(\d{1,10})"$')


def etag_for(data: Any, version: int | None = None) -> str:
    if version is not None:
        return f'"v{version}"'
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f'"{digest[:32]}"'


def expected_version(request: Request) -> int:
    """The version an edit starts from, from its If-Match header (428 without one)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired
    match = _VERSION_ETAG.match(header)
    if match is None:
        # An ETag that is no version of ours can match nothing stored.
        return 0
    return min(int(match[1]), 2**31 - 1)


def owner_of(request: Request) -> str:
    if isinstance(request.auth, ApiToken):
        return f"organization:{request.auth.organization_id}"
    return f"person:{request.user.pk}"


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(request: Request, run: Callable[[], Response]) -> Response:
    """Runs the request once per Idempotency-Key (see the module's description)."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return run()
    key = key[:255]
    owner, fingerprint = owner_of(request), _fingerprint(request)
    now = timezone.now()
    try:
        with transaction.atomic():
            claim = IdempotencyKey.objects.create(owner=owner, key=key, fingerprint=fingerprint)
    except IntegrityError:
        earlier = IdempotencyKey.objects.get(owner=owner, key=key)
        stale = earlier.created_at < now - KEPT_FOR or (
            earlier.state == IdempotencyKey.State.RUNNING
            and earlier.created_at < now - ABANDONED_AFTER
        )
        if not stale:
            if earlier.fingerprint != fingerprint:
                raise Unprocessable from None
            if earlier.state == IdempotencyKey.State.RUNNING:
                raise Conflict from None
            replay = Response(earlier.body, status=earlier.status_code)
            if earlier.location:
                replay["Location"] = earlier.location
            replay["Idempotent-Replayed"] = "true"
            return replay
        # Taken over only if nobody else took it over first.
        taken = IdempotencyKey.objects.filter(pk=earlier.pk, created_at=earlier.created_at).update(
            created_at=now, fingerprint=fingerprint, state=IdempotencyKey.State.RUNNING, body=None
        )
        if not taken:
            raise Conflict from None
        claim = earlier
    try:
        response = run()
    except BaseException:
        IdempotencyKey.objects.filter(pk=claim.pk).delete()
        raise
    if 200 <= response.status_code < 300:
        IdempotencyKey.objects.filter(pk=claim.pk).update(
            state=IdempotencyKey.State.DONE,
            status_code=response.status_code,
            body=response.data,
            location=response.get("Location", ""),
        )
    else:
        IdempotencyKey.objects.filter(pk=claim.pk).delete()
    return response


def idempotency_keys_purge(*, now: Any = None) -> int:
    """Forgets keys older than a day; the periodic task calls it."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
