"""Read and write the JAIR 2022 B2B `.dzn` format (MiniZinc data, 1-based ids).

What the JAIR format cannot express (companies, weights, table capacities, quotas, days, ...) is
written as `% salon: name = value;` lines. MiniZinc treats them as comments, so a generated file
still loads in the JAIR model, while `read_dzn` reads them back and the instance round-trips.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from salon_scheduler.instance import Instance, Meeting, Mode, Placement, Slot, Table

DznValue = int | bool | str | frozenset[int] | list["DznValue"]

EXTRA_PREFIX = "% salon:"
NO_LIMIT = -1  # quota arrays: this person/company has no quota
SESSION_CODES: dict[int, frozenset[int] | None] = {1: frozenset({0}), 2: frozenset({1}), 3: None}

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<int>-?\d+)|(?P<name>[A-Za-z_]\w*)'
    r"|(?P<symbol>\[\||\|\]|\.\.|[\[\]{}|,;=]))"
)


class DznError(ValueError):
    pass


# ---------------------------------------------------------------- parsing


def _tokens(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if line.startswith(EXTRA_PREFIX):
            lines.append(line[len(EXTRA_PREFIX) :])
        else:
            lines.append(line.split("%", 1)[0])
    body = "\n".join(lines).rstrip()
    tokens: list[str] = []
    position = 0
    while position < len(body):
        match = _TOKEN.match(body, position)
        if match is None:
            raise DznError(f"cannot parse near {body[position : position + 30]!r}")
        tokens.append(match.group(match.lastgroup or "symbol"))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> str:
        return self.tokens[self.position] if self.position < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if expected is not None and token != expected:
            raise DznError(f"expected {expected!r}, found {token!r}")
        self.position += 1
        return token

    def assignments(self) -> dict[str, DznValue]:
        fields: dict[str, DznValue] = {}
        while self.peek():
            name = self.take()
            self.take("=")
            fields[name] = self.value()
            self.take(";")
        return fields

    def value(self) -> DznValue:
        token = self.peek()
        if token == "{":
            return self.set_literal()
        if token == "[|":
            return self.matrix()
        if token == "[":
            return self.array()
        self.take()
        if token.startswith('"'):
            return str(json.loads(token))
        if token in ("true", "false"):
            return token == "true"
        number = int(token)
        if self.peek() == "..":
            self.take()
            return frozenset(range(number, int(self.take()) + 1))
        return number

    def set_literal(self) -> frozenset[int]:
        self.take("{")
        members: set[int] = set()
        while self.peek() != "}":
            if self.peek() == ",":
                self.take()
                continue
            low = int(self.take())
            high = low
            if self.peek() == "..":
                self.take()
                high = int(self.take())
            members.update(range(low, high + 1))
        self.take("}")
        return frozenset(members)

    def array(self) -> list[DznValue]:
        self.take("[")
        items: list[DznValue] = []
        while self.peek() != "]":
            if self.peek() == ",":
                self.take()
                continue
            items.append(self.value())
        self.take("]")
        return items

    def matrix(self) -> list[DznValue]:
        self.take("[|")
        rows: list[DznValue] = []
        row: list[DznValue] = []
        while self.peek() != "|]":
            token = self.peek()
            if token == "|":
                self.take()
                if row:
                    rows.append(row)
                row = []
            elif token == ",":
                self.take()
            else:
                row.append(self.value())
        self.take("|]")
        if row:
            rows.append(row)
        return rows


def parse_dzn(text: str) -> dict[str, DznValue]:
    """All `name = value;` assignments of a .dzn text, including the `% salon:` extras."""
    try:
        return _Parser(_tokens(text)).assignments()
    except DznError:
        raise
    except ValueError as error:  # a non-number where a number belongs
        raise DznError(str(error)) from error


class _Fields:
    """Typed access to parsed fields; optional arrays read as [] when absent."""

    def __init__(self, fields: dict[str, DznValue]) -> None:
        self.fields = fields

    def __contains__(self, key: str) -> bool:
        return key in self.fields

    def raw(self, key: str) -> DznValue:
        if key not in self.fields:
            raise DznError(f"missing field {key}")
        return self.fields[key]

    def integer(self, key: str, default: int | None = None) -> int:
        value = self.raw(key) if default is None or key in self.fields else default
        if isinstance(value, bool) or not isinstance(value, int):
            raise DznError(f"{key}: expected an integer")
        return value

    def array(self, key: str) -> list[DznValue]:
        value = self.fields.get(key, [])
        if not isinstance(value, list):
            raise DznError(f"{key}: expected an array")
        return value

    def ints(self, key: str) -> list[int]:
        values = self.array(key)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise DznError(f"{key}: expected an array of integers")
        return [v for v in values if isinstance(v, int)]

    def sets(self, key: str) -> list[frozenset[int]]:
        values = self.array(key)
        if not all(isinstance(v, frozenset) for v in values):
            raise DznError(f"{key}: expected an array of sets")
        return [v for v in values if isinstance(v, frozenset)]

    def rows(self, key: str) -> list[list[int]]:
        rows = []
        for row in self.array(key):
            if not isinstance(row, list) or not all(isinstance(v, int) for v in row):
                raise DznError(f"{key}: expected rows of integers")
            rows.append([v for v in row if isinstance(v, int)])
        return rows

    def strings(self, key: str) -> list[str]:
        return [str(v) for v in self.array(key)]


# ---------------------------------------------------------------- dzn -> Instance


def read_dzn(path: str | Path, name: str | None = None) -> Instance:
    """Read a JAIR .dzn file (plus any `% salon:` extras) into a 0-based Instance."""
    path = Path(path)
    fields = parse_dzn(path.read_text())
    return instance_from_fields(fields, name or path.name.removesuffix(".dzn"))


def instance_from_fields(raw_fields: dict[str, DznValue], name: str) -> Instance:
    fields = _Fields(raw_fields)
    n_persons = fields.integer("nBusiness")
    companies = fields.ints("salon_company")
    participant_company = tuple(c - 1 for c in companies) if companies else tuple(range(n_persons))
    if len(participant_company) != n_persons:
        raise DznError("salon_company: one entry per business expected")
    slots = _read_slots(fields)

    forbidden: dict[int, frozenset[int]] = {}
    for person, slot_set in enumerate(fields.sets("forbidden")):
        zero_based = frozenset(s - 1 for s in slot_set if s != 0)  # 0 is a placeholder
        if zero_based:
            forbidden[person] = zero_based

    precedences = [
        (before - 1, after)
        for after, befores in enumerate(fields.sets("precedences"))
        for before in sorted(befores)
    ]
    return Instance(
        name=str(raw_fields.get("salon_name", name)),
        participant_company=participant_company,
        slots=slots,
        tables=_read_tables(fields),
        meetings=_read_meetings(fields, participant_company, len(slots)),
        forbidden=forbidden,
        max_meetings=_read_quota(fields, "salon_max_meetings"),
        min_meetings=_read_quota(fields, "salon_min_meetings"),
        company_max_meetings=_read_quota(fields, "salon_company_max_meetings"),
        precedences=tuple(precedences),
        mode=Mode(str(raw_fields.get("salon_mode", Mode.FROM_SCRATCH.value))),
        break_fairness=_read_fairness(fields),
    )


def _read_fairness(fields: _Fields) -> int | None:
    """JAIR files hold no cap: the published results we compare with are at d = 2. Salon's own
    files write NO_LIMIT for an instance without a cap."""
    cap = fields.integer("salon_break_fairness", default=2)
    return None if cap == NO_LIMIT else cap


def _read_slots(fields: _Fields) -> tuple[Slot, ...]:
    n_slots = fields.integer("nTotalSlots")
    n_morning = fields.integer("nMorningSlots")
    sessions = fields.ints("salon_slot_sessions") or [0 if s < n_morning else 1 for s in range(n_slots)]
    days = fields.ints("salon_slot_days") or [0] * n_slots
    labels = fields.strings("salon_slot_labels") or [""] * n_slots
    return tuple(Slot(s, day=days[s], session=sessions[s], label=labels[s]) for s in range(n_slots))


def _read_tables(fields: _Fields) -> tuple[Table, ...]:
    n_tables = fields.integer("nTables")
    capacity = fields.ints("salon_table_capacity") or [2] * n_tables
    owner = fields.ints("salon_table_company") or [0] * n_tables  # 0 = shared, else 1-based company
    closed = fields.sets("salon_table_unavailable") or [frozenset[int]()] * n_tables
    return tuple(
        Table(
            index=t,
            capacity=capacity[t],
            dedicated_company=owner[t] - 1 if owner[t] else None,
            unavailable_slots=frozenset(s - 1 for s in closed[t]),
        )
        for t in range(n_tables)
    )


def _read_meetings(fields: _Fields, participant_company: Sequence[int], n_slots: int) -> tuple[Meeting, ...]:
    n_meetings = fields.integer("nMeetings")
    requested = fields.rows("requested")
    if len(requested) != n_meetings:
        raise DznError(f"requested has {len(requested)} rows, nMeetings = {n_meetings}")
    fixed = fields.ints("fixed") or [0] * n_meetings
    participants = fields.rows("salon_participants")
    companies = fields.rows("salon_meeting_companies")
    weights = fields.ints("salon_weights") or [1] * n_meetings
    required = fields.ints("salon_required") or [0] * n_meetings
    any_session = fields.ints("salon_meeting_any_session")
    session_sets = fields.sets("salon_meeting_sessions")
    existing = {m - 1: Placement(m - 1, s - 1, t - 1) for m, s, t in fields.rows("salon_existing")}

    meetings = []
    for m, (first, second, code) in enumerate(requested):
        people = tuple(p - 1 for p in participants[m]) if participants else (first - 1, second - 1)
        if companies:
            pair = (companies[m][0] - 1, companies[m][1] - 1)
        else:
            pair = (participant_company[first - 1], participant_company[second - 1])
        if session_sets:
            sessions = None if any_session[m] else session_sets[m]
        elif code in SESSION_CODES:
            sessions = SESSION_CODES[code]
        else:
            raise DznError(f"requested row {m + 1}: unknown session code {code}")
        if not 0 <= fixed[m] <= n_slots:
            raise DznError(f"fixed[{m + 1}] = {fixed[m]} is out of range")
        meetings.append(
            Meeting(
                index=m,
                companies=pair,
                participants=people,
                weight=weights[m],
                sessions=sessions,
                required=bool(required[m]),
                fixed_slot=fixed[m] - 1 if fixed[m] else None,
                existing=existing.get(m),
            )
        )
    return tuple(meetings)


def _read_quota(fields: _Fields, key: str) -> dict[int, int]:
    return {i: quota for i, quota in enumerate(fields.ints(key)) if quota != NO_LIMIT}


# ---------------------------------------------------------------- Instance -> dzn


def _set_text(values: Iterable[int]) -> str:
    return "{" + ",".join(str(v) for v in sorted(values)) + "}"


def _array_text(items: Iterable[str]) -> str:
    return "[" + ",".join(items) + "]"


def _matrix_text(rows: Iterable[Sequence[int]]) -> str:
    body = "".join("|" + ", ".join(str(v) for v in row) + ",\n" for row in rows)
    return "[" + body + "|]" if body else "[||]"


def _session_code(sessions: frozenset[int] | None) -> int:
    for code, allowed in SESSION_CODES.items():
        if allowed == sessions:
            return code
    return 3  # not expressible in JAIR terms: the salon extras carry the exact set


def _representatives(instance: Instance, meeting: Meeting) -> tuple[int, int]:
    """One person per side for the JAIR `requested` row (the extras list every participant)."""

    def side(company: int, taken: int | None) -> int | None:
        for person in meeting.participants:
            if instance.participant_company[person] == company and person != taken:
                return person
        return None

    first = side(meeting.companies[0], None)
    if first is None:
        first = meeting.participants[0]
    second = side(meeting.companies[1], first)
    if second is None:
        second = next((p for p in meeting.participants if p != first), first)
    return first, second


def dzn_text(instance: Instance) -> str:
    """The instance in JAIR .dzn syntax, with `% salon:` extras for everything JAIR lacks."""
    for position, meeting in enumerate(instance.meetings):
        if meeting.index != position:
            raise DznError("meetings must be indexed 0..n-1 in order")
    n_persons = instance.n_participants
    meetings_of: list[list[int]] = [[] for _ in range(n_persons)]
    for meeting in instance.meetings:
        for person in meeting.participants:
            meetings_of[person].append(meeting.index)

    requested = [
        (*(p + 1 for p in _representatives(instance, meeting)), _session_code(meeting.sessions))
        for meeting in instance.meetings
    ]

    before_sets: list[set[int]] = [set() for _ in instance.meetings]
    for before, after in instance.precedences:
        before_sets[after].add(before + 1)

    lines = [
        f"nBusiness = {n_persons};",
        f"nMeetings = {len(instance.meetings)};",
        f"nTables = {len(instance.tables)};",
        f"nTotalSlots = {len(instance.slots)};",
        f"nMorningSlots = {sum(1 for s in instance.slots if s.session == 0)};",
        "",
        f"requested = {_matrix_text(requested)};",
        "",
        "meetingsxBusiness = "
        + _array_text(_set_text([1] + [m + 2 for m in ms]) for ms in meetings_of)
        + ";",
        f"nMeetingsBusiness = {_array_text(str(len(ms)) for ms in meetings_of)};",
        "forbidden = "
        + _array_text(
            _set_text(s + 1 for s in instance.forbidden.get(p, frozenset())) for p in range(n_persons)
        )
        + ";",
        "fixed = "
        + _array_text(str(0 if m.fixed_slot is None else m.fixed_slot + 1) for m in instance.meetings)
        + ";",
        f"precedences = {_array_text(_set_text(b) for b in before_sets)};",
        "",
    ]
    lines.extend(EXTRA_PREFIX + " " + line for line in _extra_lines(instance))
    return "\n".join(lines) + "\n"


def _extra_lines(instance: Instance) -> list[str]:
    meetings = instance.meetings

    def quota(values: dict[int, int], size: int) -> str:
        return _array_text(str(values.get(i, NO_LIMIT)) for i in range(size))

    n_companies = max(instance.participant_company, default=-1) + 1
    existing = [(m.index + 1, m.existing.slot + 1, m.existing.table + 1) for m in meetings if m.existing]
    lines = [
        f"salon_name = {json.dumps(instance.name)};",
        f"salon_mode = {json.dumps(instance.mode.value)};",
        f"salon_break_fairness = {NO_LIMIT if instance.break_fairness is None else instance.break_fairness};",
        f"salon_company = {_array_text(str(c + 1) for c in instance.participant_company)};",
        "salon_participants = "
        + _array_text(_array_text(str(p + 1) for p in m.participants) for m in meetings)
        + ";",
        "salon_meeting_companies = "
        + _matrix_text((m.companies[0] + 1, m.companies[1] + 1) for m in meetings).replace("\n", " ")
        + ";",
        f"salon_weights = {_array_text(str(m.weight) for m in meetings)};",
        f"salon_required = {_array_text(str(int(m.required)) for m in meetings)};",
        f"salon_meeting_any_session = {_array_text(str(int(m.sessions is None)) for m in meetings)};",
        "salon_meeting_sessions = " + _array_text(_set_text(m.sessions or ()) for m in meetings) + ";",
        f"salon_slot_days = {_array_text(str(s.day) for s in instance.slots)};",
        f"salon_slot_sessions = {_array_text(str(s.session) for s in instance.slots)};",
        f"salon_table_capacity = {_array_text(str(t.capacity) for t in instance.tables)};",
        "salon_table_company = "
        + _array_text(
            str(0 if t.dedicated_company is None else t.dedicated_company + 1) for t in instance.tables
        )
        + ";",
        "salon_table_unavailable = "
        + _array_text(_set_text(s + 1 for s in t.unavailable_slots) for t in instance.tables)
        + ";",
        f"salon_max_meetings = {quota(instance.max_meetings, instance.n_participants)};",
        f"salon_min_meetings = {quota(instance.min_meetings, instance.n_participants)};",
        f"salon_company_max_meetings = {quota(instance.company_max_meetings, n_companies)};",
        f"salon_existing = {_matrix_text(existing).replace(chr(10), ' ')};",
    ]
    if any(s.label for s in instance.slots):
        lines.append(f"salon_slot_labels = {_array_text(json.dumps(s.label) for s in instance.slots)};")
    return lines


def write_dzn(instance: Instance, path: str | Path) -> None:
    Path(path).write_text(dzn_text(instance))
