"""The one place that maps exceptions to HTTP responses (RFC 9457 problem+json)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from salon.kernel import errors as e
from salon.kernel.reply import Reply
from salon.kernel.validation import field_errors

logger = logging.getLogger(__name__)

BASE = "/problems/"  # relative to the API, so it never names a host Salon does not own
CONTENT_TYPE = "application/problem+json"
# Imported by the first keyed call only (salon.kernel.idempotency): its exceptions are looked up there.
_IDEMPOTENCY_EXCEPTIONS = "aws_lambda_powertools.utilities.idempotency.exceptions"

_STATUS: dict[type[e.SalonError], tuple[int, str]] = {
    e.MalformedBody: (400, "Malformed body"),
    e.ValidationFailed: (422, "Request validation failed"),
    e.NotFound: (404, "Not found"),
    e.Unauthenticated: (401, "Authentication required"),
    e.UnsupportedMediaType: (415, "Unsupported media type"),
    e.NotAcceptable: (406, "Not acceptable"),
    e.Forbidden: (403, "Forbidden"),
    e.InvalidTransition: (409, "Invalid state transition"),
    e.DuplicateEmail: (409, "E-mail already registered"),
    e.RegistrationClosed: (409, "Registration closed"),
    e.WindowClosed: (409, "Outside the allowed period"),
    e.DuplicateRequest: (409, "Meeting request already exists"),
    e.LimitReached: (422, "Limit reached"),
    e.Conflict: (409, "Conflict"),
    e.DependencyUnavailable: (503, "Service temporarily unavailable"),
}
# The response header that tells a client which body types a method accepts (RFC 5789, W3C LDP).
_ACCEPT_HINT = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str,
    *,
    instance: str = "",
    request_id: str = "",
    errors: Iterable[e.FieldError] = (),
    headers: dict[str, str] | None = None,
) -> Reply:
    body: dict[str, Any] = {
        "type": BASE + kind,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if request_id:
        body["request_id"] = request_id
    items = [{"field": err.field, "message": err.message} for err in errors]
    if items:
        body["errors"] = items
    return Reply(status, json.dumps(body), CONTENT_TYPE, headers or {})


def _salon_problem(exc: e.SalonError, instance: str, request_id: str) -> Reply:
    for cls in type(exc).__mro__:
        if cls in _STATUS:
            status, title = _STATUS[cls]
            break
    else:  # pragma: no cover - every subclass is mapped
        status, title = 400, "Bad request"
    return problem(
        status,
        exc.kind,
        title,
        exc.detail,
        instance=instance,
        request_id=request_id,
        errors=exc.errors,
        headers=_headers(exc, status),
    )


def _headers(exc: e.SalonError, status: int) -> dict[str, str] | None:
    if status == 503:
        return {"Retry-After": "2"}
    if isinstance(exc, e.UnsupportedMediaType) and exc.method in _ACCEPT_HINT:
        return {_ACCEPT_HINT[exc.method]: exc.supported}
    return None


def _idempotency_problem(exc: BaseException, instance: str, request_id: str) -> Reply | None:
    """The problem for Powertools' idempotency exceptions; ``None`` for any other exception (their
    module is only loaded once a keyed call ran, so none of them can be raised before)."""
    idempotency = sys.modules.get(_IDEMPOTENCY_EXCEPTIONS)
    if idempotency is None:
        return None
    if isinstance(exc, idempotency.IdempotencyValidationError):
        return problem(
            422,
            "idempotency-key-reuse",
            "Idempotency key reused",
            "this Idempotency-Key was used with a different request",
            instance=instance,
            request_id=request_id,
        )
    if isinstance(exc, idempotency.IdempotencyAlreadyInProgressError):
        return problem(
            409,
            "conflict",
            "Request in progress",
            "a request with this Idempotency-Key is still in progress",
            instance=instance,
            request_id=request_id,
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, idempotency.IdempotencyPersistenceLayerError):
        logger.exception("idempotency store unavailable")
        return problem(
            503,
            "dependency-unavailable",
            "Service temporarily unavailable",
            "retry later",
            instance=instance,
            request_id=request_id,
            headers={"Retry-After": "2"},
        )
    return None


def from_exception(exc: BaseException, *, instance: str, request_id: str) -> Reply:
    """Map any exception; unexpected ones are logged and become a 500 problem (bugs only)."""
    if isinstance(exc, e.SalonError):
        return _salon_problem(exc, instance, request_id)
    if isinstance(exc, ValidationError):
        errs = field_errors(exc.errors())
        return _salon_problem(
            e.ValidationFailed(f"{len(errs)} field(s) are invalid", errors=errs), instance, request_id
        )
    idempotency = _idempotency_problem(exc, instance, request_id)
    if idempotency is not None:
        return idempotency
    if isinstance(exc, UnicodeError):
        return problem(
            400,
            "malformed-body",
            "Malformed body",
            "the body could not be encoded",
            instance=instance,
            request_id=request_id,
        )
    logger.exception("unhandled error", extra={"error_type": type(exc).__name__})
    return problem(
        500,
        "internal",
        "Internal error",
        "an unexpected error occurred",
        instance=instance,
        request_id=request_id,
    )
