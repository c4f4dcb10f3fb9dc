"""Who may call which route, derived from the route table (``salon.kernel.routes``) and enforced before
body validation, so 401/403 win over 422. A route the table does not declare is refused (fail closed)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from salon.kernel.errors import NotFound
from salon.kernel.principal import Principal, require_role
from salon.kernel.routes import BY_KEY, Route


def authorize(route_key: str, principal: Principal | None) -> Route:
    """The declared route, if the caller may use it; ``NotFound`` for an undeclared route key,
    ``Unauthenticated``/``Forbidden`` when the caller may not."""
    route = BY_KEY.get(route_key)
    if route is None:
        raise NotFound("no such route")
    if not route.public:
        require_role(principal, route.roles)
    return route


_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def check_path_ids(parameters: Mapping[str, str] | None) -> None:
    """Ids are short slugs; anything else cannot exist (404), and never reaches DynamoDB keys."""
    for value in (parameters or {}).values():
        if not _ID.match(value):
            raise NotFound("no such resource")
