"""Rules on the raw HTTP request that hold for every route, so no route repeats them.

- A body sent with POST, PUT or PATCH must be ``application/json``, optionally with
  ``charset=utf-8`` (JSON is UTF-8 only). ``application/*+json`` types are refused too: the API
  reads plain JSON and implements none of their semantics (merge-patch, JSON Patch...). A request
  without a body is judged on the missing body instead (422 where the route needs one).
- JSON that Python refuses to parse (nesting deeper than its recursion limit, integers longer
  than its digit limit) is malformed JSON (400), like any other unparseable body.
- A body is a JSON object on every route (422 otherwise), so ``[{...}]`` never passes for ``{...}``.
- A query parameter the route does not declare is a validation error (422), like an unknown field
  in a body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from salon.kernel.errors import FieldError, MalformedBody, UnsupportedMediaType, ValidationFailed

JSON_MEDIA_TYPE = "application/json"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_UTF8 = frozenset({"utf-8", "utf8"})
_CONTENT_TYPE = "content-type"


def _why_not_json(content_type: str | None) -> str | None:
    """``None`` when `content_type` announces a JSON body the API reads, else the reason."""
    if not content_type:
        return "a body needs a Content-Type header"
    media_type, *parameters = content_type.split(";")
    if media_type.strip().lower() != JSON_MEDIA_TYPE:
        return f"the body must be {JSON_MEDIA_TYPE}"
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in _UTF8:
            return "JSON bodies are UTF-8"
    return None


def require_json_body(event: Mapping[str, Any]) -> dict[str, Any]:
    """The payload 2.0 `event` to resolve, or ``UnsupportedMediaType`` when its body is not JSON.

    An empty body has no media type: its Content-Type is dropped, so body validation answers for it.
    """
    headers: Mapping[str, str] = event.get("headers") or {}
    content_type = next((value for name, value in headers.items() if name.lower() == _CONTENT_TYPE), None)
    if not event.get("body"):
        if content_type is None:
            return dict(event)
        kept = {name: value for name, value in headers.items() if name.lower() != _CONTENT_TYPE}
        return {**event, "headers": kept}
    method = str(((event.get("requestContext") or {}).get("http") or {}).get("method", "")).upper()
    reason = _why_not_json(content_type) if method in _BODY_METHODS else None
    if reason is not None:
        raise UnsupportedMediaType(
            reason,
            supported=JSON_MEDIA_TYPE,
            method=method,
            errors=[FieldError("Content-Type", f"must be {JSON_MEDIA_TYPE} (charset utf-8 if given)")],
        )
    return dict(event)


def read_json_object(text: str) -> dict[str, Any]:
    """The request body's JSON object: ``MalformedBody`` (400) for input that is not JSON or that Python
    cannot parse, ``ValidationFailed`` (422) for any JSON but an object."""
    try:
        parsed = json.loads(text)
    except (RecursionError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise MalformedBody("the body is not valid JSON") from exc
    if not isinstance(parsed, dict):
        raise ValidationFailed(
            "the body must be a JSON object", errors=[FieldError("body", "must be a JSON object")]
        )
    return parsed


def reject_undeclared_query(parameters: Mapping[str, str], declared: frozenset[str]) -> None:
    """422 for query parameters the route does not declare."""
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise ValidationFailed(
            f"{len(unknown)} unknown query parameter(s)",
            errors=[FieldError(f"query.{name[:64]}", "unknown parameter") for name in unknown],
        )
