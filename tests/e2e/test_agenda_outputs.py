"""A published agenda's other outputs over HTTP: the calendar feed (secret URL, RFC 5545, revocable),
the participant's PDF, the organiser's meeting list (filters, pages, CSV and XLSX exports, audited)
and table sheets."""

from __future__ import annotations

import csv
import io
import re
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from scheduling_world import DAY, publish

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
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _publish(fair: dict[str, Any], grid: dict[str, Any], version: int) -> None:
    api = fair["organizer"].api
    assert (
        api.put(f"/events/{fair['event_id']}/grid", json={"grid": grid, "version": version}).status_code
        == 200
    )
    run_id = api.post(f"/events/{fair['event_id']}/schedule-runs", json={"time_limit_s": 1}).json()["run_id"]
    deadline = time.monotonic() + 60
    while (run := api.get(f"/schedule-runs/{run_id}").json())["status"] not in ("ready", "failed"):
        assert time.monotonic() < deadline, run
        time.sleep(0.3)
    assert run["status"] == "ready", run
    assert publish(fair, run_id)["status"] == "published"


def _feed(api: Any, url: str) -> Any:
    return api.get(urlsplit(url).path)


def test_the_calendar_feed_follows_the_agenda_and_stops_when_revoked(fair: dict[str, Any], api: Any) -> None:
    buyer = fair["buyer"]["user"].api
    _publish(fair, GRID, 0)

    address = buyer.get("/me/calendar-url")
    assert address.status_code == 200, address.text
    url = address.json()["url"]
    assert url.startswith("https://") and url.endswith("/agenda.ics")
    assert buyer.get("/me/calendar-url").json()["url"] == url  # the same until revoked

    served = _feed(api, url)  # no token: the URL is the secret
    assert served.status_code == 200, served.text
    assert served.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(served.content)
    events = list(calendar.walk("VEVENT"))
    agenda = buyer.get("/me/agenda").json()
    assert sorted(str(e["UID"]).split("@")[0] for e in events) == sorted(
        m["meeting_id"] for m in agenda["meetings"]
    )
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    for event in events:
        meeting = next(m for m in agenda["meetings"] if str(event["UID"]).startswith(m["meeting_id"]))
        assert event.decoded("DTSTART").isoformat() == meeting["starts_at"]
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert str(event["SUMMARY"]) == f"Rendez-vous : {meeting['company_name']}"  # the buyer's locale
        assert str(event["LOCATION"]) == f"Table {meeting['table']}"
        assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CONFIRMED", 1)

    # The organiser cancels one meeting: it stays in the feed, cancelled, with a higher SEQUENCE.
    cancelled = fair["organizer"].api.patch(
        f"/meetings/{agenda['meetings'][0]['meeting_id']}", json={"cancel": True}
    )
    assert cancelled.status_code == 200, cancelled.text
    events = list(Calendar.from_ical(_feed(api, url).content).walk("VEVENT"))
    assert sorted(str(e["STATUS"]) for e in events) == ["CANCELLED", "CONFIRMED"]
    assert {int(e["SEQUENCE"]) for e in events} == {2}

    revoked = buyer.delete("/me/calendar-url")
    assert revoked.status_code == 200 and revoked.json() == {"revoked": True}
    gone = _feed(api, url)
    assert gone.status_code == 404
    assert gone.headers["content-type"].startswith("application/problem+json")
    renewed = buyer.get("/me/calendar-url").json()["url"]
    assert renewed != url and _feed(api, renewed).status_code == 200
    assert _feed(api, "/calendar/not-a-token-at-all/agenda.ics").status_code == 404
    assert buyer.delete("/me/calendar-url").json() == {"revoked": True}
    assert buyer.delete("/me/calendar-url").json() == {"revoked": False}


def test_the_participant_prints_their_agenda(fair: dict[str, Any]) -> None:
    supplier = fair["suppliers"][0]["user"].api
    _publish(fair, GRID, 0)

    printed = supplier.get("/me/agenda.pdf")

    assert printed.status_code == 200, printed.text
    assert printed.headers["content-type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF-") and len(re.findall(rb"/Type /Page\b", printed.content)) == 1
    assert supplier.get("/me/agenda.pdf", headers={"Accept": "application/json"}).status_code == 406
    assert fair["organizer"].api.get("/me/agenda.pdf").status_code == 403


