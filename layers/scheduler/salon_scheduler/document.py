"""The scheduling problem and its schedule as JSON documents: what the schedule function reads and
writes. Indices are 0-based positions in the document's lists; people and companies are numbers,
never names, so neither document holds more than pseudonymous data.

`read_problem` checks the shape and every cross-reference (a meeting naming an unknown person, a
slot out of range, a precedence on itself...) and raises one pydantic ValidationError listing every
field at fault, so the caller can answer with all of them at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from .instance import Instance, Meeting, Mode, Placement, Schedule, Slot, Table
from .validate import validate

MAX_PARTICIPANTS = 20_000
MAX_MEETINGS = 60_000
MAX_SLOTS = 400
MAX_TABLES = 5_000

Index = Annotated[int, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlotIn(_Strict):
    day: Index = 0
    session: Index = 0
    label: str = Field(default="", max_length=64)


class TableIn(_Strict):
    capacity: int = Field(default=2, ge=2, le=100)
    dedicated_company: Index | None = None
    unavailable_slots: list[Index] = Field(default_factory=list, max_length=MAX_SLOTS)


class ExistingIn(_Strict):
    slot: Index
    table: Index


class MeetingIn(_Strict):
    companies: tuple[Index, Index]
    participants: list[Index] = Field(min_length=2, max_length=20)
    weight: int = Field(default=1, ge=1, le=1_000)
    sessions: list[Index] | None = None
    required: bool = False
    fixed_slot: Index | None = None
    fixed_table: Index | None = None  # with fixed_slot: the meeting is locked to that slot and table
    existing: ExistingIn | None = None


class ProblemIn(_Strict):
    name: str = Field(min_length=1, max_length=200)
    participant_company: list[Index] = Field(min_length=2, max_length=MAX_PARTICIPANTS)
    slots: list[SlotIn] = Field(min_length=1, max_length=MAX_SLOTS)
    tables: list[TableIn] = Field(min_length=1, max_length=MAX_TABLES)
    meetings: list[MeetingIn] = Field(max_length=MAX_MEETINGS)
    forbidden: dict[int, list[Index]] = Field(default_factory=dict)
    company_forbidden: dict[int, list[Index]] = Field(default_factory=dict)  # every participant's
    max_meetings: dict[int, Index] = Field(default_factory=dict)
    min_meetings: dict[int, Index] = Field(default_factory=dict)
    company_max_meetings: dict[int, Index] = Field(default_factory=dict)
    day_max_meetings: dict[int, Index] = Field(default_factory=dict)
    company_day_max_meetings: dict[int, Index] = Field(default_factory=dict)
    precedences: list[tuple[Index, Index]] = Field(default_factory=list, max_length=MAX_MEETINGS)
    mode: Mode = Mode.FROM_SCRATCH
    break_fairness: int | None = Field(default=None, ge=0, le=100)  # None: no fairness cap


def read_problem(data: Any) -> Instance:
    """The Instance a problem document describes; ValidationError names every field at fault."""
    problem = ProblemIn.model_validate(data)
    errors = list(_reference_errors(problem))
    if errors:
        raise ValidationError.from_exception_data("problem", errors)
    return _instance(problem)


def _instance(problem: ProblemIn) -> Instance:
    return Instance(
        name=problem.name,
        participant_company=tuple(problem.participant_company),
        slots=tuple(Slot(i, s.day, s.session, s.label) for i, s in enumerate(problem.slots)),
        tables=tuple(
            Table(i, t.capacity, t.dedicated_company, frozenset(t.unavailable_slots))
            for i, t in enumerate(problem.tables)
        ),
        meetings=tuple(
            Meeting(
                index=i,
                companies=m.companies,
                participants=tuple(m.participants),
                weight=m.weight,
                sessions=frozenset(m.sessions) if m.sessions is not None else None,
                required=m.required,
                fixed_slot=m.fixed_slot,
                fixed_table=m.fixed_table,
                existing=Placement(i, m.existing.slot, m.existing.table) if m.existing else None,
            )
            for i, m in enumerate(problem.meetings)
        ),
        forbidden=_forbidden(problem),
        max_meetings=dict(problem.max_meetings),
        min_meetings=dict(problem.min_meetings),
        company_max_meetings=dict(problem.company_max_meetings),
        day_max_meetings=dict(problem.day_max_meetings),
        company_day_max_meetings=dict(problem.company_day_max_meetings),
        precedences=tuple(problem.precedences),
        mode=problem.mode,
        break_fairness=problem.break_fairness,
    )


def _forbidden(problem: ProblemIn) -> dict[int, frozenset[int]]:
    """Each person's forbidden slots, with those of their company (it blocks all its participants)."""
    out = {p: set(slots) for p, slots in problem.forbidden.items()}
    for person, company in enumerate(problem.participant_company):
        out.setdefault(person, set()).update(problem.company_forbidden.get(company, ()))
    return {p: frozenset(slots) for p, slots in out.items() if slots}


