"""HTTP API routes as the SAM template declares them (`Type: HttpApi` function events)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from localcloud.intrinsics import resolved

NO_AUTHORIZER = "NONE"


@dataclass(frozen=True)
class JwtAuthorizer:
    name: str
    issuer: str
    audiences: tuple[str, ...]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function_logical_id: str
    authorizer: JwtAuthorizer | None

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self.path)

    @property
    def static_segments(self) -> int:
        return sum(1 for segment in self.path.split("/") if segment and not segment.startswith("{"))


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    path_parameters: dict[str, str]


def _compile(path: str) -> re.Pattern[str]:
    pattern = ""
    for segment in path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            pattern += f"/(?P<{segment[1:-2]}>.+)"
        elif segment.startswith("{") and segment.endswith("}"):
            pattern += f"/(?P<{segment[1:-1]}>[^/]+)"
        elif segment:
            pattern += "/" + re.escape(segment)
    return re.compile(f"^{pattern or '/'}$")


def _authorizers(api_properties: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, JwtAuthorizer]:
    authorizers: dict[str, JwtAuthorizer] = {}
    for name, config in api_properties.get("Auth", {}).get("Authorizers", {}).items():
        jwt_config = resolved(config["JwtConfiguration"], values)
        authorizers[name] = JwtAuthorizer(name, jwt_config["issuer"], tuple(jwt_config["audience"]))
    return authorizers


def routes_from_template(sam_template: Mapping[str, Any], values: Mapping[str, str]) -> list[Route]:
    """Every HttpApi route, with its resolved JWT authorizer (None for public routes).

    `values` resolves references in the authorizer configuration (pool id, client id, region).
    """
    resources = sam_template["Resources"]
    apis = {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in resources.items()
        if resource["Type"] == "AWS::Serverless::HttpApi"
    }
    authorizers = {api_id: _authorizers(properties, values) for api_id, properties in apis.items()}
    routes: list[Route] = []
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event["Type"] != "HttpApi":
                continue
            properties = event["Properties"]
            api_id = properties["ApiId"]["Ref"]
            authorizer_name = properties.get("Auth", {}).get(
                "Authorizer", apis[api_id].get("Auth", {}).get("DefaultAuthorizer", NO_AUTHORIZER)
            )
            authorizer = None if authorizer_name == NO_AUTHORIZER else authorizers[api_id][authorizer_name]
            routes.append(Route(properties["Method"].upper(), properties["Path"], logical_id, authorizer))
    return routes


class RouteTable:
    """Matches requests like API Gateway: the most specific path wins; wrong method -> 405."""

    def __init__(self, routes: list[Route]) -> None:
        self._routes = sorted(routes, key=lambda route: (-route.static_segments, route.path))
        self._patterns = [(route, route.pattern) for route in self._routes]

    @property
    def routes(self) -> list[Route]:
        return list(self._routes)

    def match(self, method: str, path: str) -> RouteMatch | None:
        for route, pattern in self._patterns:
            found = pattern.match(path)
            if found and route.method in (method.upper(), "ANY"):
                return RouteMatch(route, dict(found.groupdict()))
        return None

    def allowed_methods(self, path: str) -> list[str]:
        return sorted({route.method for route, pattern in self._patterns if pattern.match(path)})
