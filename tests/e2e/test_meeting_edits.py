"""Meetings changed by hand over HTTP, after a publication: the organiser moves one (each agenda gets
a new version and `agenda.changed` says from / to, audited), a move onto a busy participant is 409
naming the meeting, a lock keeps the meeting through a `locked`-mode rerun (which publishes nothing
more); a participant cancels before the cut-off and the organiser puts the meeting back by hand, and
makes one between two companies without a request, which a `moving_allowed` run keeps; a cancel past
the cut-off is 409. Later runs (`locked` mode, then from scratch) keep a meeting locked to
its slot and table."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from salon.kernel import keys
from salon.kernel.outbox import dedupe_id
from scheduling_world import DAY, NOW, agenda, publish, ready_run

pytestmark = pytest.mark.e2e
PARIS = ZoneInfo("Europe/Paris")
SLOTS = ("09:00", "09:30", "10:00", "11:00", "11:30")


def grid(day: str, **settings: Any) -> dict[str, Any]:
    return {
        "days": [
            {
                "date": day,
                "opens": "09:00",
                "closes": "12:00",
                "pauses": [{"kind": "coffee", "starts": "10:30", "ends": "11:00"}],
            }
        ],
        "slot_minutes": 30,
        "tables": [{"count": 4, "capacity": 4}],
        **settings,
    }


def _local(at: str) -> str:
    return datetime.fromisoformat(at).astimezone(PARIS).strftime("%H:%M")


def _published(fair: dict[str, Any], day: str = DAY, **settings: Any) -> None:
    api = fair["organizer"].api
    put = api.put(f"/events/{fair['event_id']}/grid", json={"grid": grid(day, **settings), "version": 0})
    assert put.status_code == 200, put.text
    assert publish(fair, ready_run(fair))["status"] == "published"


def _agenda_event(fair: dict[str, Any], participant_id: str) -> dict[str, Any]:
    """The `agenda.changed` of the participant's latest agenda version (its origin is the edit)."""
    t, table = fair["tenant_id"], fair["table"]
    origin = table.get(keys.event_pk(t, fair["event_id"]), keys.agenda_sk(participant_id))["run_id"]
    event = table.get(keys.outbox_pk(t, dedupe_id(t, participant_id, f"{origin}:agenda")), keys.OUTBOX_SK)
    assert event is not None and event["detail_type"] == "agenda.changed"
    return dict(event["detail"])


def test_a_move_bumps_both_agendas_a_clash_is_refused_and_a_lock_survives_a_locked_rerun(
    fair: dict[str, Any],
) -> None:
    api, buyer, supplier = fair["organizer"].api, fair["buyer"], fair["suppliers"][0]
    _published(fair)
    before = agenda(buyer)
    theirs = agenda(supplier)["meetings"][0]
    other = next(m for m in before["meetings"] if m["meeting_id"] != theirs["meeting_id"])
    free = next(s for s in SLOTS if s not in {_local(m["starts_at"]) for m in before["meetings"]})

    moved = api.patch(f"/meetings/{theirs['meeting_id']}", json={"slot": f"{DAY}T{free}", "table": "T4"})

    assert moved.status_code == 200, moved.text
    assert (moved.json()["agendas_changed"], moved.json()["table"], _local(moved.json()["starts_at"])) == (
        2,
        "T4",
        free,
    )
    after = agenda(buyer)
    assert (after["version"], agenda(supplier)["version"]) == (before["version"] + 1, 2)
    now_at = next(m for m in after["meetings"] if m["meeting_id"] == theirs["meeting_id"])
    assert (_local(now_at["starts_at"]), now_at["table"]) == (free, "T4")
    detail = _agenda_event(fair, buyer["participant_id"])
    assert (detail["version"], detail["changes"]["added"], detail["changes"]["cancelled"]) == (2, [], [])
    [change] = detail["changes"]["moved"]
    assert (change["meeting_id"], change["from_starts_at"], change["from_table"], change["to_table"]) == (
        theirs["meeting_id"],
        datetime.fromisoformat(theirs["starts_at"]).isoformat(),
        theirs["table"],
        "T4",
    )
    assert _local(change["to_starts_at"]) == free

    clash = api.patch(f"/meetings/{other['meeting_id']}", json={"slot": f"{DAY}T{free}"})
    assert clash.status_code == 409, clash.text
    assert clash.headers["content-type"].startswith("application/problem+json")
    assert {
        "field": "slot",
        "message": f"participant {buyer['participant_id']} is in meeting {theirs['meeting_id']} then",
    } in clash.json()["errors"]
    off_grid = api.patch(f"/meetings/{other['meeting_id']}", json={"slot": f"{DAY}T10:30"})
    assert off_grid.status_code == 422 and off_grid.json()["errors"][0]["field"] == "slot"
    assert agenda(buyer)["version"] == 2  # refused edits write nothing

    locked = api.patch(f"/meetings/{theirs['meeting_id']}", json={"locked": "slot_and_table"})
    assert (locked.status_code, locked.json()["locked"], locked.json()["agendas_changed"]) == (
        200,
        "slot_and_table",
        0,
    )
    rerun = ready_run(fair, mode="locked")
    republished = publish(fair, rerun)
    assert republished["status"] == "published", republished
    assert republished["progress"]["agendas_changed"] == 0  # only the diff is published: there is none
    kept = next(m for m in agenda(buyer)["meetings"] if m["meeting_id"] == theirs["meeting_id"])
    assert (_local(kept["starts_at"]), kept["table"], agenda(buyer)["version"]) == (free, "T4", 2)
    # a run from scratch moves what it likes, but not a meeting locked to its slot and table
    assert publish(fair, ready_run(fair))["status"] == "published"
    kept = next(m for m in agenda(buyer)["meetings"] if m["meeting_id"] == theirs["meeting_id"])
    assert (_local(kept["starts_at"]), kept["table"]) == (free, "T4")

    smaller = api.put(
        f"/events/{fair['event_id']}/grid",
        json={"grid": grid(DAY, tables=[{"count": 3, "capacity": 4}]), "version": 1},
    )
    assert smaller.status_code == 409, smaller.text  # T4 holds a published meeting at least
    [error] = smaller.json()["errors"]
    assert error["field"] == "grid.table" and error["message"].endswith(": no such table")
    assert error["message"].split(":")[0].removeprefix("meeting ") in {
        m["meeting_id"]
        for who in (buyer, *fair["suppliers"])
        for m in agenda(who)["meetings"]
        if m["table"] == "T4"
    }


