"""A function's HTTP operations. API Gateway has already matched the route (the event's ``routeKey``),
so dispatch is a lookup in the route table; bodies and query strings are validated by pydantic directly.

Order of checks, the same for every route: undeclared route (404), authorization (401/403), path ids
(404), the body's media type (415, ``salon.kernel.http_input``), the representation asked for (406,
routes that offer more than JSON), query string and body (400/422), Idempotency-Key (422), then the
operation. Every failure is a problem+json response (``salon.kernel.problems``).

An operation answers a model (JSON) or, on a route that declares ``produces``, a ``Download``: bytes
sent base64-encoded with ``isBase64Encoded`` (payload 2.0), which API Gateway decodes for the client.
A route whose ``response`` is None answers files only (a PDF, a calendar): no JSON is offered.

A function's handler module may bind its operations lazily: ``router.lazy(key, module)`` names the
module (beside the handler) whose own ``router`` binds the route's operation. That module, with its
models and services, is imported when a request for one of its routes has been authorized, so a cold
start pays for the router and the route table only, and the first request for its route's code.
"""

from __future__ import annotations

import base64
import importlib
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from salon.kernel.auth import principal_from_event
from salon.kernel.caller import Caller
from salon.kernel.errors import FieldError, MalformedBody, NotAcceptable, NotFound, ValidationFailed
from salon.kernel.http_input import read_json_object, reject_undeclared_query, require_json_body
from salon.kernel.policy import authorize, check_path_ids
from salon.kernel.problems import from_exception
from salon.kernel.reply import Reply
from salon.kernel.routes import BY_KEY, Route
from salon.kernel.validation import invalid

JSON = "application/json"


@dataclass(frozen=True)
class Download:
    """A non-JSON answer (a file): its bytes, media type and the name a browser saves it under."""

    content: bytes
    media_type: str
    filename: str

    def reply(self, status: int) -> Reply:
        disposition = {"Content-Disposition": f'attachment; filename="{self.filename}"'}
        body = base64.b64encode(self.content).decode("ascii")
        return Reply(status, body, self.media_type, disposition, base64_encoded=True)


@dataclass(frozen=True)
class RawRequest:
    """The body as sent and the headers (lower-cased names), for an operation that checks a signature."""

    body: bytes
    headers: Mapping[str, str]


Result = BaseModel | Mapping[str, Any] | Download
Operation = Callable[..., Result]
F = TypeVar("F", bound=Operation)


@dataclass(frozen=True)
class Binding:
    """A declared route bound to the function implementing it, with what it reads and answers."""

    route: Route
    operation: Operation
    status: int
    response: type[BaseModel] | None  # None: files only (``produces``)
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    example: Mapping[str, Any] | None = None  # a request body, for the OpenAPI document
    produces: tuple[str, ...] = ()  # media types offered besides JSON (the operation gets ``media_type``)
    raw: bool = False  # the operation gets the request as sent (``raw``) instead of a validated body

    @property
    def query_names(self) -> frozenset[str]:
        """The query parameters the operation reads (by their names in the URL)."""
        if self.query is None:
            return frozenset()
        return frozenset(field.alias or name for name, field in self.query.model_fields.items())


