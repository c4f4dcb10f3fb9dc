"""A function's HTTP operations. API Gateway has already matched the route (the event's ``routeKey``),
so dispatch is a lookup in the route table; bodies and query strings are validated by pydantic directly.

Order of checks, the same for every route: undeclared route (404), authorization (401/403), path ids
(404), the body's media type (415, ``salon.kernel.http_input``), query string and body (400/422),
Idempotency-Key (422), then the operation. Every failure is a
problem+json response (``salon.kernel.problems``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from salon.kernel.auth import principal_from_event
from salon.kernel.caller import Caller
from salon.kernel.errors import FieldError, MalformedBody, NotFound, ValidationFailed
from salon.kernel.http_input import read_json_object, reject_undeclared_query, require_json_body
from salon.kernel.policy import authorize, check_path_ids
from salon.kernel.problems import from_exception
from salon.kernel.reply import Reply
from salon.kernel.routes import BY_KEY, Route
from salon.kernel.validation import invalid

Result = BaseModel | Mapping[str, Any]
Operation = Callable[..., Result]
F = TypeVar("F", bound=Operation)


@dataclass(frozen=True)
class Binding:
    """A declared route bound to the function implementing it, with what it reads and answers."""

    route: Route
    operation: Operation
    status: int
    response: type[BaseModel]
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    example: Mapping[str, Any] | None = None  # a request body, for the OpenAPI document

    @property
    def query_names(self) -> frozenset[str]:
        """The query parameters the operation reads (by their names in the URL)."""
        if self.query is None:
            return frozenset()
        return frozenset(field.alias or name for name, field in self.query.model_fields.items())


class Router:
    """The operations of one function, each bound to a route of ``salon.kernel.routes``.

    An operation is called as ``operation(caller, **path_parameters, [query=...], [body=...])``.
    """

    def __init__(self, function: str) -> None:
        self.function = function
        self.bindings: dict[str, Binding] = {}

    def route(
        self,
        key: str,
        *,
        response: type[BaseModel],
        status: int = 200,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        example: Mapping[str, Any] | None = None,
    ) -> Callable[[F], F]:
        route = BY_KEY[key]
        if route.function != self.function:
            raise ValueError(f"{key} is declared for {route.function}, not {self.function}")

        def bind(operation: F) -> F:
            self.bindings[key] = Binding(route, operation, status, response, body, query, example)
            return operation

        return bind

    def handle(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """The Lambda response to an HTTP API event: the operation's result, or a problem."""
        try:
            reply = self.dispatch(event)
        except Exception as exc:  # every failure becomes a problem+json response
            request_id = str((event.get("requestContext") or {}).get("requestId", ""))
            reply = from_exception(exc, instance=str(event.get("rawPath", "")), request_id=request_id)
        return reply.to_lambda()

    def dispatch(self, event: Mapping[str, Any]) -> Reply:
        """Run the operation of the event's route; raises what the checks or the operation raise."""
        principal = principal_from_event(event)
        route = authorize(str(event.get("routeKey", "")), principal)
        binding = self.bindings.get(route.key)
        if binding is None:
            raise NotFound("no such route")
        path_parameters = dict(event.get("pathParameters") or {})
        check_path_ids(path_parameters)
        event = require_json_body(event)
        arguments: dict[str, Any] = dict(path_parameters)
        query = event.get("queryStringParameters") or {}
        reject_undeclared_query(query, binding.query_names)
        if binding.query is not None:
            arguments["query"] = _validated(binding.query, query, "query")
        if binding.body is not None:
            arguments["body"] = _validated(binding.body, _json_body(event), "")
        request_id = str((event.get("requestContext") or {}).get("requestId", ""))
        caller = Caller(principal, request_id, _idempotency_key(event), _header(event, "accept-language"))
        result = binding.operation(caller, **arguments)
        return Reply(binding.status, json.dumps(to_jsonable_python(result), sort_keys=True))


M = TypeVar("M", bound=BaseModel)


def _validated(model: type[M], data: Any, prefix: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(exc, prefix) from exc


def _json_body(event: Mapping[str, Any]) -> dict[str, Any] | None:
    raw = event.get("body")
    if raw is None or raw == "":
        return None
    try:
        text = base64.b64decode(raw, validate=True).decode() if event.get("isBase64Encoded") else str(raw)
    except ValueError as exc:  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise MalformedBody("the body is not valid JSON") from exc
    return read_json_object(text)


def _header(event: Mapping[str, Any], name: str) -> str | None:
    headers = {key.lower(): value for key, value in (event.get("headers") or {}).items()}
    value = headers.get(name)
    return None if value is None else str(value)


def _idempotency_key(event: Mapping[str, Any]) -> str | None:
    key = _header(event, "idempotency-key")
    if key is None:
        return None
    key = str(key).strip()
    if not 1 <= len(key) <= 128:
        raise ValidationFailed(
            "invalid Idempotency-Key", errors=[FieldError("Idempotency-Key", "1 to 128 characters")]
        )
    return key
