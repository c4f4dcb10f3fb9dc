"""Incremental bookkeeping of who is busy when, which tables are free and how much quota is left."""

from __future__ import annotations

from .prepare import Prepared, table_fits


class SlotState:
    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        instance = prep.instance
        self.busy: list[set[int]] = [set() for _ in range(prep.n_persons)]
        self.free_tables: list[set[int]] = [
            {table.index for table in instance.tables if t not in table.unavailable_slots}
            for t in range(prep.n_slots)
        ]
        self.person_count = [0] * prep.n_persons
        self.company_count: dict[int, int] = {}
        self.day_count: dict[tuple[str, int, int], int] = {}  # ("p" or "c", who, day) -> meetings
        self.daily = bool(instance.day_max_meetings or instance.company_day_max_meetings)
        self.table_of: dict[int, int] = {}

    def pick_table(self, m: int, t: int) -> int | None:
        meeting = self.prep.instance.meetings[m]
        best: tuple[int, int, int] | None = None
        for index in self.free_tables[t]:
            table = self.prep.instance.tables[index]
            if not table_fits(table, meeting, t):
                continue
            # own dedicated table first, then the smallest table that fits
            key = (0 if table.dedicated_company is not None else 1, table.capacity, index)
            if best is None or key < best:
                best = key
        return None if best is None else best[2]

    def quota_left(self, m: int) -> bool:
        instance = self.prep.instance
        meeting = instance.meetings[m]
        for person in set(meeting.participants):
            quota = instance.max_meetings.get(person)
            if quota is not None and self.person_count[person] >= quota:
                return False
        for company in set(meeting.companies):
            quota = instance.company_max_meetings.get(company)
            if quota is not None and self.company_count.get(company, 0) >= quota:
                return False
        return True

    def _day_keys(self, m: int, t: int) -> list[tuple[tuple[str, int, int], int | None]]:
        """Per-day counters the meeting adds to at slot t, with their quotas (none without quotas)."""
        instance = self.prep.instance
        if not self.daily:
            return []
        meeting, day = instance.meetings[m], instance.slots[t].day
        return [(("p", p, day), instance.day_max_meetings.get(p)) for p in set(meeting.participants)] + [
            (("c", c, day), instance.company_day_max_meetings.get(c)) for c in set(meeting.companies)
        ]

    def day_quota_left(self, m: int, t: int) -> bool:
        return all(quota is None or self.day_count.get(key, 0) < quota for key, quota in self._day_keys(m, t))

    def can_place(self, m: int, t: int) -> bool:
        meeting = self.prep.instance.meetings[m]
        if any(t in self.busy[p] for p in meeting.participants):
            return False
        return self.quota_left(m) and self.day_quota_left(m, t) and self.pick_table(m, t) is not None

    def place(self, m: int, t: int, table: int | None = None) -> None:
        meeting = self.prep.instance.meetings[m]
        chosen = table if table is not None else self.pick_table(m, t)
        if chosen is not None:
            self.free_tables[t].discard(chosen)
            self.table_of[m] = chosen
        for person in set(meeting.participants):
            self.busy[person].add(t)
            self.person_count[person] += 1
        for company in set(meeting.companies):
            self.company_count[company] = self.company_count.get(company, 0) + 1
        for key, _ in self._day_keys(m, t):
            self.day_count[key] = self.day_count.get(key, 0) + 1

    def remove(self, m: int, t: int) -> None:
        meeting = self.prep.instance.meetings[m]
        table = self.table_of.pop(m, None)
        if table is not None:
            self.free_tables[t].add(table)
        for person in set(meeting.participants):
            self.busy[person].discard(t)
            self.person_count[person] -= 1
        for company in set(meeting.companies):
            self.company_count[company] -= 1
        for key, _ in self._day_keys(m, t):
            self.day_count[key] -= 1

    def adjacency(self, m: int, t: int) -> int:
        """How many participants already have a meeting right before or after t (same day)."""
        prep = self.prep
        before = t - 1 if t > 0 and prep.next_in_day[t - 1] == t else None
        after = prep.next_in_day[t]
        score = 0
        for person in prep.instance.meetings[m].participants:
            busy = self.busy[person]
            score += (before is not None and before in busy) + (after is not None and after in busy)
        return score