def _error(loc: tuple[int | str, ...], message: str, value: Any) -> InitErrorDetails:
    return {"type": PydanticCustomError("reference", message), "loc": loc, "input": value}


def _reference_errors(problem: ProblemIn) -> Iterator[InitErrorDetails]:
    persons = len(problem.participant_company)
    slots = len(problem.slots)
    companies = set(problem.participant_company)
    sessions = {s.session for s in problem.slots}
    for i, (slot, following) in enumerate(zip(problem.slots, problem.slots[1:], strict=False)):
        if following.day < slot.day:
            yield _error(("slots", i + 1, "day"), "slots must be listed day by day", following.day)
    for i, table in enumerate(problem.tables):
        if table.dedicated_company is not None and table.dedicated_company not in companies:
            yield _error(
                ("tables", i, "dedicated_company"), "no participant of this company", table.dedicated_company
            )
        yield from _slot_list(("tables", i, "unavailable_slots"), table.unavailable_slots, slots)
    for i, meeting in enumerate(problem.meetings):
        yield from _meeting_errors(i, meeting, problem, sessions)
    for person, listed in problem.forbidden.items():
        if not 0 <= person < persons:
            yield _error(("forbidden", person), "no such participant", person)
        yield from _slot_list(("forbidden", person), listed, slots)
    for company, listed in problem.company_forbidden.items():
        if company not in companies:
            yield _error(("company_forbidden", company), "no participant of this company", company)
        yield from _slot_list(("company_forbidden", company), listed, slots)
    for field in ("max_meetings", "min_meetings", "day_max_meetings"):
        for person in getattr(problem, field):
            if not 0 <= person < persons:
                yield _error((field, person), "no such participant", person)
    for person, wished in problem.min_meetings.items():
        if wished > problem.max_meetings.get(person, wished):
            yield _error(("min_meetings", person), "above this participant's max_meetings", wished)
    for field in ("company_max_meetings", "company_day_max_meetings"):
        for company in getattr(problem, field):
            if company not in companies:
                yield _error((field, company), "no participant of this company", company)
    for i, (before, after) in enumerate(problem.precedences):
        for j, named in enumerate((before, after)):
            if named >= len(problem.meetings):
                yield _error(("precedences", i, j), "no such meeting", named)
        if before == after:
            yield _error(("precedences", i), "a meeting cannot precede itself", [before, after])


