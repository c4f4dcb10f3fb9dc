"""From an event's grid, approved meeting requests and availability to the scheduler's problem
document (numbers only) and the key that maps its numbers back to ids. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from salon.scheduling.domain.grid import Grid, Period, covered, slots, tables
from salon.scheduling.domain.runs import Mode


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
class Inputs:
    name: str
    time_zone: str
    grid: Grid
    mode: Mode
    requests: Sequence[Approved]
    companies: Mapping[str, Company]
    unavailability: Mapping[str, Sequence[Period]] = field(default_factory=dict)  # participant -> periods


def _attendees(chosen: tuple[str, ...], company: Company) -> list[str]:
    listed = [p for p in chosen if p in company.participant_ids]
    return listed or list(company.participant_ids[:1])


def build(inputs: Inputs) -> tuple[dict[str, Any], dict[str, Any]]:
    """(problem document, key): the key lists the ids behind each number of the document."""
    grid_slots = slots(inputs.grid, inputs.time_zone)
    grid_tables = tables(inputs.grid)
    people: dict[str, int] = {}
    person_company: list[int] = []
    company_index: dict[str, int] = {}
    meetings: list[dict[str, Any]] = []
    request_ids: list[str] = []

    def person(pid: str, rid: str) -> int:
        if pid not in people:
            people[pid] = len(people)
            person_company.append(company_index.setdefault(rid, len(company_index)))
        return people[pid]

    for request in inputs.requests:
        a = inputs.companies.get(request.from_registration_id)
        b = inputs.companies.get(request.to_registration_id)
        if a is None or b is None or not a.participant_ids or not b.participant_ids:
            continue
        members = [person(p, a.registration_id) for p in _attendees(request.from_participant_ids, a)]
        members += [person(p, b.registration_id) for p in _attendees(request.to_participant_ids, b)]
        meetings.append(
            {
                "companies": [company_index[a.registration_id], company_index[b.registration_id]],
                "participants": members,
                "weight": max(1, request.weight),
            }
        )
        request_ids.append(request.request_id)
    companies = {index: rid for rid, index in company_index.items()}
    forbidden: dict[str, list[int]] = {}
    for pid, index in people.items():
        rid = companies[person_company[index]]
        ptype = inputs.companies[rid].type
        periods = list(inputs.unavailability.get(pid, ()))
        periods += [p for b in inputs.grid.blocks if not b.types or ptype in b.types for p in b.periods]
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
        "mode": inputs.mode,
    }
    key = {
        "participants": list(people),
        "companies": [companies[i] for i in range(len(companies))],
        "requests": request_ids,
        "slots": [[s.starts_at.isoformat(), s.ends_at.isoformat()] for s in grid_slots],
        "tables": [t.label for t in grid_tables],
    }
    return problem, key
