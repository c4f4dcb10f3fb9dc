"""HTTP API payload format 2.0: request -> Lambda event, Lambda result -> HTTP response."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request

from localcloud.auth import claim_as_string, scopes_of

_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")
_TEXT_SUFFIXES = ("+json", "+xml")


@dataclass(frozen=True)
class ApiContext:
    api_id: str
    account_id: str
    domain_name: str
    stage: str = "$default"


def _is_text(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return not media_type or media_type.startswith(_TEXT_TYPES) or media_type.endswith(_TEXT_SUFFIXES)


def _joined(pairs: Mapping[str, list[str]]) -> dict[str, str]:
    return {name: ",".join(values) for name, values in pairs.items()}


def build_event(
    request: Request,
    route_key: str,
    path_parameters: Mapping[str, str],
    claims: Mapping[str, Any] | None,
    api: ApiContext,
) -> dict[str, Any]:
    """The event API Gateway sends to a Lambda proxy integration (payload format 2.0)."""
    headers: dict[str, list[str]] = {}
    for name, value in request.headers.items():
        if name.lower() != "cookie":
            headers.setdefault(name.lower(), []).append(value)
    # Headers API Gateway adds in front of every integration.
    source_ip = request.remote_addr or "127.0.0.1"
    headers.setdefault("x-forwarded-for", []).append(source_ip)
    headers.setdefault("x-forwarded-proto", ["https"])
    headers.setdefault("x-forwarded-port", ["443"])
    headers.setdefault("x-amzn-trace-id", [f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"])
    cookies = [cookie.strip() for cookie in request.headers.get("Cookie", "").split(";") if cookie.strip()]
    now = datetime.now(UTC)
    raw_body = request.get_data(cache=True)
    text = _is_text(request.headers.get("Content-Type", ""))
    http_context = {
        "method": request.method,
        "path": request.path,
        "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
        "sourceIp": source_ip,
        "userAgent": request.headers.get("User-Agent", ""),
    }
    request_context: dict[str, Any] = {
        "accountId": api.account_id,
        "apiId": api.api_id,
        "domainName": api.domain_name,
        "domainPrefix": api.domain_name.split(".", 1)[0],
        "http": http_context,
        "requestId": base64.urlsafe_b64encode(uuid.uuid4().bytes[:12]).decode().rstrip("="),
        "routeKey": route_key,
        "stage": api.stage,
        "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(time.time() * 1000),
    }
    if claims is not None:
        request_context["authorizer"] = {
            "jwt": {
                "claims": {name: claim_as_string(value) for name, value in claims.items()},
                "scopes": scopes_of(claims),
            }
        }
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode("latin-1"),
        "headers": _joined(headers),
        "requestContext": request_context,
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if request.args:
        event["queryStringParameters"] = _joined(request.args.to_dict(flat=False))
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if raw_body:
        if text:
            event["body"] = raw_body.decode("utf-8", errors="replace")
        else:
            event["body"] = base64.b64encode(raw_body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


@dataclass
class HttpResult:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def map_result(payload: Any) -> HttpResult:
    """Payload 2.0 response mapping, including API Gateway's inference for non-proxy-shaped results."""
    if not isinstance(payload, dict) or "statusCode" not in payload:
        return HttpResult(200, [("Content-Type", "application/json")], json.dumps(payload).encode())
    headers = [(str(name), str(value)) for name, value in (payload.get("headers") or {}).items()]
    for name, values in (payload.get("multiValueHeaders") or {}).items():
        headers.extend((str(name), str(value)) for value in values)
    headers.extend(("Set-Cookie", str(cookie)) for cookie in payload.get("cookies") or [])
    body = payload.get("body")
    if body is None:
        data = b""
    elif payload.get("isBase64Encoded"):
        data = base64.b64decode(body)
    else:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
    return HttpResult(int(payload["statusCode"]), headers, data)
