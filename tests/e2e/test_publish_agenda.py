"""Publishing a scheduling run and reading agendas over HTTP: run -> ready -> publish -> GET
/me/agenda for both sides of a meeting; a later run republished (agenda version 2, `agenda.changed`
with the diff, the request left out with a reason in the participant's locale); publishing a run
that is not ready (409) or another tenant's run (404). Publishing is asynchronous (202, then the
publish state machine): a failing publish step leaves the agendas as they were and the run ready with
why, a transient fault is retried, a second publish while one runs is refused (409)."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from salon.kernel import keys
from salon.kernel.errors import DependencyUnavailable
from salon.kernel.outbox import dedupe_id
from salon.scheduling.adapters.agenda_store import AgendaStore
from scheduling_world import DAY, agenda, publish, ready_run, wait_published

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
}


def test_published_agendas_show_each_meeting_alike_to_both_sides_and_a_republish_diffs(
    fair: dict[str, Any], user_factory: Any
) -> None:
    api, buyer, suppliers = fair["organizer"].api, fair["buyer"], fair["suppliers"]
    assert api.put(f"/events/{fair['event_id']}/grid", json={"grid": GRID, "version": 0}).status_code == 200
    assert agenda(buyer)["version"] == 0  # nothing published yet
    first = ready_run(fair)

    published = publish(fair, first)

    assert (published["status"], published["progress"]["stage"]) == ("published", None), published
    assert published["progress"]["agendas_changed"] == 3
    assert published["progress"]["agendas_done"] == published["progress"]["agendas_total"] == 3
    assert "publish_error" not in published or published["publish_error"] is None
    assert api.post(f"/schedule-runs/{first}/publish").status_code == 409
    stranger = user_factory("organizer", f"tenant-{uuid.uuid4().hex[:8]}")
    assert stranger.api.post(f"/schedule-runs/{first}/publish").status_code == 404
    mine, theirs = agenda(buyer), agenda(suppliers[0])
    assert (mine["version"], theirs["version"], len(mine["meetings"]), len(theirs["meetings"])) == (
        1,
        1,
        2,
        1,
    )
    shared = theirs["meetings"][0]
    same = next(m for m in mine["meetings"] if m["meeting_id"] == shared["meeting_id"])
    assert (same["starts_at"], same["ends_at"], same["table"]) == (
        shared["starts_at"],
        shared["ends_at"],
        shared["table"],
    )
    starts = datetime.fromisoformat(shared["starts_at"])
    assert starts.utcoffset() == starts.astimezone(ZoneInfo("Europe/Paris")).utcoffset()
    assert starts.astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M") in {
        "09:00",
        "09:30",
        "10:00",
        "11:00",
        "11:30",
    }
    assert (same["company_name"], shared["company_name"]) == ("Supplier 1", "Acheteur")
    assert shared["attendees"] == [
        {"first_name": "First Acheteur", "last_name": "Last Acheteur", "job_title": "Head of Acheteur"}
    ]
    assert "@" not in str(mine) and "+336" not in str(mine)
    assert [p["kind"] for p in mine["pauses"]] == ["coffee"]
    assert mine["unscheduled"] == []
    first_ids = {m["meeting_id"] for m in mine["meetings"]}

    # The grid can no longer change the slots published meetings use; the buyer, though, becomes free at
    # 11:30 only: on a later run one meeting moves or stays, the other is cancelled.
    later = {**GRID, "slot_minutes": 20}
    refused = api.put(f"/events/{fair['event_id']}/grid", json={"grid": later, "version": 1})
    assert refused.status_code == 409 and "published meeting mtg_" in refused.json()["detail"], refused.text
    busy = buyer["user"].api.put(
        "/me/unavailability", json={"periods": [{"starts_at": f"{DAY}T09:00", "ends_at": f"{DAY}T11:30"}]}
    )
    assert busy.status_code == 200, busy.text
    second = ready_run(fair)
    assert publish(fair, second)["status"] == "published"

    mine = agenda(buyer)
    assert (mine["version"], len(mine["meetings"])) == (2, 1)
    kept = mine["meetings"][0]["meeting_id"]
    assert kept in first_ids  # the request's meeting keeps its id from run to run
    assert (
        datetime.fromisoformat(mine["meetings"][0]["starts_at"])
        .astimezone(ZoneInfo("Europe/Paris"))
        .strftime("%H:%M")
        != "09:00"
    )
    [lost] = first_ids - {kept}
    [left_out] = mine["unscheduled"]
    assert (left_out["reason"], left_out["message"]) == (
        "agenda_full",
        "l'agenda de l'autre société était complet",
    )
    assert left_out["company_name"] in {"Supplier 1", "Supplier 2"}
    event = fair["table"].get(
        keys.outbox_pk(
            fair["tenant_id"], dedupe_id(fair["tenant_id"], buyer["participant_id"], f"{second}:agenda")
        ),
        keys.OUTBOX_SK,
    )
    assert event is not None and event["detail_type"] == "agenda.changed"
    changes = event["detail"]["changes"]
    assert (
        event["detail"]["version"],
        [c["meeting_id"] for c in changes["cancelled"]],
        changes["added"],
    ) == (
        2,
        [lost],
        [],
    )
    assert [c["meeting_id"] for c in changes["moved"]] in ([], [kept])
    loser = next(s for s in suppliers if agenda(s)["meetings"] == [])
    assert agenda(loser)["version"] == 2
    assert agenda(loser)["unscheduled"][0]["message"] == "the other company's agenda was full"


def test_a_run_that_is_not_ready_is_not_published(fair: dict[str, Any]) -> None:
    api = fair["organizer"].api
    assert api.put(f"/events/{fair['event_id']}/grid", json={"grid": GRID, "version": 0}).status_code == 200
    run_id = api.post(f"/events/{fair['event_id']}/schedule-runs", json={"time_limit_s": 2}).json()["run_id"]
    assert api.post(f"/schedule-runs/{run_id}/cancel").status_code == 200
    refused = api.post(f"/schedule-runs/{run_id}/publish")
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert agenda(fair["buyer"])["version"] == 0


def _ready_fair(fair: dict[str, Any]) -> str:
    api = fair["organizer"].api
    assert api.put(f"/events/{fair['event_id']}/grid", json={"grid": GRID, "version": 0}).status_code == 200
    return ready_run(fair)


def test_a_failing_publish_step_leaves_the_agendas_and_the_run_says_why(
    fair: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = _ready_fair(fair)

    def broken(self: AgendaStore, writes: list[Any]) -> None:
        raise ValueError("an agenda cannot be written")

    monkeypatch.setattr(AgendaStore, "commit", broken)
    asked = fair["organizer"].api.post(f"/schedule-runs/{run_id}/publish")
    assert asked.status_code == 202, asked.text
    run = wait_published(fair, run_id)

    assert (run["status"], run["publish_error"]) == ("ready", "ValueError: an agenda cannot be written")
    assert agenda(fair["buyer"])["version"] == 0
    monkeypatch.undo()
    assert publish(fair, run_id)["status"] == "published"  # the organiser publishes it again
    assert agenda(fair["buyer"])["version"] == 1


def test_a_transient_fault_in_the_publish_step_is_retried(
    fair: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = _ready_fair(fair)
    faults = [DependencyUnavailable("throttled")]
    commit = AgendaStore.commit

    def flaky(self: AgendaStore, writes: list[Any]) -> None:
        if faults:
            raise faults.pop()
        commit(self, writes)

    monkeypatch.setattr(AgendaStore, "commit", flaky)
    run = publish(fair, run_id)

    assert not faults
    assert run["status"] == "published", run
    assert agenda(fair["buyer"])["version"] == 1


def test_a_second_publish_while_one_runs_is_refused(
    fair: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = _ready_fair(fair)
    go_on = threading.Event()
    commit = AgendaStore.commit

    def held(self: AgendaStore, writes: list[Any]) -> None:
        go_on.wait(30)
        commit(self, writes)

    monkeypatch.setattr(AgendaStore, "commit", held)
    api = fair["organizer"].api
    assert api.post(f"/schedule-runs/{run_id}/publish").status_code == 202
    try:
        publishing = api.get(f"/schedule-runs/{run_id}").json()
        again = api.post(f"/schedule-runs/{run_id}/publish")
    finally:
        go_on.set()

    assert (publishing["status"], publishing["progress"]["stage"]) == ("publishing", "publish")
    assert again.status_code == 409, again.text
    assert "publishing" in again.json()["detail"]
    assert wait_published(fair, run_id)["status"] == "published"