def _meeting_errors(
    i: int, meeting: MeetingIn, problem: ProblemIn, sessions: set[int]
) -> Iterator[InitErrorDetails]:
    persons = len(problem.participant_company)
    slots = len(problem.slots)
    if meeting.companies[0] == meeting.companies[1]:
        yield _error(
            ("meetings", i, "companies"), "a meeting is between two different companies", meeting.companies
        )
    faults = 0
    for j, person in enumerate(meeting.participants):
        if person >= persons:
            faults += 1
            yield _error(("meetings", i, "participants", j), "no such participant", person)
        elif problem.participant_company[person] not in meeting.companies:
            faults += 1
            yield _error(("meetings", i, "participants", j), "belongs to neither company", person)
    if len(set(meeting.participants)) != len(meeting.participants):
        yield _error(("meetings", i, "participants"), "a participant is listed twice", meeting.participants)
    elif not faults and {problem.participant_company[p] for p in meeting.participants} != set(
        meeting.companies
    ):
        yield _error(
            ("meetings", i, "participants"), "each company needs a participant", meeting.participants
        )
    for j, session in enumerate(meeting.sessions or ()):
        if session not in sessions:
            yield _error(("meetings", i, "sessions", j), "no slot belongs to this session", session)
    if meeting.fixed_slot is not None and meeting.fixed_slot >= slots:
        yield _error(("meetings", i, "fixed_slot"), "no such slot", meeting.fixed_slot)
    if meeting.fixed_table is not None:
        if meeting.fixed_slot is None:
            yield _error(("meetings", i, "fixed_table"), "a table is fixed with a slot", meeting.fixed_table)
        if meeting.fixed_table >= len(problem.tables):
            yield _error(("meetings", i, "fixed_table"), "no such table", meeting.fixed_table)
    if meeting.existing is not None:
        if meeting.existing.slot >= slots:
            yield _error(("meetings", i, "existing", "slot"), "no such slot", meeting.existing.slot)
        if meeting.existing.table >= len(problem.tables):
            yield _error(("meetings", i, "existing", "table"), "no such table", meeting.existing.table)


def _slot_list(loc: tuple[int | str, ...], listed: list[int], slots: int) -> Iterator[InitErrorDetails]:
    for j, slot in enumerate(listed):
        if slot >= slots:
            yield _error((*loc, j), "no such slot", slot)


def schedule_document(instance: Instance, schedule: Schedule) -> dict[str, Any]:
    """The schedule as JSON, with the independent validator's verdict and metrics beside it."""
    report = validate(instance, schedule.placements)
    return {
        "instance": schedule.instance,
        "placements": [{"meeting": p.meeting, "slot": p.slot, "table": p.table} for p in schedule.placements],
        "unscheduled": [
            {"meeting": u.meeting, "reason": u.reason.value, "detail": u.detail} for u in schedule.unscheduled
        ],
        "stages": [
            {
                "name": s.name,
                "status": s.status.value,
                "objective": s.objective,
                "bound": s.bound,
                "gap": s.gap,
                "seconds": round(s.seconds, 3),
            }
            for s in schedule.stages
        ],
        "upper_bound": schedule.upper_bound,
        "seconds": round(schedule.seconds, 3),
        "violations": [{"kind": p.kind.value, "detail": p.detail} for p in report.problems],
        "metrics": asdict(report.metrics),
    }


def problem_document(instance: Instance) -> dict[str, Any]:
    """The problem document `read_problem` reads back into the same Instance."""
    return {
        "name": instance.name,
        "participant_company": list(instance.participant_company),
        "slots": [{"day": s.day, "session": s.session, "label": s.label} for s in instance.slots],
        "tables": [
            {
                "capacity": t.capacity,
                "dedicated_company": t.dedicated_company,
                "unavailable_slots": sorted(t.unavailable_slots),
            }
            for t in instance.tables
        ],
        "meetings": [
            {
                "companies": list(m.companies),
                "participants": list(m.participants),
                "weight": m.weight,
                "sessions": sorted(m.sessions) if m.sessions is not None else None,
                "required": m.required,
                "fixed_slot": m.fixed_slot,
                "fixed_table": m.fixed_table,
                "existing": {"slot": m.existing.slot, "table": m.existing.table} if m.existing else None,
            }
            for m in instance.meetings
        ],
        "forbidden": {str(p): sorted(slots) for p, slots in sorted(instance.forbidden.items())},
        "max_meetings": {str(p): n for p, n in sorted(instance.max_meetings.items())},
        "min_meetings": {str(p): n for p, n in sorted(instance.min_meetings.items())},
        "company_max_meetings": {str(c): n for c, n in sorted(instance.company_max_meetings.items())},
        "day_max_meetings": {str(p): n for p, n in sorted(instance.day_max_meetings.items())},
        "company_day_max_meetings": {str(c): n for c, n in sorted(instance.company_day_max_meetings.items())},
        "precedences": [list(pair) for pair in instance.precedences],
        "mode": instance.mode.value,
        "break_fairness": instance.break_fairness,
    }
