"""The one place that maps exceptions to HTTP responses (RFC 9457 problem+json)."""

from __future__ import annotations

import binascii
import json
from collections.abc import Iterable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)
from pydantic import ValidationError

from salon.kernel import errors as e
from salon.kernel.validation import field_errors

logger = Logger(child=True)

BASE = "/problems/"  # relative to the API, so it never names a host Salon does not own
CONTENT_TYPE = "application/problem+json"

_STATUS: dict[type[e.SalonError], tuple[int, str]] = {
    e.ValidationFailed: (422, "Request validation failed"),
    e.NotFound: (404, "Not found"),
    e.Unauthenticated: (401, "Authentication required"),
    e.UnsupportedMediaType: (415, "Unsupported media type"),
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
) -> Response[str]:
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
    return Response(status_code=status, content_type=CONTENT_TYPE, body=json.dumps(body), headers=headers)


def _invalid(errs: list[e.FieldError], instance: str, request_id: str) -> Response[str]:
    return problem(
        422,
        "validation",
        "Request validation failed",
        f"{len(errs)} field(s) are invalid",
        instance=instance,
        request_id=request_id,
        errors=errs,
    )


def _headers(exc: e.SalonError, status: int) -> dict[str, str] | None:
    if status == 503:
        return {"Retry-After": "2"}
    if isinstance(exc, e.UnsupportedMediaType) and exc.method in _ACCEPT_HINT:
        return {_ACCEPT_HINT[exc.method]: exc.supported}
    return None


def from_exception(exc: BaseException, *, instance: str, request_id: str) -> Response[str]:
    """Map any exception; unexpected ones are logged and become a 500 problem (bugs only)."""
    if isinstance(exc, e.SalonError):
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
    if isinstance(exc, RequestUnsupportedContentType):
        return problem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            "the body must be application/json",
            instance=instance,
            request_id=request_id,
            errors=[e.FieldError("Content-Type", "must be application/json")],
        )
    if isinstance(exc, RequestValidationError):
        raw = list(exc.errors())
        if any(err.get("type") == "json_invalid" for err in raw):
            return problem(
                400,
                "malformed-body",
                "Malformed JSON body",
                "the body is not valid JSON",
                instance=instance,
                request_id=request_id,
            )
        return _invalid(field_errors(raw, strip=("body",)), instance, request_id)
    if isinstance(exc, ValidationError):
        return _invalid(field_errors(exc.errors()), instance, request_id)
    if isinstance(exc, IdempotencyValidationError):
        return problem(
            422,
            "idempotency-key-reuse",
            "Idempotency key reused",
            "this Idempotency-Key was used with a different request",
            instance=instance,
            request_id=request_id,
        )
    if isinstance(exc, IdempotencyAlreadyInProgressError):
        return problem(
            409,
            "conflict",
            "Request in progress",
            "a request with this Idempotency-Key is still in progress",
            instance=instance,
            request_id=request_id,
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, ServiceError):
        kinds = {404: "not-found", 405: "method-not-allowed", 401: "unauthenticated", 403: "forbidden"}
        return problem(
            exc.status_code,
            kinds.get(exc.status_code, "bad-request"),
            "Error",
            str(exc.msg),
            instance=instance,
            request_id=request_id,
        )
    if isinstance(exc, UnicodeError | binascii.Error):
        return problem(
            400,
            "malformed-body",
            "Malformed body",
            "the body could not be decoded",
            instance=instance,
            request_id=request_id,
        )
    if isinstance(exc, IdempotencyPersistenceLayerError):
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
    logger.exception("unhandled error", extra={"error_type": type(exc).__name__})
    return problem(
        500,
        "internal",
        "Internal error",
        "an unexpected error occurred",
        instance=instance,
        request_id=request_id,
    )
