"""The state machine's steps over a run: snapshot (problem document), check (the independent
validator and the statistics), ready and fail. Each step moves the run's status; a run cancelled
meanwhile refuses the move (InvalidTransition), which fails the execution already stopped."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from salon.kernel.errors import NotFound
from salon.kernel.values import iso
from salon.matchmaking.domain.weights import weight
from salon.scheduling import deps
from salon.scheduling.adapters.document_writer import document_writer
from salon.scheduling.adapters.documents import KEY, PROBLEM, SCHEDULE, documents
from salon.scheduling.domain.problem import Approved, Company, Existing, Inputs, build
from salon.scheduling.domain.stats import statistics


class ScheduleInvalid(Exception):
    """The independent validator found violations in the engine's schedule: the run fails."""


def _stages(run: dict[str, Any], **changes: str) -> dict[str, str]:
    return {**run["stages"], **changes}


def _now() -> str:
    return iso(deps.get().clock())


def _approved(tenant_id: str, event_id: str) -> list[Any]:
    d = deps.get()
    found: list[Any] = []
    cursor: str | None = None
    while True:
        page, cursor = d.requests.of_event(tenant_id, event_id, state="approved", limit=500, cursor=cursor)
        found += page
        if not cursor:
            return found


def _published(tenant_id: str, event_id: str) -> list[Existing]:
    """The event's scheduled meetings and those cancelled by hand (which later runs leave out)."""
    return [
        Existing(
            m["meeting_id"],
            m.get("request_id"),
            (m["registration_ids"][0], m["registration_ids"][1]),
            tuple(m["participant_ids"]),
            m["starts_at"],
            m["table"],
            m.get("locked") or "none",
            cancelled=m["status"] == "cancelled",
        )
        for m in deps.get().agendas.meetings(tenant_id, event_id).values()
        if m["status"] == "scheduled" or "cancelled_by" in m
    ]


def snapshot(tenant_id: str, run_id: str) -> dict[str, Any]:
    d = deps.get()
    run = d.store.run(tenant_id, run_id)
    if run is None:
        raise NotFound("no such run")
    if run["status"] != "snapshotting":  # a retried step finds it moved already
        run = d.store.move(
            tenant_id,
            run_id,
            "snapshotting",
            {"stages": _stages(run, snapshot="running"), "updated_at": _now()},
        )
    event = d.events.get_event(tenant_id, run["event_id"])
    grid, grid_version = d.store.grid(tenant_id, run["event_id"])
    if event is None or grid is None:
        raise NotFound("the event or its grid is gone")
    requests = _approved(tenant_id, run["event_id"])
    existing = _published(tenant_id, run["event_id"])
    registration_ids = sorted(
        {r.from_registration_id for r in requests}
        | {r.to_registration_id for r in requests}
        | {r for e in existing for r in e.registration_ids}
    )
    sheets = d.store.sheets(tenant_id, registration_ids)
    restricted = d.store.restricted(tenant_id, registration_ids)

    def attending(ids: list[str]) -> tuple[str, ...]:
        return tuple(p for p in ids if p not in restricted)

    boosts = d.requests.pairs(tenant_id, [(r.from_registration_id, r.to_registration_id) for r in requests])
    approved = [
        Approved(
            r.request_id,
            r.from_registration_id,
            r.to_registration_id,
            attending(r.from_participant_ids),
            attending(r.to_participant_ids),
            weight(
                state=r.state,
                mutual=r.mutual,
                priority=r.priority,
                boost=int(
                    boosts.get(tuple(sorted((r.from_registration_id, r.to_registration_id))), {}).get(
                        "boost", 0
                    )
                ),
            ),
        )
        for r in requests
    ]
    companies = {
        s["registration_id"]: Company(
            s["registration_id"], s["type"], attending(s.get("participant_ids", []))
        )
        for s in sheets
    }
    problem, key = build(
        Inputs(
            name=run_id,
            time_zone=event.time_zone,
            grid=grid,
            mode=run["mode"],
            requests=approved,
            companies=companies,
            unavailability=d.store.unavailability(tenant_id, run["event_id"]),
            existing=existing,
            tenant_id=tenant_id,
            event_id=run["event_id"],
        )
    )
    key["types"] = {rid: c.type for rid, c in companies.items()}
    problem_key = document_writer().put(tenant_id, run_id, PROBLEM, problem)
    document_writer().put(tenant_id, run_id, KEY, key)
    run = d.store.move(
        tenant_id,
        run_id,
        "solving",
        {
            "stages": _stages(run, snapshot="done", solve="running"),
            "grid_version": grid_version,  # publishing refuses a run whose grid changed since
            "updated_at": _now(),
        },
    )
    return {
        "problem_key": problem_key,
        "result_key": problem_key.removesuffix(PROBLEM) + SCHEDULE,
        "tenant_id": tenant_id,
        "time_limit_s": run["time_limit_s"],
        "seed": run["seed"],
    }


def check(tenant_id: str, run_id: str) -> dict[str, Any]:
    """The schedule document carries the independent validator's verdict (the solve step runs it on
    the placements it writes); any violation fails the run."""
    d = deps.get()
    run = d.store.run(tenant_id, run_id)
    if run is None:
        raise NotFound("no such run")
    if run["status"] != "checking":  # a retried step finds it moved already
        run = d.store.move(
            tenant_id,
            run_id,
            "checking",
            {"stages": _stages(run, solve="done", check="running"), "updated_at": _now()},
        )
    problem = documents().get(tenant_id, run_id, PROBLEM)
    schedule = documents().get(tenant_id, run_id, SCHEDULE)
    key = documents().get(tenant_id, run_id, KEY)
    if schedule["violations"]:
        kinds = sorted({v["kind"] for v in schedule["violations"]})
        raise ScheduleInvalid(
            f"the schedule breaks {len(schedule['violations'])} rule(s): {', '.join(kinds)}"
        )
    stats = json.loads(json.dumps(statistics(problem, schedule, key, key["types"])), parse_float=Decimal)
    d.store.move(
        tenant_id,
        run_id,
        "ready",
        {"stages": _stages(run, check="done"), "statistics": stats, "updated_at": _now()},
    )
    return {"placed": stats["placed"], "requested": stats["requested"]}


def fail(tenant_id: str, run_id: str, error: str, cause: str) -> dict[str, Any]:
    """Record why the run failed (the step's error name and message), unless it ended already. A run
    whose publish step failed goes back to ready with the reason (its agendas are left as they were
    or, resumable, part-way)."""
    d = deps.get()
    run = d.store.run(tenant_id, run_id)
    if run is not None and run["status"] == "publishing":
        reason = f"{error}: {cause}"[:1000]
        d.store.move(tenant_id, run_id, "ready", {"publish_error": reason, "updated_at": _now()})
        return {"status": "ready"}
    if run is None or run["status"] in ("ready", "published", "failed", "cancelled"):
        return {"status": run["status"] if run else "missing"}
    stages = {name: ("failed" if status == "running" else status) for name, status in run["stages"].items()}
    reason = f"{error}: {cause}"[:1000]
    d.store.move(tenant_id, run_id, "failed", {"stages": stages, "failure": reason, "updated_at": _now()})
    return {"status": "failed"}
