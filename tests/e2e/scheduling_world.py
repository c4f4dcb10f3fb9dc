"""Dates and steps shared by the scheduling e2e tests (their `fair` fixture lives in
tests/e2e/conftest.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

NOW = datetime.now(UTC)
DAY = (NOW + timedelta(days=30)).date().isoformat()


def ready_run(fair: dict[str, Any], mode: str = "from_scratch") -> str:
    """Start a run of the fair's event and wait until it is ready."""
    started = fair["organizer"].api.post(
        f"/events/{fair['event_id']}/schedule-runs", json={"time_limit_s": 1, "mode": mode}
    )
    assert started.status_code == 202, started.text
    run_id = str(started.json()["run_id"])
    deadline = time.monotonic() + 60
    while (run := fair["organizer"].api.get(f"/schedule-runs/{run_id}").json())["status"] not in (
        "ready",
        "failed",
    ) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert run["status"] == "ready", run
    return run_id


def publish(fair: dict[str, Any], run_id: str) -> dict[str, Any]:
    """Publish a ready run (202) and wait until its publish step has ended; the run as it is then."""
    api = fair["organizer"].api
    asked = api.post(f"/schedule-runs/{run_id}/publish")
    assert asked.status_code == 202, asked.text
    assert asked.json() == {"run_id": run_id, "status": "publishing"}
    return wait_published(fair, run_id)


def wait_published(fair: dict[str, Any], run_id: str, timeout: float = 60) -> dict[str, Any]:
    """The run once it is no longer publishing (published, or ready again with `publish_error`)."""
    deadline = time.monotonic() + timeout
    while (run := fair["organizer"].api.get(f"/schedule-runs/{run_id}").json())[
        "status"
    ] == "publishing" and time.monotonic() < deadline:
        time.sleep(0.3)
    return dict(run)


def agenda(person: dict[str, Any]) -> dict[str, Any]:
    read = person["user"].api.get("/me/agenda")
    assert read.status_code == 200, read.text
    return dict(read.json())
