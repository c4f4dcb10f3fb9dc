"""The agenda store's writes for meetings changed by hand, against the local cloud: a meeting found
by its id alone (the locator index), an edit conditional on the version read (a stale one is 409 and
writes nothing), a creation allowed over a cancelled meeting but not over a scheduled one."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from salon.kernel.errors import Conflict
from salon.scheduling import deps
from salon.scheduling.domain.agenda import Entry, Meeting

pytestmark = pytest.mark.integration


def _meeting(mid: str) -> Meeting:
    return Meeting(
        Entry(mid, "2027-03-10T09:00:00+01:00", "2027-03-10T09:30:00+01:00", "T1"),
        None,
        ("reg_a", "reg_b"),
        ("par_a", "par_b"),
        "slot",
    )


def test_hand_edits_of_a_meeting_are_conditional_on_what_was_read(cloud: Any) -> None:
    tenant_id, event_id, mid = (
        f"tenant-{uuid.uuid4().hex[:8]}",
        f"evt_{uuid.uuid4().hex}",
        f"mtg_{uuid.uuid4().hex}",
    )
    store = deps.get().agendas
    store.commit([store.meeting_create(tenant_id, event_id, "edit_1", _meeting(mid), "2027-01-01T00:00:00Z")])

    found = store.locate(tenant_id, mid)

    assert found is not None and (found["event_id"], found["locked"], found["run_id"]) == (
        event_id,
        "slot",
        "edit_1",
    )
    assert "request_id" not in found and "GSI2PK" not in found
    assert store.locate(f"tenant-{uuid.uuid4().hex[:8]}", mid) is None  # another tenant's id finds nothing
    with pytest.raises(Conflict):  # a scheduled meeting is not created twice
        store.commit(
            [store.meeting_create(tenant_id, event_id, "edit_2", _meeting(mid), "2027-01-01T00:00:00Z")]
        )

    store.commit([store.meeting_edit(tenant_id, event_id, mid, "edit_1", "edit_3", {"table": "T2"})])
    with pytest.raises(Conflict, match="reload"):  # edited meanwhile: the version read is stale
        store.commit(
            [store.meeting_edit(tenant_id, event_id, mid, "edit_1", "edit_4", {"table": "T3"})],
            "changed meanwhile; reload and retry",
        )
    assert store.locate(tenant_id, mid)["table"] == "T2"  # type: ignore[index]

    cancelled = {"status": "cancelled", "cancelled_by": "par_a"}
    store.commit([store.meeting_edit(tenant_id, event_id, mid, "edit_3", "edit_5", cancelled)])
    store.commit([store.meeting_create(tenant_id, event_id, "edit_6", _meeting(mid), "2027-01-02T00:00:00Z")])
    again = store.locate(tenant_id, mid)
    assert again is not None and (again["status"], again["table"], again["run_id"]) == (
        "scheduled",
        "T1",
        "edit_6",
    )
    assert "cancelled_by" not in again
