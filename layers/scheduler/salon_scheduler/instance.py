"""The scheduling problem as data: what the engine, the validator, the greedy baseline and the
benchmark readers all share. Every index is 0-based; readers of 1-based formats convert at the edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Mode(StrEnum):
    """What to do with meetings placed by an earlier run."""

    FROM_SCRATCH = "from_scratch"  # ignore them
    MOVING_ALLOWED = "moving_allowed"  # keep them where possible, move as few as possible
    LOCKED = "locked"  # they stay exactly where they are


@dataclass(frozen=True)
class Slot:
    """A time slot. Slots are numbered consecutively; two slots are adjacent when their indices
    differ by one and they fall on the same day (the lunch boundary is not special)."""

    index: int
    day: int = 0
    session: int = 0  # e.g. 0 = morning, 1 = afternoon; meetings may be restricted to sessions
    label: str = ""


@dataclass(frozen=True)
class Table:
    index: int
    capacity: int = 2  # people seated; a meeting needs capacity >= its participant count
    dedicated_company: int | None = None  # reserved for this company's meetings when set
    unavailable_slots: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Placement:
    meeting: int
    slot: int
    table: int


@dataclass(frozen=True)
class Meeting:
    """A requested meeting between two companies, attended by the chosen participants."""

    index: int
    companies: tuple[int, int]
    participants: tuple[int, ...]  # persons attending, from both companies
    weight: int = 1  # mutual priority > one-sided priority > normal; boosts for sponsored pairs
    sessions: frozenset[int] | None = None  # allowed sessions; None = any
    required: bool = False
    fixed_slot: int | None = None  # must take exactly this slot (benchmark "fixed" meetings)
    fixed_table: int | None = None  # with fixed_slot: locked to that slot and this table
    existing: Placement | None = None  # where an earlier run placed it


@dataclass(frozen=True)
class Instance:
    name: str
    participant_company: tuple[int, ...]  # person index -> company index
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    meetings: tuple[Meeting, ...]
    forbidden: dict[int, frozenset[int]] = field(default_factory=dict)  # person -> slots
    max_meetings: dict[int, int] = field(default_factory=dict)  # person -> quota
    min_meetings: dict[int, int] = field(default_factory=dict)  # person -> wished minimum
    company_max_meetings: dict[int, int] = field(default_factory=dict)  # company -> quota
    day_max_meetings: dict[int, int] = field(default_factory=dict)  # person -> quota on each day
    company_day_max_meetings: dict[int, int] = field(default_factory=dict)  # company -> quota each day
    precedences: tuple[tuple[int, int], ...] = ()  # (before, after): before ends strictly earlier
    mode: Mode = Mode.FROM_SCRATCH
    # when set, a hard constraint: every person's break count within this many of every other's
    break_fairness: int | None = None

    @property
    def soft_break_cap(self) -> int:
        """The cap the engine's break search prices: the fairness cap, or one nobody can exceed."""
        return len(self.slots) if self.break_fairness is None else self.break_fairness

    @property
    def n_participants(self) -> int:
        return len(self.participant_company)

    def meetings_of(self, person: int) -> list[int]:
        return [m.index for m in self.meetings if person in m.participants]


class StageStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE_AT_LIMIT = "feasible_at_time_limit"
    INFEASIBLE = "infeasible"
    HEURISTIC = "heuristic"  # no proof attempted or none obtained
    SKIPPED = "skipped"


@dataclass(frozen=True)
class StageReport:
    name: str  # "weight", "fairness", "breaks", "tables"
    status: StageStatus
    objective: float | None
    bound: float | None
    seconds: float

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        denominator = max(abs(self.bound), 1e-9)
        return abs(self.bound - self.objective) / denominator


class UnscheduledReason(StrEnum):
    PARTICIPANT_FULL = "participant_full"  # a participant has no free slot left
    NO_COMMON_FREE_SLOT = "no_common_free_slot"  # availabilities never coincide
    NO_TABLE = "no_table"  # common free slots exist but every table is taken
    QUOTA_REACHED = "quota_reached"  # a person or company reached the meetings it bought
    PRECEDENCE = "precedence"  # ordering constraints cannot be met
    LOWER_PRIORITY = "lower_priority"  # feasible alone, displaced by heavier meetings
    BREAKS_FAIRNESS = (
        "breaks_fairness"  # left out so that no one has more breaks than the fairness cap allows
    )


@dataclass(frozen=True)
class Unscheduled:
    meeting: int
    reason: UnscheduledReason
    detail: str = ""


@dataclass(frozen=True)
class Schedule:
    instance: str
    placements: tuple[Placement, ...]
    unscheduled: tuple[Unscheduled, ...]
    stages: tuple[StageReport, ...]
    upper_bound: float  # bound on the total weight that can be placed
    seconds: float = 0.0