def test_organisers_list_filter_page_and_export_the_meetings(fair: dict[str, Any], user_factory: Any) -> None:
    api, event_id = fair["organizer"].api, fair["event_id"]
    _publish(fair, GRID, 0)
    supplier = fair["suppliers"][0]

    listed = api.get(f"/events/{event_id}/meetings")
    assert listed.status_code == 200, listed.text
    meetings = listed.json()["items"]
    assert len(meetings) == 2 and listed.json()["next_cursor"] is None
    assert [m["starts_at"] for m in meetings] == sorted(m["starts_at"] for m in meetings)
    names = {p["company_name"] for m in meetings for p in m["parties"]}
    assert names == {"Acheteur", "Supplier 1", "Supplier 2"}

    first = api.get(f"/events/{event_id}/meetings", params={"limit": 1})
    second = api.get(
        f"/events/{event_id}/meetings", params={"limit": 1, "cursor": first.json()["next_cursor"]}
    )
    assert [m["meeting_id"] for m in first.json()["items"] + second.json()["items"]] == [
        m["meeting_id"] for m in meetings
    ]
    assert second.json()["next_cursor"] is None
    by_company = api.get(
        f"/events/{event_id}/meetings", params={"registration_id": supplier["registration_id"]}
    )
    assert [p["company_name"] for p in by_company.json()["items"][0]["parties"]] in (
        ["Acheteur", "Supplier 1"],
        ["Supplier 1", "Acheteur"],
    )
    assert len(by_company.json()["items"]) == 1
    by_person = api.get(f"/events/{event_id}/meetings", params={"participant_id": supplier["participant_id"]})
    assert by_person.json()["items"] == by_company.json()["items"]
    table = meetings[0]["table"]
    assert all(
        m["table"] == table
        for m in api.get(f"/events/{event_id}/meetings", params={"table": table}).json()["items"]
    )
    assert api.get(f"/events/{event_id}/meetings", params={"day": DAY}).json()["items"] == meetings
    assert api.get(f"/events/{event_id}/meetings", params={"cursor": "%%%"}).status_code == 422
    assert fair["buyer"]["user"].api.get(f"/events/{event_id}/meetings").status_code == 403

    exported = api.get(
        f"/events/{event_id}/meetings", headers={"Accept": "text/csv"}, params={"locale": "fr"}
    )
    assert exported.status_code == 200 and exported.headers["content-type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Rendez-vous", "Statut", "Jour"]
    assert sorted(r[0] for r in rows[1:]) == sorted(m["meeting_id"] for m in meetings)
    assert {r[1] for r in rows[1:]} == {"planifié"}
    workbook = api.get(f"/events/{event_id}/meetings", headers={"Accept": XLSX})
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None and sheet.max_row == 3

    sheets = api.get(f"/events/{event_id}/table-sheets.pdf", params={"locale": "fr"})
    assert sheets.status_code == 200 and sheets.content.startswith(b"%PDF-")
    tables = {m["table"] for m in meetings}
    assert len(re.findall(rb"/Type /Page\b", sheets.content)) == len(tables)
    one = api.get(f"/events/{event_id}/table-sheets.pdf", params={"table": table})
    assert len(re.findall(rb"/Type /Page\b", one.content)) == 1
    assert api.get(f"/events/{event_id}/table-sheets.pdf", params={"table": "Z99"}).status_code == 422

    dpo = user_factory("dpo", fair["tenant_id"])
    trail = dpo.api.get("/audit", params={"actor_id": fair["organizer"].sub, "limit": 100}).json()["items"]
    assert {"meeting.list", "meeting.export", "meeting.table_sheets"} <= {r["action"] for r in trail}
    exports = [r for r in trail if r["action"] == "meeting.export"]
    assert supplier["participant_id"] in exports[0]["subject_ids"]
