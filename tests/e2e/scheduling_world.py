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


def agenda(person: dict[str, Any]) -> dict[str, Any]:
    read = person["user"].api.get("/me/agenda")
    assert read.status_code == 200, read.text
    return dict(read.json())
