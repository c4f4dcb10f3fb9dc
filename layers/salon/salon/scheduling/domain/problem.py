"""From an event's grid, approved meeting requests, availability and published meetings to the
scheduler's problem document (numbers only) and the key that maps its numbers back to ids. Pure.

Published meetings give their request's meeting its `existing` place (kept where possible in
`moving_allowed` mode, exactly in `locked` mode) and the organiser's per-meeting lock (`slot`: a fixed
slot; `slot_and_table`: both fixed, in every mode); meetings created by hand (no approved request
behind them) come along as the heaviest meetings (kept unless impossible: a required meeting left
out would fail the run), and requests whose meeting was cancelled by hand stay out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from salon.scheduling.domain.agenda import Lock, meeting_id
from salon.scheduling.domain.grid import Grid, Period, company_periods, covered, person_blocks, slots, tables
from salon.scheduling.domain.runs import Mode

HAND_MADE_WEIGHT = 1_000  # the most a problem document allows: above any request's weight


@dataclass(frozen=True)
class Company:
    registration_id: str
    type: str
    participant_ids: tuple[str, ...]  # in the registration's order; the first attends by default


@dataclass(frozen=True)
class Approved:
    request_id: str
    from_registration_id: str
    to_registration_id: str
    from_participant_ids: tuple[str, ...]
    to_participant_ids: tuple[str, ...]
    weight: int


@dataclass(frozen=True)
class Existing:
    """A published meeting (scheduled, or cancelled by hand when ``cancelled``)."""

    meeting_id: str
    request_id: str | None  # None: created by hand
    registration_ids: tuple[str, str]
    participant_ids: tuple[str, ...]
    starts_at: str
    table: str
    lock: Lock = "none"
    cancelled: bool = False


@dataclass(frozen=True)
class Inputs:
    name: str
    time_zone: str
    grid: Grid
    mode: Mode
    requests: Sequence[Approved]
    companies: Mapping[str, Company]
    unavailability: Mapping[str, Sequence[Period]] = field(default_factory=dict)  # participant -> periods
    existing: Sequence[Existing] = ()
    tenant_id: str = ""
    event_id: str = ""


def attendees(chosen: tuple[str, ...], members: tuple[str, ...]) -> list[str]:
    """Who of a company attends: those chosen, else its first participant."""
    listed = [p for p in chosen if p in members]
    return listed or list(members[:1])


def build(inputs: Inputs) -> tuple[dict[str, Any], dict[str, Any]]:
    """(problem document, key): the key lists the ids behind each number of the document."""
    grid_slots = slots(inputs.grid, inputs.time_zone)
    grid_tables = tables(inputs.grid)
    people: dict[str, int] = {}
    person_company: list[int] = []
    company_index: dict[str, int] = {}
    meetings: list[dict[str, Any]] = []
    request_ids: list[str | None] = []
    meeting_ids: list[str] = []
    locks: list[Lock] = []
    slot_at = {s.starts_at: s.index for s in grid_slots}
    table_at = {t.label: t.index for t in grid_tables}
    published = {e.request_id or e.meeting_id: e for e in inputs.existing}

    def person(pid: str, rid: str) -> int:
        if pid not in people:
            people[pid] = len(people)
            person_company.append(company_index.setdefault(rid, len(company_index)))
        return people[pid]

    def add(
        mid: str,
        request_id: str | None,
        pair: tuple[Company, Company],
        chosen: tuple[tuple[str, ...], ...],
        weight: int,
        earlier: Existing | None,
    ) -> None:
        a, b = pair
        members = [person(p, a.registration_id) for p in attendees(chosen[0], a.participant_ids)]
        members += [person(p, b.registration_id) for p in attendees(chosen[1], b.participant_ids)]
        meeting: dict[str, Any] = {
            "companies": [company_index[a.registration_id], company_index[b.registration_id]],
            "participants": members,
            "weight": max(1, weight),
        }
        meeting.update(_placed(earlier, slot_at, table_at))
        meetings.append(meeting)
        request_ids.append(request_id)
        meeting_ids.append(mid)
        locks.append(earlier.lock if earlier else "none")

    for request in inputs.requests:
        a = inputs.companies.get(request.from_registration_id)
        b = inputs.companies.get(request.to_registration_id)
        earlier = published.get(request.request_id)
        if a is None or b is None or not a.participant_ids or not b.participant_ids:
            continue
        if earlier is not None and earlier.cancelled:
            continue  # cancelled by hand: not brought back
        chosen = (request.from_participant_ids, request.to_participant_ids)
        mid = meeting_id(inputs.tenant_id, inputs.event_id, request.request_id)
        add(mid, request.request_id, (a, b), chosen, request.weight, earlier)
    for earlier in inputs.existing:
        a_, b_ = (inputs.companies.get(r) for r in earlier.registration_ids)
        if earlier.request_id is None and not earlier.cancelled and a_ is not None and b_ is not None:
            own = tuple(tuple(p for p in earlier.participant_ids if p in c.participant_ids) for c in (a_, b_))
            add(earlier.meeting_id, None, (a_, b_), own, HAND_MADE_WEIGHT, earlier)
    companies = {index: rid for rid, index in company_index.items()}
    forbidden: dict[str, list[int]] = {}
    for pid, index in people.items():
        rid = companies[person_company[index]]
        ptype = inputs.companies[rid].type
        periods = list(inputs.unavailability.get(pid, ())) + person_blocks(inputs.grid, pid, ptype)
        blocked = covered(periods, grid_slots)
        if blocked:
            forbidden[str(index)] = sorted(blocked)
    quotas = inputs.grid.quotas
    max_meetings = {
        str(i): q.max_per_participant
        for pid, i in people.items()
        if (q := quotas.get(inputs.companies[companies[person_company[i]]].type))
        and q.max_per_participant is not None
    }
    company_max = {
        str(c): q.max_per_company
        for c, rid in companies.items()
        if (q := quotas.get(inputs.companies[rid].type)) and q.max_per_company is not None
    }
    company_forbidden = {
        str(c): sorted(blocked)
        for c, rid in companies.items()
        if (blocked := covered(company_periods(inputs.grid, rid), grid_slots))
    }
    day_max = {
        str(i): q.max_per_participant_per_day
        for i in people.values()
        if (q := quotas.get(inputs.companies[companies[person_company[i]]].type))
        and q.max_per_participant_per_day is not None
    }
    company_day_max = {
        str(c): q.max_per_company_per_day
        for c, rid in companies.items()
        if (q := quotas.get(inputs.companies[rid].type)) and q.max_per_company_per_day is not None
    }
    problem_tables = []
    for table in grid_tables:
        dedicated = company_index.get(table.dedicated_registration_id or "")
        closed = covered(table.closed, grid_slots)
        if table.dedicated_registration_id and dedicated is None:
            closed = {s.index for s in grid_slots}  # reserved for a company with no meeting
        problem_tables.append(
            {"capacity": table.capacity, "dedicated_company": dedicated, "unavailable_slots": sorted(closed)}
        )
    problem = {
        "name": inputs.name,
        "participant_company": person_company if len(person_company) >= 2 else [0, 1],
        "slots": [{"day": s.day, "session": s.session, "label": s.starts_at.isoformat()} for s in grid_slots],
        "tables": problem_tables,
        "meetings": meetings,
        "forbidden": forbidden,
        "max_meetings": max_meetings,
        "company_max_meetings": company_max,
        "company_forbidden": company_forbidden,
        "day_max_meetings": day_max,
        "company_day_max_meetings": company_day_max,
        "mode": inputs.mode,
    }
    key = {
        "participants": list(people),
        "companies": [companies[i] for i in range(len(companies))],
        "requests": request_ids,
        "meeting_ids": meeting_ids,
        "locks": locks,
        "slots": [[s.starts_at.isoformat(), s.ends_at.isoformat()] for s in grid_slots],
        "tables": [t.label for t in grid_tables],
    }
    return problem, key


def _placed(
    earlier: Existing | None, slot_at: Mapping[datetime, int], table_at: Mapping[str, int]
) -> dict[str, Any]:
    """The meeting's `existing` place and lock, when its published place is still on the grid."""
    if earlier is None or earlier.cancelled:
        return {}
    slot = slot_at.get(datetime.fromisoformat(earlier.starts_at))
    table = table_at.get(earlier.table)
    if slot is None or table is None:
        return {}
    locks = {"slot": {"fixed_slot": slot}, "slot_and_table": {"fixed_slot": slot, "fixed_table": table}}
    return {"existing": {"slot": slot, "table": table}, **locks.get(earlier.lock, {})}
