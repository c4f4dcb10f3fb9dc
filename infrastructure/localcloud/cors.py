"""CORS as API Gateway's HTTP API applies it, from the API's ``x-amazon-apigateway-cors`` settings.

API Gateway answers a preflight itself (no route, no authorizer, no function), and adds the
allow-origin header to every response to a request from an allowed origin. An origin that is not
allowed gets no CORS header at all, which the browser reads as a refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from localcloud.http_event import HttpResult


@dataclass(frozen=True)
class CorsConfiguration:
    allow_origins: tuple[str, ...]
    allow_headers: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    max_age: int | None = None

    @classmethod
    def of_api(cls, translated_template: Mapping[str, Any]) -> CorsConfiguration | None:
        """The CORS settings of the template's HTTP API (translated), or None without any."""
        for resource in translated_template["Resources"].values():
            if resource["Type"] != "AWS::ApiGatewayV2::Api":
                continue
            cors = resource.get("Properties", {}).get("Body", {}).get("x-amazon-apigateway-cors")
            if cors:
                return cls(
                    allow_origins=tuple(cors.get("allowOrigins", ())),
                    allow_headers=tuple(cors.get("allowHeaders", ())),
                    allow_methods=tuple(cors.get("allowMethods", ())),
                    max_age=cors.get("maxAge"),
                )
        return None

    def allows(self, origin: str | None) -> bool:
        return origin is not None and (origin in self.allow_origins or "*" in self.allow_origins)

    def preflight(self, origin: str | None) -> HttpResult:
        """API Gateway's own answer to an OPTIONS request carrying Access-Control-Request-Method."""
        if not self.allows(origin):
            return HttpResult(204)
        headers = [
            *self._allow_origin(origin),
            ("Access-Control-Allow-Methods", ",".join(self.allow_methods)),
            ("Access-Control-Allow-Headers", ",".join(self.allow_headers)),
        ]
        if self.max_age is not None:
            headers.append(("Access-Control-Max-Age", str(self.max_age)))
        return HttpResult(204, headers)

    def add_headers(self, origin: str | None, result: HttpResult) -> HttpResult:
        if self.allows(origin):
            result.headers.extend(self._allow_origin(origin))
        return result

    def _allow_origin(self, origin: str | None) -> list[tuple[str, str]]:
        return [("Access-Control-Allow-Origin", "*" if "*" in self.allow_origins else str(origin))]


def is_preflight(method: str, request_method: str | None) -> bool:
    """A preflight is an OPTIONS request naming the method it asks for (Access-Control-Request-Method)."""
    return method.upper() == "OPTIONS" and request_method is not None
