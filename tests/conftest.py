"""Shared fixtures.

- ``cloud``: one `localcloud.LocalCloud` per test session (per xdist worker), started on first use.
- ``api``: an anonymous HTTP client on the local gateway; ``api.as_user(user)`` /
  ``api.with_token(token)`` give authenticated copies.
- ``user_factory(role, tenant_id)``: a fresh Cognito user in group ``role`` (``participant``,
  ``organizer``, ``staff``, ``dpo``) with its ID token and its own authenticated ``api`` client.

Integration tests are marked ``@pytest.mark.integration`` (e2e ones ``@pytest.mark.e2e``); unit tests
never start the cloud.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
import requests

# Test directories mirror package names (tests/unit/localcloud, tests/integration/salon...), and
# pytest's default "prepend" import mode puts their parents on sys.path, where they would shadow
# the real packages as namespace packages. Importing the real ones first pins them in sys.modules.
for _package in ("localcloud", "salon"):
    importlib.import_module(_package)

if TYPE_CHECKING:
    from localcloud import LocalCloud

TEST_PASSWORD = "Local-Passw0rd-2026"


class ApiClient:
    """A `requests` session bound to the gateway URL, optionally carrying a bearer token."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._session = requests.Session()
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"

    def with_token(self, token: str | None) -> ApiClient:
        return ApiClient(self.base_url, token)

    def as_user(self, user: User) -> ApiClient:
        return self.with_token(user.token)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self._session.request(method, self.base_url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


@dataclass(frozen=True)
class User:
    email: str
    password: str
    role: str
    tenant_id: str | None
    sub: str
    token: str
    api: ApiClient


@pytest.fixture(scope="session")
def cloud() -> Iterator[LocalCloud]:
    from localcloud import LocalCloud

    with LocalCloud.start() as running:
        yield running


@pytest.fixture
def api(cloud: LocalCloud) -> ApiClient:
    return ApiClient(cloud.gateway_url)


UserFactory = Callable[..., User]


@pytest.fixture(scope="session")
def user_factory(cloud: LocalCloud) -> UserFactory:
    """``user_factory("organizer", "tenant-a")`` -> a new logged-in `User` (unique e-mail each call)."""

    def create(role: str, tenant_id: str | None = None) -> User:
        email = f"{role}-{uuid.uuid4().hex[:12]}@example.test"
        sub = cloud.create_user(email, TEST_PASSWORD, role, tenant_id)
        token = cloud.login(email, TEST_PASSWORD)
        return User(email, TEST_PASSWORD, role, tenant_id, sub, token, ApiClient(cloud.gateway_url, token))

    return create
