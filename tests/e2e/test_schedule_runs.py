"""Scheduling runs over HTTP, with the real state machine (ASL) running in the local cloud: the grid,
a run to `ready` with its statistics, one active run per event, a failing step, a cancelled run and a
retried step."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from salon.kernel.caller import Caller
from salon.kernel.errors import DependencyUnavailable
from salon.kernel.principal import Principal
from salon.scheduling.adapters.store import SchedulingStore
from scheduling_world import DAY

pytestmark = pytest.mark.e2e
GRID = {
    "days": [
        {
            "date": DAY,
            "opens": "09:00",
            "closes": "12:00",
            "pauses": [{"kind": "coffee", "starts": "10:30", "ends": "11:00"}],
        }
    ],
    "slot_minutes": 30,
    "tables": [{"count": 4, "capacity": 4}],
    "quotas": {"buyer": {"max_per_participant": 4}},
}


def _caller(tenant_id: str, sub: str) -> Caller:
    return Caller(Principal(sub, tenant_id, frozenset({"participant"})), "req-test")


def _put_grid(fair: dict[str, Any], grid: dict[str, Any], version: int = 0) -> Any:
    return fair["organizer"].api.put(
        f"/events/{fair['event_id']}/grid", json={"grid": grid, "version": version}
    )


def _wait(
    fair: dict[str, Any], run_id: str, done: Callable[[dict[str, Any]], bool], timeout: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run = fair["organizer"].api.get(f"/schedule-runs/{run_id}").json()
        if done(run) or time.monotonic() > deadline:
            return dict(run)
        time.sleep(0.3)


def _start(fair: dict[str, Any], **body: Any) -> Any:
    return fair["organizer"].api.post(
        f"/events/{fair['event_id']}/schedule-runs", json={"time_limit_s": 1, **body}
    )


def test_the_grid_is_checked_versioned_and_read_back(fair: dict[str, Any]) -> None:
    bad = {**GRID, "days": [{**GRID["days"][0], "closes": "08:00"}], "quotas": {"nobody": {}}}
    refused = _put_grid(fair, bad)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} >= {"grid.days[0].closes", "grid.quotas.nobody"}
    assert _put_grid(fair, GRID).json()["version"] == 1
    assert _put_grid(fair, GRID).status_code == 409  # over version 0 again
    read = fair["organizer"].api.get(f"/events/{fair['event_id']}/grid").json()
    assert (read["version"], read["time_zone"], read["grid"]["slot_minutes"]) == (1, "Europe/Paris", 30)


def test_a_run_goes_to_ready_with_its_statistics_and_only_one_is_active(fair: dict[str, Any]) -> None:
    assert _put_grid(fair, GRID).status_code == 200
    started = _start(fair)
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "queued"
    second = _start(fair)
    assert second.status_code == 409
    run = _wait(fair, started.json()["run_id"], lambda r: r["status"] in ("ready", "failed"))
    assert run["status"] == "ready", run
    assert run["stages"] == {"snapshot": "done", "solve": "done", "check": "done"}
    stats = run["statistics"]
    assert (stats["placed"], stats["requested"]) == (2, 2)
    assert stats["share_by_type"] == {"buyer": 1.0, "supplier": 1.0}
    assert set(stats["breaks"]) == {"min", "mean", "max"}
    assert _start(fair).status_code == 202  # the marker was released


def test_a_failing_step_fails_the_run_and_says_why(
    fair: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: SchedulingStore, tenant_id: str, ids: list[str]) -> list[dict[str, Any]]:
        raise ValueError("a registration sheet is unreadable")

    monkeypatch.setattr(SchedulingStore, "sheets", broken)
    assert _put_grid(fair, GRID).status_code == 200
    run = _wait(fair, _start(fair).json()["run_id"], lambda r: r["status"] in ("ready", "failed"))
    assert run["status"] == "failed"
    assert run["failure"] == "ValueError: a registration sheet is unreadable"
    assert run["stages"]["snapshot"] == "failed"
    assert _start(fair).status_code == 202  # the marker was released


def test_a_cancelled_run_stops_and_frees_the_event(fair: dict[str, Any]) -> None:
    assert _put_grid(fair, GRID).status_code == 200
    run_id = _start(fair, time_limit_s=2).json()["run_id"]
    cancelled = fair["organizer"].api.post(f"/schedule-runs/{run_id}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert fair["organizer"].api.post(f"/schedule-runs/{run_id}/cancel").status_code == 409
    time.sleep(3)
    assert fair["organizer"].api.get(f"/schedule-runs/{run_id}").json()["status"] == "cancelled"
    assert _start(fair).status_code == 202


def test_a_transient_fault_in_a_step_is_retried(
    fair: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Throttling cannot be produced by the local cloud: the first read of the approved requests'
    # companies fails as DynamoDB throttling surfaces (DependencyUnavailable), once.
    original = SchedulingStore.sheets
    faults = [DependencyUnavailable("throttled")]

    def flaky(self: SchedulingStore, tenant_id: str, ids: list[str]) -> list[dict[str, Any]]:
        if faults:
            raise faults.pop()
        return original(self, tenant_id, ids)

    monkeypatch.setattr(SchedulingStore, "sheets", flaky)
    assert _put_grid(fair, GRID).status_code == 200
    run = _wait(fair, _start(fair).json()["run_id"], lambda r: r["status"] in ("ready", "failed"))
    assert not faults
    assert run["status"] == "ready", run
