"""The demo's scheduling chapter: after the meeting-request campaign, the organiser sets a two-day
grid with a lunch pause, runs the scheduler through its state machine, reads the run's statistics,
publishes it, one participant reads their agenda (and prints it, and gets their calendar feed's
address), the organiser moves one of its meetings by hand and the participant reads it again (a new
version). All over HTTP; the report carries ids, counts,
times, tables and company names, never a person's name."""

from __future__ import annotations

import logging
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from localcloud.api_client import ApiClient, Json, UnexpectedStatus

logger = logging.getLogger(__name__)

TIME_LIMIT_S = 20
POLL_TIMEOUT_S = 300


class RunDidNotFinish(RuntimeError):
    """The scheduling run failed, was cancelled or did not end in time."""


@dataclass
class ScheduleReport:
    time_limit_s: int = TIME_LIMIT_S
    run_id: str = ""
    statistics: Json = field(default_factory=dict)
    run_seconds: float = 0.0
    published: Json = field(default_factory=dict)
    publish_seconds: float = 0.0
    participant_id: str = ""
    agenda: Json = field(default_factory=dict)
    calendar_url: str = ""
    agenda_pdf: Path | None = None
    moved: Json = field(default_factory=dict)  # the meeting the organiser moved by hand, as it is now
    moved_from: str = ""
    cancelled: str = ""  # the meeting the participant cancelled to make room, if they had to
    agenda_after: Json = field(default_factory=dict)


def slot_starts(first_day: date) -> list[str]:
    """The local start of every slot of `two_day_grid`."""
    times = [
        f"{h:02d}:{m:02d}"
        for h in range(9, 18)
        for m in (0, 30)
        if not "12:30" <= f"{h:02d}:{m:02d}" < "14:00"
    ]
    return [f"{(first_day + timedelta(days=n)).isoformat()}T{t}" for n in range(2) for t in times]


def two_day_grid(first_day: date) -> Json:
    """09:00-18:00 both days in 30-minute slots, lunch 12:30-14:00 (not slots), 30 tables."""
    day = {
        "opens": "09:00",
        "closes": "18:00",
        "pauses": [{"kind": "lunch", "starts": "12:30", "ends": "14:00"}],
    }
    return {
        "days": [{"date": (first_day + timedelta(days=n)).isoformat(), **day} for n in range(2)],
        "slot_minutes": 30,
        "tables": [{"count": 30, "capacity": 4, "prefix": "T"}],
    }


def run_schedule(
    organizer: ApiClient, event_id: str, participant: ApiClient, time_limit_s: int = TIME_LIMIT_S
) -> ScheduleReport:
    """Grid, run (polled to `ready`), publish, and ``participant``'s agenda."""
    report = ScheduleReport(time_limit_s=time_limit_s)
    event = organizer.get_event(event_id)
    first_day = (
        datetime.fromisoformat(str(event["starts_at"])).astimezone(ZoneInfo(str(event["time_zone"]))).date()
    )
    version = int(organizer.get(f"/events/{event_id}/grid")["version"])
    organizer.request(
        "PUT", f"/events/{event_id}/grid", json={"grid": two_day_grid(first_day), "version": version}
    )
    started = time.perf_counter()
    run = organizer.post(
        f"/events/{event_id}/schedule-runs", {"time_limit_s": time_limit_s, "seed": 1}, expected=(202,)
    )
    report.run_id = str(run["run_id"])
    while run["status"] not in ("ready", "failed", "cancelled"):
        if time.perf_counter() - started > POLL_TIMEOUT_S:
            raise RunDidNotFinish(f"run {report.run_id} still {run['status']} after {POLL_TIMEOUT_S} s")
        time.sleep(1)
        run = organizer.get(f"/schedule-runs/{report.run_id}")
    if run["status"] != "ready":
        raise RunDidNotFinish(f"run {report.run_id} ended {run['status']}: {run.get('failure')}")
    report.run_seconds = time.perf_counter() - started
    report.statistics = run["statistics"]
    started = time.perf_counter()
    report.published = publish(organizer, report.run_id)
    report.publish_seconds = time.perf_counter() - started
    report.agenda = participant.get("/me/agenda")
    report.participant_id = str(report.agenda["participant_id"])
    report.calendar_url = str(participant.get("/me/calendar-url")["url"])
    report.agenda_pdf = Path(tempfile.gettempdir()) / f"salon-agenda-{report.participant_id}.pdf"
    report.agenda_pdf.write_bytes(participant.download("/me/agenda.pdf", accept="application/pdf"))
    if report.agenda["meetings"]:
        _move_one_by_hand(report, organizer, participant, slot_starts(first_day))
    return report


