"""Property-based fuzz of every operation of the OpenAPI document, with each role's token.

The document is read from the gateway's ``/openapi.json`` when the test runs, so the fuzz follows
whatever the API declares. Schemathesis generates requests that fit the schema (positive) and
requests that do not (negative); each example may also swap its path ids for those of a seeded
tenant (an event with its form, taxonomy and types, a few registrations), so cases reach real
resources, and may announce its body as another media type. No answer may be a 5xx
(schemathesis' ``not_a_server_error`` check) and every 4xx must be ``application/problem+json``.

Schemathesis' pytest loader (``schemathesis.pytest.from_fixture``) does not run on pytest 9 (it
reads ``Function._nodeid``), and the document is only known once the cloud runs, so the test drives
``APIOperation.as_strategy`` with Hypothesis itself. It collects every failing operation before it
fails, each with a curl command that replays it.

The budget is small (``MAX_EXAMPLES`` per operation, mode and role, derandomized) to stay inside
``make test``; raise it locally to dig deeper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from test_register_support import Tenant, ok, registration_body, tenant

pytestmark = pytest.mark.e2e

MAX_EXAMPLES = 5
ROLES = ("anonymous", "participant", "organizer", "staff", "dpo")
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
# None keeps the media type the document declares.
MEDIA_TYPES = (None, "text/plain", "application/xml")
PROBLEM = "application/problem+json"


@dataclass
class FuzzWorld:
    """A configured tenant with registrations, and one token per role in that tenant."""

    tenant: Tenant
    tokens: dict[str, str | None]
    ids: dict[str, str]


_WORLDS: dict[str, FuzzWorld] = {}


@pytest.fixture
def fuzz_world(cloud: Any, user_factory: Any) -> FuzzWorld:
    """One per test process (the cloud is per process too)."""
    if cloud.gateway_url not in _WORLDS:
        seeded = tenant(user_factory, "fuzz")
        created = [
            ok(seeded.organizer.api.post(f"/events/{seeded.event_id}/registrations", json=body), 201)
            for body in (registration_body(people=2), registration_body())
        ]
        participant = user_factory("participant", seeded.tenant_id)
        tokens = {
            "anonymous": None,
            "participant": participant.token,
            "organizer": seeded.organizer.token,
            "staff": seeded.staff.token,
            "dpo": seeded.dpo.token,
        }
        ids = {
            "event_id": seeded.event_id,
            "registration_id": created[0]["registration_id"],
            "participant_id": created[0]["participants"][0]["participant_id"],
        }
        _WORLDS[cloud.gateway_url] = FuzzWorld(seeded, tokens, ids)
    return _WORLDS[cloud.gateway_url]


def problem_failure(response: schemathesis.Response) -> str | None:
    """Why a 4xx is not a proper problem document, or None."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.startswith(PROBLEM):
        return f"{response.status_code} is {content_type!r}"
    body = response.json()
    if body.get("status") != response.status_code or not body.get("type") or not body.get("title"):
        return f"{response.status_code} problem lacks status/type/title: {body}"
    return None


def fuzz_operation(
    operation: Any, mode: schemathesis.GenerationMode, world: FuzzWorld, headers: dict[str, str]
) -> str | None:
    """The first failure Hypothesis finds on `operation` in `mode`, as a replayable description."""
    found: list[str] = []

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[p for p in settings.default.phases if p.name != "shrink"],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode), seed_ids=st.booleans(), media_type=st.sampled_from(MEDIA_TYPES))
    def run(case: schemathesis.Case, seed_ids: bool, media_type: str | None) -> None:
        if found:
            return
        if seed_ids and case.path_parameters:
            case.path_parameters = {
                name: world.ids.get(name, value) for name, value in case.path_parameters.items()
            }
        sent = dict(headers)
        if media_type and case.body is not None:
            sent["Content-Type"] = media_type
        response = case.call(headers=sent, timeout=30)
        try:
            case.validate_response(response, checks=[not_a_server_error], headers=sent)
            reason = problem_failure(response)
        except FailureGroup as failures:
            reason = f"{response.status_code}: {', '.join(str(failure) for failure in failures.exceptions)}"
        if reason:
            found.append(f"{operation.label} [{mode.value}] {reason}\n  {case.as_curl_command(headers=sent)}")

    try:
        run()
    except Unsatisfiable:  # e.g. no negative example exists for an operation without inputs
        return None
    return found[0] if found else None


@pytest.mark.parametrize("role", ROLES)
def test_no_input_gives_a_5xx_and_every_4xx_is_a_problem(
    cloud: Any, fuzz_world: FuzzWorld, role: str
) -> None:
    schema = schemathesis.openapi.from_url(f"{cloud.gateway_url}/openapi.json", timeout=30)
    schema.config.update(base_url=cloud.gateway_url)
    token = fuzz_world.tokens[role]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [operation.label for operation in operations]
    failures = [
        failure
        for operation in operations
        for mode in MODES
        if (failure := fuzz_operation(operation, mode, fuzz_world, headers)) is not None
    ]
    assert not failures, "\n".join(failures)
