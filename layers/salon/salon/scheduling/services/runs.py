"""Scheduling runs: the organiser starts one (one active run per event), reads it, cancels it and
publishes it once ready. The state machines' steps (`salon.scheduling.services.steps`, `.publish`)
move it along."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from salon.kernel.caller import Caller, require
from salon.kernel.errors import Conflict, FieldError, NotFound, ValidationFailed
from salon.kernel.principal import CONFIGURE, READ_CONFIG
from salon.kernel.values import iso
from salon.scheduling import deps
from salon.scheduling.adapters.executions import executions, publishings
from salon.scheduling.domain.runs import ENDED, STAGES, RunInput
from salon.scheduling.services.grid import event_of


class RunStarted(BaseModel):
    run_id: str
    status: str


class Progress(BaseModel):
    stage: str | None  # the stage running now ("publish" while publishing; none when idle or ended)
    elapsed_s: float  # since the run was started, until it ended
    agendas_done: int | None = None  # while publishing and once published: participants done / total
    agendas_total: int | None = None
    agendas_changed: int | None = None  # once published: the new agenda versions the publish wrote


class RunOut(BaseModel):
    run_id: str
    event_id: str
    status: str
    mode: str
    time_limit_s: int
    seed: int
    stages: dict[str, str]
    progress: Progress
    created_at: str
    updated_at: str
    statistics: dict[str, Any] | None = None
    failure: str | None = None
    publish_error: str | None = None  # why the last publish attempt failed (the run is ready again)
    published_at: str | None = None


def start(caller: Caller, event_id: str, body: RunInput) -> RunStarted:
    principal = require(caller, CONFIGURE)
    t = principal.tenant_id
    event_of(t, event_id)
    d = deps.get()
    grid, _ = d.store.grid(t, event_id)
    if grid is None:
        raise ValidationFailed(
            "the event has no meeting grid", errors=[FieldError("event_id", "set the grid first")]
        )
    now = iso(d.clock())
    run_id = f"run_{uuid.uuid4().hex}"
    d.store.create_run(
        {
            "run_id": run_id,
            "tenant_id": t,
            "event_id": event_id,
            "status": "queued",
            "mode": body.mode,
            "time_limit_s": body.time_limit_s,
            "seed": body.seed,
            "stages": {stage: "pending" for stage in STAGES},
            "started_by": principal.sub,
            "created_at": now,
            "updated_at": now,
        }
    )
    try:
        executions().start(run_id, {"tenant_id": t, "run_id": run_id})
    except Exception:
        d.store.move(
            t, run_id, "failed", {"failure": "the run could not be started", "updated_at": iso(d.clock())}
        )
        raise
    return RunStarted(run_id=run_id, status="queued")


def _run(tenant_id: str, run_id: str) -> dict[str, Any]:
    run = deps.get().store.run(tenant_id, run_id)
    if run is None:
        raise NotFound("no such scheduling run")
    return run


def _out(run: dict[str, Any]) -> RunOut:
    return RunOut.model_validate({**run, "progress": _progress(run)}, from_attributes=False)


def _progress(run: dict[str, Any]) -> Progress:
    publishing = run["status"] == "publishing"
    ended = run["status"] in ENDED and not publishing
    until = datetime.fromisoformat(run["updated_at"]) if ended else deps.get().clock()
    running = next((s for s in STAGES if run["stages"].get(s) == "running"), None)
    published = run.get("publish_progress") or {}
    return Progress(
        stage="publish" if publishing else None if ended else running,
        elapsed_s=round(max(0.0, (until - datetime.fromisoformat(run["created_at"])).total_seconds()), 1),
        agendas_done=published.get("agendas_done", 0 if publishing else None),
        agendas_total=published.get("agendas_total"),
        agendas_changed=published.get("agendas_changed"),
    )


def get(caller: Caller, run_id: str) -> RunOut:
    principal = require(caller, READ_CONFIG)
    return _out(_run(principal.tenant_id, run_id))


def cancel(caller: Caller, run_id: str) -> RunOut:
    """Stop the execution, then mark the run cancelled (409 once it has ended)."""
    principal = require(caller, CONFIGURE)
    d = deps.get()
    _run(principal.tenant_id, run_id)
    moved = d.store.move(principal.tenant_id, run_id, "cancelled", {"updated_at": iso(d.clock())})
    executions().stop(run_id)
    return _out(moved)


def publish(caller: Caller, run_id: str) -> RunStarted:
    """Check the run may be published, mark it publishing and start the publish state machine. A
    second request while it publishes, or once it is published, is refused (409)."""
    principal = require(caller, CONFIGURE)
    t = principal.tenant_id
    d = deps.get()
    run = d.store.run(t, run_id)
    if run is None:
        raise NotFound("no such scheduling run")
    if run["status"] != "ready":
        raise Conflict(f"the run is {run['status']}: only a ready run can be published")
    _, grid_version = d.store.grid(t, run["event_id"])
    if "grid_version" in run and int(run["grid_version"]) != grid_version:
        raise Conflict("the meeting grid changed since this run: start a new run")
    attempt = int(run.get("publish_attempts", 0)) + 1
    d.store.move(
        t, run_id, "publishing", {"publish_attempts": attempt, "updated_at": iso(d.clock())}
    )  # a concurrent request loses here (409)
    try:
        publishings().start(f"{run_id}-{attempt}", {"tenant_id": t, "run_id": run_id})
    except Exception:
        d.store.move(
            t,
            run_id,
            "ready",
            {"publish_error": "publishing could not be started", "updated_at": iso(d.clock())},
        )
        raise
    return RunStarted(run_id=run_id, status="publishing")
