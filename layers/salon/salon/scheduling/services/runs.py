"""Scheduling runs: the organiser starts one (one active run per event), reads it, cancels it. The
state machine's steps (`salon.scheduling.services.steps`) move it along."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from salon.kernel.caller import Caller, require
from salon.kernel.errors import FieldError, NotFound, ValidationFailed
from salon.kernel.principal import CONFIGURE, READ_CONFIG
from salon.kernel.values import iso
from salon.scheduling import deps
from salon.scheduling.adapters.executions import executions
from salon.scheduling.domain.runs import ENDED, STAGES, RunInput
from salon.scheduling.services.grid import event_of


class RunStarted(BaseModel):
    run_id: str
    status: str


class Progress(BaseModel):
    stage: str | None  # the stage running now (none once the run has ended or before it starts)
    elapsed_s: float  # since the run was started, until it ended


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
    ended = run["status"] in ENDED
    until = datetime.fromisoformat(run["updated_at"]) if ended else deps.get().clock()
    return Progress(
        stage=None if ended else next((s for s in STAGES if run["stages"].get(s) == "running"), None),
        elapsed_s=round(max(0.0, (until - datetime.fromisoformat(run["created_at"])).total_seconds()), 1),
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
