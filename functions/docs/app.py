"""The API's documentation: its OpenAPI document (built by `make openapi` from the route table and every
function's operations, checked in beside this file) and Swagger UI. Reads a file; imports no SDK, so
documenting the API costs no other function anything."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

DOCUMENT = Path(__file__).parent / "openapi.json"

# Swagger UI from its published bundle; "openapi.json" is relative so the page also works under a stage path.
SWAGGER_UI = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Salon API</title>
  <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({url: "openapi.json", dom_id: "#swagger-ui", persistAuthorization: true});
  </script>
</body>
</html>
"""


@cache
def openapi_document() -> str:
    return DOCUMENT.read_text(encoding="utf-8")


def swagger_ui() -> str:
    return SWAGGER_UI


# Route key -> content type and body: the routes of the table this function serves.
PAGES: dict[str, tuple[str, Callable[[], str]]] = {
    "GET /openapi.json": ("application/json", openapi_document),
    "GET /docs": ("text/html; charset=utf-8", swagger_ui),
}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    page = PAGES.get(str(event.get("routeKey", "")))
    if page is None:  # a route of the table that this function does not serve: refused
        problem = {
            "type": "/problems/not-found",
            "title": "Not found",
            "status": 404,
            "detail": "no such route",
            "instance": str(event.get("rawPath", "")),
        }
        return _reply(404, "application/problem+json", json.dumps(problem))
    content_type, body = page
    return _reply(200, content_type, body())


def _reply(status: int, content_type: str, body: str) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": content_type}, "body": body}
