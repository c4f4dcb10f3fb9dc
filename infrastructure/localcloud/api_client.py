"""A small typed HTTP client for the Salon API (demo, dev seeding, bench, e2e tests).

Every call states the statuses it expects; anything else raises :class:`UnexpectedStatus`, so a script
built on it fails loudly on the first surprise. Errors carry the method, path and status only — never
the request body, which may hold personal data.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests

Json = dict[str, Any]


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: Any
    headers: Mapping[str, str]
    elapsed_s: float

    @property
    def json(self) -> Json:
        if not isinstance(self.body, dict):
            raise TypeError(f"expected a JSON object, got {type(self.body).__name__}")
        return self.body


class UnexpectedStatus(RuntimeError):
    def __init__(self, method: str, path: str, status: int, expected: tuple[int, ...], problem: Any) -> None:
        # The problem's type/title/status and the fields at fault: its detail may echo submitted values.
        summary = {
            k: problem[k] for k in ("type", "title", "status") if isinstance(problem, dict) and k in problem
        }
        if isinstance(problem, dict) and isinstance(problem.get("errors"), list):
            summary["fields"] = [e.get("field") for e in problem["errors"] if isinstance(e, dict)]
        super().__init__(f"{method} {path} -> {status} (expected {', '.join(map(str, expected))}) {summary}")
        self.method = method
        self.path = path
        self.status = status
        self.problem = problem


class ApiClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        session: requests.Session | None = None,
        timeout_s: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.session = session or requests.Session()
        self.timeout_s = timeout_s

    def as_user(self, token: str | None) -> ApiClient:
        """The same gateway and connection pool, another identity (None: anonymous)."""
        return ApiClient(self.base_url, token, session=self.session, timeout_s=self.timeout_s)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        expected: tuple[int, ...] = (200,),
    ) -> ApiResponse:
        all_headers = {"Accept": "application/json", **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        started = time.perf_counter()
        response = self.session.request(
            method,
            self.base_url + path,
            json=json,
            params=params,
            headers=all_headers,
            timeout=self.timeout_s,
        )
        elapsed = time.perf_counter() - started
        body: Any = None
        if response.content:
            try:
                body = response.json()
            except ValueError:
                body = response.text
        if response.status_code not in expected:
            raise UnexpectedStatus(method, path, response.status_code, expected, body)
        return ApiResponse(response.status_code, body, response.headers, elapsed)

    def get(
        self, path: str, *, params: Mapping[str, str] | None = None, expected: tuple[int, ...] = (200,)
    ) -> Json:
        return self.request("GET", path, params=params, expected=expected).json

    def download(self, path: str, *, accept: str, params: Mapping[str, str] | None = None) -> bytes:
        """A file route's bytes (a PDF, a spreadsheet, a calendar) in the media type asked for."""
        headers = {"Accept": accept, **({"Authorization": f"Bearer {self.token}"} if self.token else {})}
        response = self.session.get(
            self.base_url + path, params=params, headers=headers, timeout=self.timeout_s
        )
        if response.status_code != 200:
            raise UnexpectedStatus("GET", path, response.status_code, (200,), response.text)
        return bytes(response.content)

    def post(self, path: str, body: Any = None, *, expected: tuple[int, ...] = (200, 201)) -> Json:
        return self.request("POST", path, json=body, expected=expected).json

    def paginate(
        self, path: str, params: Mapping[str, str] | None = None, *, limit: int = 100
    ) -> Iterator[Json]:
        """Every item of a list route, following ``next_cursor`` to the last page."""
        query = {**(params or {}), "limit": str(limit)}
        while True:
            page = self.get(path, params=query)
            yield from page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return
            query["cursor"] = str(cursor)

    # --- routes (docs/API.md) ------------------------------------------------------------------------

    def health(self) -> Json:
        return self.get("/health")

    def create_event(self, event: Json) -> Json:
        return self.post("/events", event, expected=(201,))

    def list_events(self) -> list[Json]:
        return list(self.paginate("/events"))

    def get_event(self, event_id: str) -> Json:
        return self.get(f"/events/{event_id}")

    def patch_event(self, event_id: str, changes: Json) -> Json:
        return self.request("PATCH", f"/events/{event_id}", json=changes).json

    def put_taxonomy(self, event_id: str, taxonomy: Json) -> Json:
        return self.request("PUT", f"/events/{event_id}/taxonomy", json=taxonomy).json

    def put_form(self, event_id: str, form: Json) -> Json:
        return self.request("PUT", f"/events/{event_id}/form", json=form).json

    def get_form(self, event_id: str) -> Json:
        return self.get(f"/events/{event_id}/form")

    def create_type(self, event_id: str, participation_type: Json) -> Json:
        return self.post(f"/events/{event_id}/types", participation_type, expected=(201,))

    def list_types(self, event_id: str) -> list[Json]:
        return list(self.get(f"/events/{event_id}/types")["items"])

    def register(
        self, event_id: str, registration: Json, *, idempotency_key: str | None = None
    ) -> ApiResponse:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        # A replay returns the first response, whose status is 201 as well; 200 is tolerated.
        return self.request(
            "POST",
            f"/events/{event_id}/registrations",
            json=registration,
            headers=headers,
            expected=(200, 201),
        )

    def list_registrations(self, event_id: str, **filters: str) -> list[Json]:
        return list(self.paginate(f"/events/{event_id}/registrations", filters))

    def get_registration(self, registration_id: str) -> Json:
        return self.get(f"/registrations/{registration_id}")

    def decide(self, registration_id: str, decision: str, reason: str | None = None) -> Json:
        body: Json = {"decision": decision}
        if reason is not None:
            body["reason"] = reason
        return self.post(f"/registrations/{registration_id}/decision", body, expected=(200,))

    def deactivate_participant(self, registration_id: str, participant_id: str) -> Json:
        path = f"/registrations/{registration_id}/participants/{participant_id}/deactivate"
        return self.post(path, {}, expected=(200,))

    def me(self) -> Json:
        return self.get("/me")

    def patch_me(self, changes: Json) -> Json:
        return self.request("PATCH", "/me", json=changes).json

    def put_profile(self, profile: Json) -> Json:
        return self.request("PUT", "/me/profile", json=profile).json

    def audit(self, *, subject_id: str | None = None, actor_id: str | None = None) -> list[Json]:
        params = {k: v for k, v in (("subject_id", subject_id), ("actor_id", actor_id)) if v}
        return list(self.paginate("/audit", params))
