"""Publishing a ready run against the local cloud, stopped half-way by a fault (a test double on the
agenda store's commit) and published again: it continues where it stopped, every meeting is written
once, every agenda gets exactly one version and one `agenda.changed` event."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from salon.kernel import keys
from salon.kernel.dynamo import Put, Table, Update
from salon.kernel.outbox import dedupe_id
from salon.scheduling import deps
from salon.scheduling.adapters.document_writer import document_writer
from salon.scheduling.adapters.documents import KEY, PROBLEM, SCHEDULE
from salon.scheduling.domain.agenda import meeting_id
from salon.scheduling.services.publish import step

pytestmark = pytest.mark.integration
SLOTS = [
    ["2027-03-10T09:00:00+01:00", "2027-03-10T09:30:00+01:00"],
    ["2027-03-10T09:30:00+01:00", "2027-03-10T10:00:00+01:00"],
]


class Fault(Exception):
    """The fault the test double raises (a Lambda timing out, DynamoDB failing)."""


def _ready_run(tenant_id: str, event_id: str) -> tuple[str, list[str], list[str]]:
    """A ready run placing a buyer's two meetings with two suppliers: (run id, participants, requests)."""
    run_id = f"run_{uuid.uuid4().hex}"
    people = [f"par_{uuid.uuid4().hex}" for _ in range(3)]
    requests = [f"req_{uuid.uuid4().hex}" for _ in range(2)]
    writer = document_writer()
    writer.put(
        tenant_id,
        run_id,
        PROBLEM,
        {
            "meetings": [
                {"companies": [0, 1], "participants": [0, 1], "weight": 1},
                {"companies": [0, 2], "participants": [0, 2], "weight": 1},
            ]
        },
    )
    writer.put(
        tenant_id,
        run_id,
        SCHEDULE,
        {
            "placements": [{"meeting": 0, "slot": 0, "table": 0}, {"meeting": 1, "slot": 1, "table": 1}],
            "unscheduled": [],
        },
    )
    writer.put(
        tenant_id,
        run_id,
        KEY,
        {
            "participants": people,
            "companies": ["reg_buyer", "reg_one", "reg_two"],
            "requests": requests,
            "meeting_ids": [meeting_id(tenant_id, event_id, r) for r in requests],
            "locks": ["none"] * len(requests),
            "slots": SLOTS,
            "tables": ["T1", "T2"],
        },
    )
    now = datetime.now(UTC).isoformat()
    deps.get().store.create_run(
        {
            "run_id": run_id,
            "tenant_id": tenant_id,
            "event_id": event_id,
            "status": "publishing",  # as the organiser's request leaves it for the publish step
            "mode": "from_scratch",
            "time_limit_s": 1,
            "seed": 0,
            "stages": {"snapshot": "done", "solve": "done", "check": "done"},
            "started_by": "sub-test",
            "created_at": now,
            "updated_at": now,
        }
    )
    return run_id, people, requests


def test_a_publish_stopped_half_way_resumes_without_duplicates(cloud: Any, monkeypatch: Any) -> None:
    tenant_id, event_id = f"tenant-{uuid.uuid4().hex[:8]}", f"evt_{uuid.uuid4().hex}"
    run_id, people, requests = _ready_run(tenant_id, event_id)
    store = deps.get().agendas
    commit = store.commit
    commits: list[list[Put | Update]] = []

    def fails_on_the_second(writes: list[Put | Update]) -> None:
        if len(commits) == 1:
            raise Fault("stopped half-way")
        commit(writes)
        commits.append(writes)

    monkeypatch.setattr(store, "commit", fails_on_the_second)
    with pytest.raises(Fault):
        step(tenant_id, run_id)
    assert deps.get().store.run(tenant_id, run_id)["status"] == "publishing"  # type: ignore[index]
    assert len(store.agendas(tenant_id, event_id)) == 1
    monkeypatch.setattr(store, "commit", commit)

    resumed = step(tenant_id, run_id)  # the state machine's retry

    assert resumed == {"status": "published", "meetings": 2, "agendas_changed": 2}
    assert deps.get().store.run(tenant_id, run_id)["status"] == "published"  # type: ignore[index]
    meetings = store.meetings(tenant_id, event_id)
    assert sorted(meetings) == sorted(meeting_id(tenant_id, event_id, r) for r in requests)
    assert {m["run_id"] for m in meetings.values()} == {run_id}
    by_request = {m["request_id"]: m for m in meetings.values()}
    assert (by_request[requests[0]]["starts_at"], by_request[requests[0]]["table"]) == (SLOTS[0][0], "T1")
    assert by_request[requests[1]]["participant_ids"] == [people[0], people[2]]
    agendas = store.agendas(tenant_id, event_id)
    assert {pid: a["version"] for pid, a in agendas.items()} == dict.fromkeys(people, 1)
    assert len(agendas[people[0]]["meeting_ids"]) == 2
    table = Table(cloud.resources.table_name)
    for pid in people:
        outbox = table.get(
            keys.outbox_pk(tenant_id, dedupe_id(tenant_id, pid, f"{run_id}:agenda")), keys.OUTBOX_SK
        )
        assert outbox is not None and outbox["detail_type"] == "agenda.changed"
        assert outbox["detail"]["version"] == 1
        assert [m["meeting_id"] for m in outbox["detail"]["changes"]["added"]] == agendas[pid]["meeting_ids"]
