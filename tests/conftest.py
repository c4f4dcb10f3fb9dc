"""Shared fixtures.

- ``cloud``: one `localcloud.LocalCloud` per test session (per xdist worker), started on first use.
- ``api``: an anonymous HTTP client on the local gateway; ``api.as_user(user)`` /
  ``api.with_token(token)`` give authenticated copies.
- ``user_factory(role, tenant_id)``: a fresh Cognito login of that tenant (username ``s:`` or
  ``p:<tenant>:<email>``) in group ``role`` (``participant``,
  ``organizer``, ``staff``, ``dpo``) with its ID token and its own authenticated ``api`` client.

Integration tests are marked ``@pytest.mark.integration`` (e2e ones ``@pytest.mark.e2e``); unit tests
never start the cloud.
"""

from __future__ import annotations

import importlib
import json
import time
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
    username: str
    password: str
    role: str
    tenant_id: str
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

    def create(role: str, tenant_id: str) -> User:
        from salon.kernel.usernames import username_for

        email = f"{role}-{uuid.uuid4().hex[:12]}@example.test"
        sub = cloud.create_user(email, TEST_PASSWORD, role, tenant_id)
        username = username_for(role, tenant_id, email)
        token = cloud.login(username, TEST_PASSWORD)
        return User(
            email, username, TEST_PASSWORD, role, tenant_id, sub, token, ApiClient(cloud.gateway_url, token)
        )

    return create


CONSUMER_DIR = "tests/integration/localcloud/handlers/consumer"


class DomainEventsConsumer:
    """A consumer built outside the stack exactly as docs/ARCHITECTURE.md says ("Adding a consumer"):
    a rule on the bus into its queue (dead letters after 2 receives), read by the consumer test double
    with partial batch failures. ``seen()`` lists the events it handled (bodies, parsed)."""

    def __init__(self, cloud: LocalCloud) -> None:
        tag = uuid.uuid4().hex[:8]
        self.sqs = cloud.client("sqs")
        self.observed_url, _ = self._queue(f"observed-{tag}", {})
        self.dead_letters_url, dead_letters_arn = self._queue(f"consumer-{tag}-dlq", {})
        redrive = json.dumps({"deadLetterTargetArn": dead_letters_arn, "maxReceiveCount": "2"})
        self.queue_url, queue_arn = self._queue(
            f"consumer-{tag}", {"VisibilityTimeout": "1", "RedrivePolicy": redrive}
        )
        events, bus = cloud.client("events"), cloud.resources.event_bus_name
        rule = f"consumer-{tag}"
        events.put_rule(
            Name=rule,
            EventBusName=bus,
            EventPattern=json.dumps({"source": ["salon.register", "salon.matchmaking"]}),
        )
        events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue_arn}])
        function = cloud.create_function(
            f"consumer-{tag}", CONSUMER_DIR, environment={"OBSERVED_QUEUE_URL": self.observed_url}
        )
        cloud.client("lambda").create_event_source_mapping(
            EventSourceArn=queue_arn,
            FunctionName=function,
            BatchSize=10,
            FunctionResponseTypes=["ReportBatchItemFailures"],
        )
        self._seen: list[dict[str, Any]] = []

    def _queue(self, name: str, attributes: dict[str, str]) -> tuple[str, str]:
        url = self.sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        return str(url), str(attributes["QueueArn"])

    def _drain(self, url: str) -> list[dict[str, Any]]:
        bodies: list[dict[str, Any]] = []
        while True:
            messages = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                return bodies
            for message in messages:
                bodies.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def seen(self) -> list[dict[str, Any]]:
        self._seen += self._drain(self.observed_url)
        return list(self._seen)

    def about(self, registration_id: str, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        """The events handled about a registration, once ``count`` have arrived (or the time is up) and
        a short while has shown no more."""

        def matching() -> list[dict[str, Any]]:
            return [e for e in self.seen() if e["detail"].get("registration_id") == registration_id]

        deadline = time.monotonic() + timeout
        while len(matching()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        return matching()

    def deliver(self, body: dict[str, Any]) -> None:
        """Put an event into the consumer's queue directly (a duplicate or a poison delivery)."""
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(body))

    def dead_letters(self) -> list[dict[str, Any]]:
        return self._drain(self.dead_letters_url)


@pytest.fixture(scope="session")
def domain_events(cloud: LocalCloud) -> DomainEventsConsumer:
    return DomainEventsConsumer(cloud)