def test_a_participant_cancels_before_the_cut_off_and_the_organiser_puts_the_meeting_back(
    fair: dict[str, Any],
) -> None:
    api, buyer, supplier = fair["organizer"].api, fair["buyer"], fair["suppliers"][1]
    _published(fair)
    [meeting] = agenda(supplier)["meetings"]

    cancelled = supplier["user"].api.post(f"/me/meetings/{meeting['meeting_id']}/cancel")

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert meeting["meeting_id"] not in {m["meeting_id"] for m in agenda(buyer)["meetings"]}
    assert (
        _agenda_event(fair, buyer["participant_id"])["changes"]["cancelled"][0]["meeting_id"]
        == (meeting["meeting_id"])
    )
    assert supplier["user"].api.post(f"/me/meetings/{meeting['meeting_id']}/cancel").status_code == 409
    stranger = fair["suppliers"][0]["user"].api.post(f"/me/meetings/{meeting['meeting_id']}/cancel")
    assert stranger.status_code == 404

    request_id = cancelled.json()["request_id"]
    busy = {_local(m["starts_at"]) for m in agenda(buyer)["meetings"]}
    free = next(s for s in SLOTS if s not in busy)
    made = api.post(
        f"/events/{fair['event_id']}/meetings",
        json={"request_id": request_id, "slot": f"{DAY}T{free}", "table": "T2", "locked": "slot"},
    )
    assert made.status_code == 201, made.text
    assert (made.json()["meeting_id"], made.json()["locked"]) == (meeting["meeting_id"], "slot")
    assert [_local(m["starts_at"]) for m in agenda(supplier)["meetings"]] == [free]
    again = api.post(
        f"/events/{fair['event_id']}/meetings",
        json={"request_id": request_id, "slot": f"{DAY}T{free}", "table": "T3"},
    )
    assert again.status_code == 409

    # a meeting between two companies without a request, kept in place by a later run
    first = fair["suppliers"][0]
    taken = {_local(m["starts_at"]) for who in (first, supplier) for m in agenda(who)["meetings"]}
    slot = next(s for s in SLOTS if s not in taken)
    hand = api.post(
        f"/events/{fair['event_id']}/meetings",
        json={
            "registration_ids": [first["registration_id"], supplier["registration_id"]],
            "participant_ids": [first["participant_id"], supplier["participant_id"]],
            "slot": f"{DAY}T{slot}",
            "table": "T3",
        },
    )
    assert hand.status_code == 201, hand.text
    assert (hand.json()["request_id"], hand.json()["agendas_changed"]) == (None, 2)
    assert publish(fair, ready_run(fair, mode="moving_allowed"))["status"] == "published"
    kept = {m["meeting_id"]: m for m in agenda(first)["meetings"]}[hand.json()["meeting_id"]]
    assert (_local(kept["starts_at"]), kept["table"]) == (slot, "T3")


def test_a_cancel_past_the_cut_off_is_refused(fair: dict[str, Any]) -> None:
    soon = (NOW + timedelta(days=2)).date().isoformat()
    _published(fair, soon, cancel_cutoff_hours=24 * 30)
    supplier = fair["suppliers"][0]
    [meeting] = agenda(supplier)["meetings"]

    refused = supplier["user"].api.post(f"/me/meetings/{meeting['meeting_id']}/cancel")

    assert refused.status_code == 409, refused.text
    assert "720 h" in refused.json()["detail"]
    assert agenda(supplier)["meetings"] == [meeting]
