"""The slot-assignment core shared by every stage: x[m, t] = 1 when meeting m takes slot t."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..instance import Meeting
from .capacity import add_capacity_rows, held_tables
from .mip import Mip
from .prepare import Prepared


@dataclass
class SlotModel:
    mip: Mip
    x: dict[tuple[int, int], int] = field(default_factory=dict)  # (meeting, slot) -> variable
    slots_of: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # meeting -> (slot, var)

    def read(self, values: list[float]) -> dict[int, int]:
        """meeting -> slot of a solution vector."""
        return {m: t for (m, t), v in self.x.items() if values[v] > 0.5}

    def start_vector(self, placement: Mapping[int, int]) -> dict[int, float]:
        """Every x column set, so the solver only has to complete the continuous columns."""
        return {v: 1.0 if placement.get(m) == t else 0.0 for (m, t), v in self.x.items()}


def build_slot_model(
    prep: Prepared,
    mip: Mip,
    candidates: Iterable[int],
    must_place: frozenset[int],
    pinned: Mapping[int, int],
    costs: Mapping[int, float] | None = None,
    outside: Mapping[int, int] | None = None,
    options: Mapping[int, tuple[int, ...]] | None = None,
) -> SlotModel:
    """Variables and hard rows for the candidate meetings; pinned meetings take exactly their slot.

    `outside` meetings are placed but left out of the model (a neighbourhood's fixed remainder):
    they only use up table capacity and bound precedence partners. Quotas are skipped then, since
    the scheduled set no longer changes. `options` narrows some meetings' allowed slots."""
    instance = prep.instance
    model = SlotModel(mip)
    chosen = sorted(set(candidates))
    chosen_set = set(chosen)
    for m in chosen:
        slots = (pinned[m],) if m in pinned else (options or {}).get(m, prep.allowed[m])
        cost = 0.0 if costs is None else costs.get(m, 0.0)
        pairs: list[tuple[int, int]] = []
        for t in slots:
            v = mip.var(lower=1.0 if m in pinned else 0.0, cost=cost)
            model.x[m, t] = v
            pairs.append((t, v))
        model.slots_of[m] = pairs
        if pairs and m not in pinned:
            low = 1.0 if m in must_place else 0.0
            mip.row([v for _, v in pairs], [1.0] * len(pairs), low, 1.0)
    _person_rows(prep, model, chosen)
    held = held_tables(prep)
    by_slot: dict[int, list[tuple[Meeting, int]]] = {}
    for (m, t), v in model.x.items():
        by_slot.setdefault(t, []).append((instance.meetings[m], v))
    settled: dict[int, list[Meeting]] = {}
    for m, t in (outside or {}).items():
        settled.setdefault(t, []).append(instance.meetings[m])
    add_capacity_rows(mip, instance, by_slot, settled, held)
    _precedence_rows(prep, model, chosen_set, outside or {})
    if not outside:
        _quota_rows(prep, model, chosen)
    return model


def _person_rows(prep: Prepared, model: SlotModel, chosen: list[int]) -> None:
    chosen_set = set(chosen)
    for meetings in prep.meetings_of_person:
        per_slot: dict[int, list[int]] = {}
        for m in meetings:
            if m in chosen_set:
                for t, v in model.slots_of[m]:
                    per_slot.setdefault(t, []).append(v)
        for members in per_slot.values():
            if len(members) > 1:
                model.mip.row(members, [1.0] * len(members), -1.0, 1.0)


def _precedence_rows(prep: Prepared, model: SlotModel, chosen: set[int], outside: Mapping[int, int]) -> None:
    """When both meetings are placed, `before` takes a strictly earlier slot; for every t,
    after-at-or-before-t and before-at-or-after-t exclude each other."""
    for before, after in prep.instance.precedences:
        if before in chosen and after in outside:
            for t, v in model.slots_of[before]:
                if t >= outside[after]:
                    model.mip.upper[v] = 0.0
        elif after in chosen and before in outside:
            for t, v in model.slots_of[after]:
                if t <= outside[before]:
                    model.mip.upper[v] = 0.0
        elif before in chosen and after in chosen:
            before_pairs = model.slots_of[before]
            after_pairs = model.slots_of[after]
            for t in sorted({s for s, _ in after_pairs} | {s for s, _ in before_pairs}):
                index = [v for s, v in after_pairs if s <= t] + [v for s, v in before_pairs if s >= t]
                if len(index) > 1:
                    model.mip.row(index, [1.0] * len(index), -1.0, 1.0)


def _quota_rows(prep: Prepared, model: SlotModel, chosen: list[int]) -> None:
    instance = prep.instance
    chosen_set = set(chosen)
    for person, quota in instance.max_meetings.items():
        members = [
            v for m in prep.meetings_of_person[person] if m in chosen_set for _, v in model.slots_of[m]
        ]
        if len(prep.meetings_of_person[person]) > quota and members:
            model.mip.row(members, [1.0] * len(members), -1.0, float(quota))
    for company, quota in instance.company_max_meetings.items():
        members = [
            v for m in chosen if company in instance.meetings[m].companies for _, v in model.slots_of[m]
        ]
        if len(members) > 0:
            model.mip.row(members, [1.0] * len(members), -1.0, float(quota))
    _day_quota_rows(prep, model, chosen)


def _day_quota_rows(prep: Prepared, model: SlotModel, chosen: list[int]) -> None:
    """At most the quota of a person's (a company's) meetings on each day."""
    instance = prep.instance
    if not (instance.day_max_meetings or instance.company_day_max_meetings):
        return
    columns: dict[tuple[str, int, int], list[int]] = {}
    for m in chosen:
        meeting = instance.meetings[m]
        owners = [("p", p) for p in set(meeting.participants) if p in instance.day_max_meetings]
        owners += [("c", c) for c in set(meeting.companies) if c in instance.company_day_max_meetings]
        for t, v in model.slots_of[m]:
            for kind, who in owners:
                columns.setdefault((kind, who, instance.slots[t].day), []).append(v)
    for (kind, who, _), members in columns.items():
        quota = (instance.day_max_meetings if kind == "p" else instance.company_day_max_meetings)[who]
        if len(members) > quota:
            model.mip.row(members, [1.0] * len(members), -1.0, float(quota))
