"""The API's one OpenAPI 3.1 document, built from the route table and the operations bound to its routes.

Build-time only (``make openapi`` writes it beside the docs function, which serves the file): no
function imports this module, so documentation costs no cold start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from salon.kernel.http import Binding
from salon.kernel.routes import Route

Json = dict[str, Any]

REF = "#/components/schemas/{model}"
BEARER = "bearerAuth"
INFO: Json = {
    "title": "Salon API",
    "version": "1.0.0",
    "description": (
        "The HTTP API of Salon, every function's routes in one document.\n\n"
        "**Authentication**: `Authorization: Bearer <Cognito ID token>` on every route that is not "
        "public. Locally, `make dev` writes its seeded users with fresh tokens to "
        "`.local/dev-users.json`: paste one token into **Authorize**.\n\n"
        "**Errors** are `application/problem+json` (RFC 9457); `errors[].field` names each field at "
        "fault.\n\n"
        "**Idempotency**: the POST routes accept an `Idempotency-Key` header; a retry with the same "
        "key returns the first response."
    ),
}
PATH_ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$"
FILE: Json = {"type": "string", "format": "binary"}  # a Download, chosen by the Accept header


class ProblemError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None
    errors: list[ProblemError] | None = None


def problems(route: Route, binding: Binding | None) -> dict[int, str]:
    """The problem statuses a route can answer, each with when: what the route's declaration implies."""
    body = binding is not None and binding.body is not None
    query = binding is not None and binding.query is not None
    found: dict[int, str] = {}
    if body:
        found[400] = "The body is not JSON."
    if not route.public:
        found[401] = "No bearer token, or an invalid one."
        found[403] = "The caller's role may not use this route, or the token carries no tenant."
    if route.path_parameters:
        found[404] = "Unknown id, or the id of another tenant."
    conflicts = [route.conflicts] if route.conflicts else []
    if route.idempotent:
        conflicts.append("a request with the same Idempotency-Key is still in progress")
    if conflicts:
        found[409] = _sentence("; or ".join(conflicts))
    if binding is not None and binding.produces:
        found[406] = "The Accept header names none of the offered representations."
    if body:
        found[415] = "The body is not `application/json`."
    invalid = ["a field is invalid (`errors` names each one)"] if body or query else []
    if route.idempotent:
        invalid.append("the Idempotency-Key is malformed or was used with another request")
    if invalid:
        found[422] = _sentence("; or ".join(invalid))
    unavailable = [route.unavailable] if route.unavailable else []
    if route.idempotent:
        unavailable.append("the idempotency store is unavailable")
    if unavailable:
        found[503] = _sentence("; or ".join(unavailable)) + " Retry (with the same Idempotency-Key)."
    return found


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


Refs = Mapping[tuple[type[BaseModel], JsonSchemaMode], Json]


def _schemas(bindings: Iterable[Binding]) -> tuple[Refs, Json]:
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(Problem, "serialization")]
    for binding in bindings:
        if binding.response is not None:
            wanted.append((binding.response, "serialization"))
        if binding.body is not None:
            wanted.append((binding.body, "validation"))
    unique = list(dict.fromkeys(wanted))
    refs, definitions = models_json_schema(unique, ref_template=REF)
    return {key: ref for key, ref in refs.items() if key in unique}, definitions.get("$defs", {})


def _query_parameters(model: type[BaseModel]) -> list[Json]:
    schema = model.model_json_schema(ref_template=REF)
    if "$defs" in schema:
        raise ValueError(f"{model.__name__}: query parameters must be plain values")
    required = set(schema.get("required", ()))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": _present(property_schema)}
        for name, property_schema in schema["properties"].items()
    ]


def _present(schema: Json) -> Json:
    """An optional parameter's schema without its ``null`` branch: an absent parameter is not a null."""
    branches = [branch for branch in schema.get("anyOf", ()) if branch != {"type": "null"}]
    if len(branches) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf" and value is not None}
    return {**branches[0], **rest}


def _parameters(route: Route, binding: Binding | None) -> list[Json]:
    parameters: list[Json] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": PATH_ID_PATTERN},
        }
        for name in route.path_parameters
    ]
    if binding is not None and binding.query is not None:
        parameters += _query_parameters(binding.query)
    if route.idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Retries with the same key return the first response (kept 24 h).",
                "schema": {"type": "string", "minLength": 1, "maxLength": 128},
            }
        )
    return parameters


def _operation(route: Route, binding: Binding | None, refs: Refs) -> Json:
    who = "Public: no token needed." if route.public else f"Roles: {', '.join(sorted(route.roles))}."
    operation: Json = {
        "tags": [route.tag],
        "summary": route.summary,
        "description": f"{route.description}\n\n{who}",
        "operationId": binding.operation.__name__ if binding else _operation_id(route),
        "security": [] if route.public else [{BEARER: []}],
    }
    parameters = _parameters(route, binding)
    if parameters:
        operation["parameters"] = parameters
    if binding is None:
        operation["responses"] = {"200": {"description": "OK"}}
        return operation
    if binding.body is not None:
        content: Json = {"schema": refs[(binding.body, "validation")]}
        if binding.example is not None:
            content["example"] = binding.example
        operation["requestBody"] = {"required": True, "content": {"application/json": content}}
    success = {
        "description": "Created" if binding.status == 201 else "OK",
        "content": {
            **(
                {"application/json": {"schema": refs[(binding.response, "serialization")]}}
                if binding.response is not None
                else {}
            ),
            **{media_type: {"schema": FILE} for media_type in binding.produces},
        },
    }
    problem = {"application/problem+json": {"schema": refs[(Problem, "serialization")]}}
    operation["responses"] = {
        str(binding.status): success,
        **{
            str(status): {"description": why, "content": problem}
            for status, why in problems(route, binding).items()
        },
    }
    return operation


def _operation_id(route: Route) -> str:
    words = [route.method.lower(), *(part.strip("{}") for part in route.path.split("/") if part)]
    return "_".join(word.replace(".", "_") for word in words)


def document(routes: Iterable[Route], bindings: Mapping[str, Binding]) -> Json:
    """The OpenAPI document of ``routes``; operations bound in ``bindings`` get their models."""
    routes = list(routes)
    refs, schemas = _schemas(bindings.values())
    paths: dict[str, Json] = {}
    for route in routes:
        operation = _operation(route, bindings.get(route.key), refs)
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "tags": [{"name": tag} for tag in dict.fromkeys(route.tag for route in routes)],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A Cognito ID token: its groups give the roles, its `custom:tenant_id` "
                    "the tenant.",
                }
            },
        },
    }