class Router:
    """The operations of one function, each bound to a route of ``salon.kernel.routes``.

    An operation is called as ``operation(caller, **path_parameters, [query=...], [body=...])``.
    ``package`` is the handler module's package (``__package__``: empty in Lambda, where the handler is
    a top-level module); the modules of lazy routes are named relative to it.
    """

    def __init__(self, function: str, package: str | None = None) -> None:
        self.function = function
        self.package = package or ""
        self.bindings: dict[str, Binding] = {}
        self.lazy_modules: dict[str, str] = {}  # route key -> the module binding its operation
        self._binding_lock = threading.Lock()

    def lazy(self, key: str, module: str) -> None:
        """Declare that ``module``'s own ``router`` binds ``key``; it is imported on the route's first
        authorized request (or by ``bind_all``)."""
        self._declared_here(key)
        if key in self.bindings or key in self.lazy_modules:
            raise ValueError(f"{key} is bound twice")
        self.lazy_modules[key] = module

    def bind_all(self) -> dict[str, Binding]:
        """Every operation of the function, importing each lazy module (the OpenAPI build, tests)."""
        for key in list(self.lazy_modules):
            self._binding(key)
        return self.bindings

    def _declared_here(self, key: str) -> Route:
        route = BY_KEY[key]
        if route.function != self.function:
            raise ValueError(f"{key} is declared for {route.function}, not {self.function}")
        return route

    def _binding(self, key: str) -> Binding | None:
        """The operation bound to ``key``, importing its lazy module on first use."""
        binding = self.bindings.get(key)
        module = self.lazy_modules.get(key)
        if binding is not None or module is None:
            return binding
        with self._binding_lock:  # concurrent first requests (local cloud threads) bind it once
            if key not in self.bindings:
                self._bind_module(module)
        return self.bindings[key]

    def _bind_module(self, module: str) -> None:
        name = f"{self.package}.{module}" if self.package else module
        operations = getattr(importlib.import_module(name), "router", None)
        if not isinstance(operations, Router) or operations.function != self.function:
            raise TypeError(f"{name} has no router of {self.function}")
        declared = {key for key, declared_in in self.lazy_modules.items() if declared_in == module}
        if set(operations.bindings) != declared:
            raise LookupError(
                f"{name} binds {sorted(operations.bindings)}, declared lazy here: {sorted(declared)}"
            )
        self.bindings.update(operations.bindings)

    def route(
        self,
        key: str,
        *,
        response: type[BaseModel] | None,
        status: int = 200,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        example: Mapping[str, Any] | None = None,
        produces: tuple[str, ...] = (),
        raw: bool = False,
    ) -> Callable[[F], F]:
        route = self._declared_here(key)
        if response is None and not produces:
            raise ValueError(f"{key} answers neither JSON nor a file")

        def bind(operation: F) -> F:
            self.bindings[key] = Binding(
                route, operation, status, response, body, query, example, produces, raw
            )
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
        binding = self._binding(route.key)
        if binding is None:
            raise NotFound("no such route")
        path_parameters = dict(event.get("pathParameters") or {})
        check_path_ids(path_parameters)
        event = require_json_body(event)
        arguments: dict[str, Any] = dict(path_parameters)
        if binding.produces:
            offered = binding.produces if binding.response is None else (JSON, *binding.produces)
            arguments["media_type"] = negotiate(_header(event, "accept"), offered)
        query = event.get("queryStringParameters") or {}
        reject_undeclared_query(query, binding.query_names)
        if binding.query is not None:
            arguments["query"] = _validated(binding.query, query, "query")
        if binding.body is not None:
            arguments["body"] = _validated(binding.body, _json_body(event), "")
        if binding.raw:
            headers = {key.lower(): str(value) for key, value in (event.get("headers") or {}).items()}
            arguments["raw"] = RawRequest(_raw_body(event), headers)
        request_id = str((event.get("requestContext") or {}).get("requestId", ""))
        caller = Caller(
            principal,
            request_id,
            _idempotency_key(event),
            _header(event, "accept-language"),
            _origin(event),
        )
        result = binding.operation(caller, **arguments)
        if isinstance(result, Download):
            return result.reply(binding.status)
        return Reply(binding.status, json.dumps(to_jsonable_python(result), sort_keys=True))


def negotiate(accept: str | None, offered: tuple[str, ...]) -> str:
    """The offered media type the Accept header prefers (the first offered on a tie, or without a
    header); 406 when it accepts none of them."""
    if not accept or not accept.strip():
        return offered[0]
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        media_range, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_range:
            ranges.append((media_range.lower(), quality))

    def quality_of(media_type: str) -> float:
        kind = media_type.split("/", 1)[0]
        matches = [  # the most specific matching range decides
            (specificity, q)
            for media_range, q in ranges
            for specificity in [2 if media_range == media_type else 1 if media_range == f"{kind}/*" else 0]
            if specificity or media_range == "*/*"
        ]
        return max(matches)[1] if matches else 0.0

    best = max(offered, key=lambda media_type: (quality_of(media_type), -offered.index(media_type)))
    if quality_of(best) <= 0:
        raise NotAcceptable(f"this route answers {', '.join(offered)}")
    return best


M = TypeVar("M", bound=BaseModel)


def _validated(model: type[M], data: Any, prefix: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(exc, prefix) from exc


def _raw_body(event: Mapping[str, Any]) -> bytes:
    raw = event.get("body")
    if raw is None:
        return b""
    try:
        if event.get("isBase64Encoded"):
            return base64.b64decode(raw, validate=True)
        return str(raw).encode()
    except ValueError as exc:  # binascii.Error, UnicodeEncodeError
        raise MalformedBody("the body is not valid UTF-8 or base64") from exc


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


def _origin(event: Mapping[str, Any]) -> str | None:
    """The API's own address as the client called it (API Gateway answers over HTTPS only)."""
    domain = (event.get("requestContext") or {}).get("domainName")
    return f"https://{domain}" if domain else None


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
