"""The local HTTP gateway: API Gateway HTTP API in front of the in-process Lambda functions.

Routes come from the template's HttpApi events; JWT routes are checked like API Gateway's JWT
authorizer; requests become payload-2.0 events and are invoked through moto's Lambda Invoke API
(`via_invoke_api=True`, the default: HTTP takes the same path as every other trigger) or straight
through the in-process runtime (`False`, saves one local HTTP round trip per request).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import boto3
from botocore.config import Config
from werkzeug.datastructures import Headers
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from localcloud.auth import JwtVerifier, Unauthorized
from localcloud.cors import CorsConfiguration, is_preflight
from localcloud.http_event import ApiContext, HttpResult, build_event, map_result
from localcloud.routes import RouteTable

logger = logging.getLogger(__name__)


class Invoker(Protocol):
    def __call__(self, function_name: str, event: Mapping[str, Any]) -> tuple[Any, bool]:
        """Run the function; return (decoded payload, errored)."""
        ...


class LambdaApiInvoker:
    """Invokes through moto's Lambda Invoke API (the path every AWS trigger takes)."""

    def __init__(self, region: str) -> None:
        config = Config(retries={"total_max_attempts": 1}, read_timeout=900, max_pool_connections=50)
        self._client = boto3.client("lambda", region_name=region, config=config)

    def __call__(self, function_name: str, event: Mapping[str, Any]) -> tuple[Any, bool]:
        response = self._client.invoke(FunctionName=function_name, Payload=json.dumps(event).encode())
        return json.loads(response["Payload"].read() or b"null"), "FunctionError" in response


class DirectInvoker:
    """Invokes moto's Lambda model in-process, skipping the HTTP hop to the moto server."""

    def __init__(self, account_id: str, region: str) -> None:
        self._account_id = account_id
        self._region = region

    def __call__(self, function_name: str, event: Mapping[str, Any]) -> tuple[Any, bool]:
        from moto.awslambda.utils import get_backend

        from localcloud.runtime import run_in_process

        function = get_backend(self._account_id, self._region).get_function(function_name)
        payload, errored, _ = run_in_process(function, dict(event))
        return json.loads(payload), errored


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> HttpResult:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return HttpResult(status, [("Content-Type", "application/problem+json")], json.dumps(body).encode())


class GatewayApp:
    """The WSGI application: CORS, route, authorize, invoke, map."""

    def __init__(
        self,
        routes: RouteTable,
        function_names: Mapping[str, str],
        verifier: JwtVerifier,
        invoker: Invoker,
        api: ApiContext,
        cors: CorsConfiguration | None = None,
    ) -> None:
        self._routes = routes
        self._function_names = dict(function_names)
        self._verifier = verifier
        self._invoker = invoker
        self._api = api
        self._cors = cors

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        started = time.perf_counter()
        result = self.handle(request)
        response = Response(result.body, status=result.status, headers=Headers(result.headers))
        logger.info(
            "http method=%s status=%d ms=%.1f",
            request.method,
            result.status,
            (time.perf_counter() - started) * 1000,
        )
        return response(environ, start_response)

    def event_for(self, request: Request) -> dict[str, Any] | HttpResult:
        """The Lambda event for `request`, or the gateway's own error response."""
        matched = self._routes.match(request.method, request.path)
        if matched is None:
            allowed = self._routes.allowed_methods(request.path)
            if allowed:
                result = problem(405, "Method Not Allowed", f"allowed: {', '.join(allowed)}")
                result.headers.append(("Allow", ", ".join(allowed)))
                return result
            return problem(404, "Not Found", message="Not Found")
        claims = None
        if matched.route.authorizer is not None:
            try:
                claims = self._verifier.verify(request.headers.get("Authorization"), matched.route.authorizer)
            except Unauthorized:
                result = problem(401, "Unauthorized", message="Unauthorized")
                result.headers.append(("WWW-Authenticate", "Bearer"))
                return result
        return build_event(request, matched.route.route_key, matched.path_parameters, claims, self._api)

    def handle(self, request: Request) -> HttpResult:
        if self._cors is None:
            return self._handle(request)
        origin = request.headers.get("Origin")
        if is_preflight(request.method, request.headers.get("Access-Control-Request-Method")):
            return self._cors.preflight(origin)
        return self._cors.add_headers(origin, self._handle(request))

    def _handle(self, request: Request) -> HttpResult:
        event = self.event_for(request)
        if isinstance(event, HttpResult):
            return event
        matched = self._routes.match(request.method, request.path)
        assert matched is not None
        function_name = self._function_names[matched.route.function_logical_id]
        try:
            payload, errored = self._invoker(function_name, event)
        except Exception:
            logger.exception("invoke failed request_id=%s", event["requestContext"]["requestId"])
            return problem(500, "Internal Server Error", message="Internal Server Error")
        if errored:
            logger.warning("function error request_id=%s", event["requestContext"]["requestId"])
            return problem(500, "Internal Server Error", message="Internal Server Error")
        try:
            return map_result(payload)
        except (TypeError, ValueError, KeyError):
            return problem(500, "Internal Server Error", message="Internal Server Error")


class GatewayServer:
    """A threaded Werkzeug server for `GatewayApp` on 127.0.0.1."""

    def __init__(self, app: GatewayApp, port: int = 0, host: str = "127.0.0.1", served: Any = None) -> None:
        self.app = app  # ``served``: what the port serves, if not the gateway alone (the dev pages)
        self._server: BaseWSGIServer = make_server(host, port, served or app, threaded=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="localcloud-gateway", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.ident is not None:  # shutdown() waits for a serve loop that never ran otherwise
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
