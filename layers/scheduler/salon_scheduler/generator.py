"""Seeded instances that look like real salons, at the sizes customers run.

The rules (each a guess at what real events look like, stated so results can be read against them):

- Companies are buyers (40 %) or suppliers (60 %) with 1, 2 or 3 persons (50/30/20 %).
- Requests: a person picks a company to meet. 85 % go buyer <-> supplier, the rest within one side.
  Targets follow a Zipf(1) popularity over companies, so a few exhibitors are swamped, as in real
  events. No person receives or sends more requests than there are slots. 10 % of the requests
  from a multi-person company bring a colleague (a meeting of three, which needs a 4-seat table).
- Weights: 15 % mutual priority (3), 25 % one-sided priority (2), the rest normal (1); meetings with
  a sponsor company (3 % of companies) get +2.
- Unavailability: 10 % of persons speak at a conference (2-3 consecutive slots), 20 % arrive late or
  leave early (1-4 slots), 40 % block one lunch slot; then random person-slots are added until a
  per-instance target drawn in [10 %, 20 %] of all person-slots is reached.
- 5 % of the meetings are morning-only and 5 % afternoon-only.
- Tables: ceil(1.1 * requests / slots). One per sponsor company is dedicated to it, 10 % of the rest
  seat 4, the others 2; 2 % of the tables are closed for one slot (cleaning, a demo).
- Quotas: each company buys a package of 8, 12 or 16 meetings per person and day (30/40/30 %);
  multi-person companies also get a company quota of 3/4 of their persons' total.
- 1 % of the meetings are required, at most one per person, each with a common free slot, so
  required meetings alone are always feasible.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from itertools import accumulate

from salon_scheduler.instance import Instance, Meeting, Slot, Table


@dataclass(frozen=True)
class Tier:
    name: str
    persons: int
    requests: int
    days: int = 1
    slots_per_day: int = 16


TIERS: dict[str, Tier] = {
    "S": Tier("S", 100, 400),
    "M": Tier("M", 300, 1_000),
    "L": Tier("L", 700, 2_500),
    "XL": Tier("XL", 3_000, 15_000, days=2),
}


@dataclass(frozen=True)
class _Company:
    index: int
    buyer: bool
    persons: tuple[int, ...]
    package: int
    sponsor: bool


def table_count(tier: Tier) -> int:
    """Ten per cent above the minimum that could hold every request."""
    return math.ceil(1.1 * tier.requests / (tier.days * tier.slots_per_day))


def generate(tier: Tier | str, seed: int = 0) -> Instance:
    tier = TIERS[tier] if isinstance(tier, str) else tier
    rng = random.Random(f"salon-{tier.name}-{tier.persons}-{tier.requests}-{tier.days}-{seed}")
    companies = _companies(rng, tier)
    person_company = tuple(c.index for c in companies for _ in c.persons)
    slots = _slots(tier)
    meetings = _requests(rng, tier, companies, person_company)
    forbidden = _unavailability(rng, tier, slots)
    meetings = _restrict_sessions(rng, meetings)
    meetings = _mark_required(rng, meetings, forbidden, len(slots))
    days = tier.days  # packages are bought per day
    max_meetings = {p: c.package * days for c in companies for p in c.persons}
    company_quota = {
        c.index: math.ceil(0.75 * c.package * days * len(c.persons)) for c in companies if len(c.persons) > 1
    }
    return Instance(
        name=f"gen-{tier.name}-s{seed}",
        participant_company=person_company,
        slots=slots,
        tables=_tables(rng, tier, [c.index for c in companies if c.sponsor]),
        meetings=meetings,
        forbidden=forbidden,
        max_meetings=max_meetings,
        company_max_meetings=company_quota,
        break_fairness=2,  # JAIR's d = 2, as the tiers have always been solved with
    )


def _companies(rng: random.Random, tier: Tier) -> list[_Company]:
    companies: list[_Company] = []
    person = 0
    while person < tier.persons:
        size = min(rng.choices((1, 2, 3), weights=(50, 30, 20))[0], tier.persons - person)
        companies.append(
            _Company(
                index=len(companies),
                buyer=rng.random() < 0.4,
                persons=tuple(range(person, person + size)),
                package=rng.choices((8, 12, 16), weights=(30, 40, 30))[0],
                sponsor=rng.random() < 0.03,
            )
        )
        person += size
    return companies


def _slots(tier: Tier) -> tuple[Slot, ...]:
    half = tier.slots_per_day // 2
    slots: list[Slot] = []
    for day in range(tier.days):
        for k in range(tier.slots_per_day):
            minutes = 9 * 60 + 30 * k + (60 if k >= half else 0)  # an hour for lunch
            label = f"D{day + 1} {minutes // 60:02d}:{minutes % 60:02d}"
            slots.append(Slot(index=len(slots), day=day, session=0 if k < half else 1, label=label))
    return tuple(slots)


def _requests(
    rng: random.Random, tier: Tier, companies: list[_Company], person_company: tuple[int, ...]
) -> tuple[Meeting, ...]:
    n_slots = tier.days * tier.slots_per_day
    sides = {True: [c for c in companies if c.buyer], False: [c for c in companies if not c.buyer]}
    popularity = {}
    for side, members in sides.items():
        ranks = list(range(1, len(members) + 1))
        rng.shuffle(ranks)
        popularity[side] = (members, list(accumulate(1.0 / r for r in ranks)))
    load = [0] * tier.persons
    seen: set[tuple[int, int]] = set()
    meetings: list[Meeting] = []
    attempts = 0
    while len(meetings) < tier.requests and attempts < 50 * tier.requests:
        attempts += 1
        requester = rng.randrange(tier.persons)
        own = companies[person_company[requester]]
        target_side = (not own.buyer) if rng.random() < 0.85 else own.buyer
        members, cumulative = popularity[target_side]
        if not members:
            continue
        target_company = rng.choices(members, cum_weights=cumulative)[0]
        target = rng.choice(target_company.persons)
        if target_company is own or (requester, target_company.index) in seen:
            continue
        if load[requester] >= n_slots or load[target] >= n_slots:
            continue
        seen.add((requester, target_company.index))
        participants = [requester, target]
        colleagues = [p for p in own.persons if p != requester and load[p] < n_slots]
        if colleagues and rng.random() < 0.10:
            participants.append(rng.choice(colleagues))
        for person in participants:
            load[person] += 1
        roll = rng.random()
        weight = 3 if roll < 0.15 else 2 if roll < 0.40 else 1
        if own.sponsor or target_company.sponsor:
            weight += 2
        meetings.append(
            Meeting(
                index=len(meetings),
                companies=(own.index, target_company.index),
                participants=tuple(participants),
                weight=weight,
            )
        )
    return tuple(meetings)


def _unavailability(rng: random.Random, tier: Tier, slots: tuple[Slot, ...]) -> dict[int, frozenset[int]]:
    per_day = tier.slots_per_day
    blocked: list[set[int]] = [set() for _ in range(tier.persons)]
    for person in range(tier.persons):
        day_start = rng.randrange(tier.days) * per_day
        if rng.random() < 0.10:  # a conference talk
            length = rng.randint(2, 3)
            start = day_start + rng.randrange(per_day - length + 1)
            blocked[person].update(range(start, start + length))
        if rng.random() < 0.20:  # late arrival or early departure
            length = rng.randint(1, 4)
            late = rng.random() < 0.5
            start = day_start if late else day_start + per_day - length
            blocked[person].update(range(start, start + length))
        if rng.random() < 0.40:  # lunch, on either side of the break
            blocked[person].add(day_start + per_day // 2 - rng.randint(0, 1))
    target = rng.uniform(0.10, 0.20) * tier.persons * len(slots)
    total = sum(len(b) for b in blocked)
    while total < target:
        person, slot = rng.randrange(tier.persons), rng.randrange(len(slots))
        if slot not in blocked[person]:
            blocked[person].add(slot)
            total += 1
    return {p: frozenset(b) for p, b in enumerate(blocked) if b}


def _restrict_sessions(rng: random.Random, meetings: tuple[Meeting, ...]) -> tuple[Meeting, ...]:
    restricted = []
    for meeting in meetings:
        roll = rng.random()
        sessions = frozenset({0}) if roll < 0.05 else frozenset({1}) if roll < 0.10 else None
        restricted.append(replace(meeting, sessions=sessions))
    return tuple(restricted)


def _mark_required(
    rng: random.Random, meetings: tuple[Meeting, ...], forbidden: dict[int, frozenset[int]], n_slots: int
) -> tuple[Meeting, ...]:
    chosen: set[int] = set()
    committed: set[int] = set()
    candidates = list(range(len(meetings)))
    rng.shuffle(candidates)
    for m in candidates:
        if len(chosen) >= len(meetings) // 100:
            break
        meeting = meetings[m]
        simple = len(meeting.participants) == 2 and meeting.sessions is None
        if not simple or committed.intersection(meeting.participants):
            continue
        blocked = {s for p in meeting.participants for s in forbidden.get(p, ())}
        if len(blocked) < n_slots:
            chosen.add(m)
            committed.update(meeting.participants)
    return tuple(replace(m, required=True) if m.index in chosen else m for m in meetings)


def _tables(rng: random.Random, tier: Tier, sponsors: list[int]) -> tuple[Table, ...]:
    n_slots = tier.days * tier.slots_per_day
    n_tables = table_count(tier)
    owners = sponsors[: n_tables // 10]  # never more than a tenth of the floor
    tables = []
    for index in range(n_tables):
        dedicated = owners[index] if index < len(owners) else None
        capacity = 4 if dedicated is None and rng.random() < 0.10 else 2
        closed = frozenset({rng.randrange(n_slots)}) if rng.random() < 0.02 else frozenset()
        tables.append(Table(index, capacity=capacity, dedicated_company=dedicated, unavailable_slots=closed))
    return tuple(tables)
