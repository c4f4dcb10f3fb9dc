"""Publishing a run: the publish state machine's step, once the organiser's request
(`salon.scheduling.services.runs.publish`) has made the run `publishing`. It writes the meetings and
one new agenda version per participant whose agenda changes, one transaction per participant (their
agenda, their meetings not yet written by this run, the meetings they lose, their `agenda.changed`
event). Resumable: a participant whose agenda this run already wrote is skipped, so a retried step
continues where it stopped; the run becomes `published` once every participant is done (a failed
step puts it back to ready with the reason)."""

from __future__ import annotations

import logging
import time
from typing import Any

from salon.kernel.dynamo import Put, Update
from salon.kernel.errors import Conflict, NotFound
from salon.kernel.values import iso
from salon.scheduling import deps
from salon.scheduling.adapters.documents import KEY, PROBLEM, SCHEDULE, documents
from salon.scheduling.domain.agenda import Meeting, agendas, meetings
from salon.scheduling.services.agenda_writes import agenda_change

logger = logging.getLogger(__name__)
PROGRESS_EVERY_S = 2.0  # how often the step records its progress on the run


def step(tenant_id: str, run_id: str) -> dict[str, Any]:
    """The publish state machine's step: write what the run changes, then mark it published."""
    t = tenant_id
    d = deps.get()
    run = d.store.run(t, run_id)
    if run is None:
        raise NotFound("no such scheduling run")
    if run["status"] == "published":  # a retried step whose first attempt finished
        return {"status": "published"}
    if run["status"] != "publishing":
        raise Conflict(f"the run is {run['status']}, not publishing")
    event_id = run["event_id"]
    docs = documents()
    placed = meetings(docs.get(t, run_id, PROBLEM), docs.get(t, run_id, SCHEDULE), docs.get(t, run_id, KEY))
    by_id = {m.entry.meeting_id: m for m in placed}
    after = agendas(placed)
    written = {mid: m["run_id"] for mid, m in d.agendas.meetings(t, event_id).items()}
    current = d.agendas.agendas(t, event_id)
    participants = sorted(set(after) | set(current))
    changed = 0
    reported = time.monotonic()
    for done, pid in enumerate(participants):
        if time.monotonic() - reported >= PROGRESS_EVERY_S:
            d.store.publish_progress(t, run_id, _progress(done, participants), iso(d.clock()))
            reported = time.monotonic()
        agenda = current.get(pid)
        if agenda is not None and agenda["run_id"] == run_id:
            continue  # written by this run before a retry
        change = agenda_change(t, event_id, pid, agenda, after.get(pid, []), origin_id=run_id, run_id=run_id)
        if change is None:
            continue
        changes = change.changes
        writes = change.writes + _meeting_writes(t, event_id, run_id, changes, by_id, written)
        d.agendas.commit(writes)
        for item in changes["added"] + changes["moved"] + changes["cancelled"]:
            if item in changes["cancelled"] and item["meeting_id"] in by_id:
                continue  # another participant's transaction writes it
            written[item["meeting_id"]] = run_id
        changed += 1
    final = {**_progress(len(participants), participants), "agendas_changed": changed}
    d.store.published(t, run_id, event_id, final, iso(d.clock()))
    logger.info("run published", extra={"run_id": run_id, "agendas_changed": changed})
    return {"status": "published", "meetings": len(placed), "agendas_changed": changed}


def _progress(done: int, participants: list[str]) -> dict[str, int]:
    return {"agendas_done": done, "agendas_total": len(participants)}


def _meeting_writes(
    tenant_id: str,
    event_id: str,
    run_id: str,
    changes: dict[str, list[dict[str, str]]],
    placed: dict[str, Meeting],
    written: dict[str, Any],
) -> list[Put | Update]:
    """The participant's added and moved meetings and the ones they lose, unless this run wrote
    them already (in the other participant's transaction)."""
    d = deps.get()
    out: list[Put | Update] = []
    for item in changes["added"] + changes["moved"]:
        mid = item["meeting_id"]
        if written.get(mid) != run_id:
            out.append(d.agendas.meeting_put(tenant_id, event_id, run_id, placed[mid]))
    for item in changes["cancelled"]:
        mid = item["meeting_id"]
        if mid in placed:  # another participant of the company attends it now
            continue
        if mid in written and written[mid] != run_id:
            out.append(d.agendas.meeting_cancel(tenant_id, event_id, run_id, mid))
    return out