def _move_one_by_hand(
    report: ScheduleReport, organizer: ApiClient, participant: ApiClient, starts: list[str]
) -> None:
    """The organiser moves one of the participant's meetings to a slot the participant has free; when
    their agenda is full, the participant first cancels their last meeting (their right until the
    cut-off), which frees its slot."""
    meetings = report.agenda["meetings"]
    free = [s for s in starts if not any(str(m["starts_at"]).startswith(s) for m in meetings)]
    if not free:
        last = meetings[-1]
        participant.post(f"/me/meetings/{last['meeting_id']}/cancel")
        report.cancelled = f"{last['starts_at']} table {last['table']} ({last['company_name']})"
        free = [s for s in starts if str(last["starts_at"]).startswith(s)]
        meetings = meetings[:-1]
    for meeting in meetings:
        moved = move_by_hand(organizer, str(meeting["meeting_id"]), free)
        if moved is not None:
            report.moved_from = f"{meeting['starts_at']} table {meeting['table']}"
            report.moved = moved
            report.agenda_after = participant.get("/me/agenda")
            return
    raise UnexpectedStatus("PATCH", "/meetings/{meeting_id}", 409, (200,), "no meeting could move")


def publish(organizer: ApiClient, run_id: str) -> Json:
    """Ask for the run's publishing (202) and poll it until `published`: the run then."""
    started = time.perf_counter()
    run = organizer.post(f"/schedule-runs/{run_id}/publish", expected=(202,))
    while run["status"] == "publishing":
        if time.perf_counter() - started > POLL_TIMEOUT_S:
            raise RunDidNotFinish(f"run {run_id} still publishing after {POLL_TIMEOUT_S} s")
        time.sleep(1)
        run = organizer.get(f"/schedule-runs/{run_id}")
    if run["status"] != "published":
        raise RunDidNotFinish(f"run {run_id} was not published: {run.get('publish_error')}")
    return run


def move_by_hand(organizer: ApiClient, meeting_id: str, starts: list[str]) -> Json | None:
    """Move the meeting to the latest slot the checks accept (409 / 422 name what clashes); None when
    every slot clashes (the reasons are logged, ids only)."""
    refusals: list[Any] = []
    for start in reversed(starts):
        answer = organizer.request(
            "PATCH", f"/meetings/{meeting_id}", json={"slot": start}, expected=(200, 409, 422)
        )
        if answer.status == 200:
            return answer.json
        refusals.append(answer.json.get("errors") if isinstance(answer.json, dict) else answer.json)
    logger.info("meeting %s stays: %s", meeting_id, refusals[:3])
    return None


def format_schedule(report: ScheduleReport) -> list[str]:
    stats = report.statistics
    breaks = stats["breaks"]
    reasons = Counter(str(u["reason"]) for u in stats["unscheduled"])
    agenda = report.agenda
    return [
        f"Scheduling run {report.run_id} (two days, lunch pause, time limit {report.time_limit_s} s): "
        f"ready in {report.run_seconds:.1f} s",
        f"  placed / requested: {stats['placed']} / {stats['requested']}, bound {stats['bound']}, "
        f"gap {stats['gap']}",
        f"  breaks per participant: min {breaks['min']}, mean {breaks['mean']}, max {breaks['max']}",
        "  unscheduled by reason: " + (", ".join(f"{k} {n}" for k, n in sorted(reasons.items())) or "none"),
        "  share placed by type: "
        + ", ".join(f"{t} {s:.0%}" for t, s in sorted(stats["share_by_type"].items())),
        f"  published: {report.published['progress']['agendas_changed']} of "
        f"{report.published['progress']['agendas_total']} agendas changed in {report.publish_seconds:.1f} s",
        f"Agenda of participant {report.participant_id} (version {agenda['version']}):",
        *(
            f"  {m['starts_at']} -> {m['ends_at'][11:16]}  table {m['table']:<4} {m['company_name']} "
            f"({len(m['attendees'])} attending)"
            for m in agenda["meetings"]
        ),
        *(f"  pause ({p['kind']}) {p['starts_at']} -> {p['ends_at'][11:16]}" for p in agenda["pauses"]),
        *(f"  not scheduled: with {u['company_name']}: {u['message']}" for u in agenda["unscheduled"]),
        f"  calendar feed: {report.calendar_url}  printed: {report.agenda_pdf}",
        *_after_the_move(report),
    ]


def _after_the_move(report: ScheduleReport) -> list[str]:
    if not report.moved:
        return []
    after = report.agenda_after
    room = [f"The participant's agenda is full: they cancel {report.cancelled}"] if report.cancelled else []
    return [
        *room,
        f"The organiser moves meeting {report.moved['meeting_id']} by hand: {report.moved_from} -> "
        f"{report.moved['starts_at']} table {report.moved['table']} ({report.moved['agendas_changed']} "
        "agendas changed)",
        f"Agenda of participant {report.participant_id} (version {after['version']}):",
        *(
            f"  {m['starts_at']} -> {m['ends_at'][11:16]}  table {m['table']:<4} {m['company_name']}"
            for m in after["meetings"]
        ),
    ]
