"""The breaks lower bound on events of several days: never above the optimum found by trying every
schedule of tiny instances, and the one-run model held to it refutes or reaches it correctly."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from salon_scheduler.engine.breaks import count_breaks, fewest_breaks
from salon_scheduler.engine.breaks_stage import BreaksSearch, breaks_lower_bound
from salon_scheduler.engine.prepare import Prepared, prepare
from salon_scheduler.instance import Instance, Meeting, Slot, StageStatus, Table


@st.composite
def multi_day_instances(draw: st.DrawFn) -> Instance:
    n_persons = draw(st.integers(2, 4))
    days, per_day = draw(st.integers(2, 3)), draw(st.integers(2, 3))
    n_slots = days * per_day
    meetings = []
    for index in range(draw(st.integers(2, 5))):
        a = draw(st.integers(0, n_persons - 1))
        b = (a + draw(st.integers(1, n_persons - 1))) % n_persons
        meetings.append(Meeting(index, companies=(a, b), participants=(a, b)))
    return Instance(
        name="tiny",
        participant_company=tuple(range(n_persons)),
        slots=tuple(Slot(t, day=t // per_day) for t in range(n_slots)),
        tables=tuple(Table(i) for i in range(draw(st.integers(1, 2)))),
        meetings=tuple(meetings),
        forbidden={
            p: frozenset(draw(st.sets(st.integers(0, n_slots - 1), max_size=n_slots // 2)))
            for p in range(n_persons)
        },
    )


def every_schedule(prep: Prepared) -> list[dict[int, int]]:
    """Every slot assignment placing all meetings: no one twice in a slot, no slot over its tables."""
    meetings = prep.instance.meetings
    found: list[dict[int, int]] = []

    def extend(m: int, placement: dict[int, int]) -> None:
        if m == len(meetings):
            found.append(dict(placement))
            return
        per_slot = Counter(placement.values())
        for t in prep.allowed[m]:
            taken = any(
                placement[other] == t and set(meetings[other].participants) & set(meetings[m].participants)
                for other in placement
            )
            if not taken and per_slot[t] < len(prep.instance.tables):
                placement[m] = t
                extend(m + 1, placement)
                del placement[m]

    extend(0, {})
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multi_day_instances())
def test_multi_day_bound_never_exceeds_the_brute_force_optimum(instance: Instance) -> None:
    prep = prepare(instance)
    schedules = every_schedule(prep)
    assume(schedules)
    everyone = frozenset(m.index for m in instance.meetings)
    for person, meetings in enumerate(prep.meetings_of_person):
        own = fewest_breaks(prep, list(meetings))
        assert all(count_breaks(prep, s)[person] >= own for s in schedules)
    optimum = min(sum(count_breaks(prep, s)) for s in schedules)
    bound = breaks_lower_bound(prep, everyone)
    assert bound <= optimum
    search = BreaksSearch(prep, schedules[0], instance.soft_break_cap, 0)
    status = search.solve_one_run(10.0)
    if status == StageStatus.INFEASIBLE:
        assert optimum >= bound + 1
    elif status == StageStatus.OPTIMAL:
        assert optimum == bound == sum(count_breaks(prep, search.best))


def test_a_person_split_over_two_days_gets_a_positive_bound() -> None:
    """Three meetings of person 0, two days of three slots with the middle ones closed to them: runs
    of one slot each, two free (one a day), so one break at least, and one is reachable."""
    instance = Instance(
        name="split",
        participant_company=(0, 1, 2, 3),
        slots=tuple(Slot(t, day=t // 3) for t in range(6)),
        tables=(Table(0), Table(1)),
        meetings=tuple(Meeting(i, companies=(0, i + 1), participants=(0, i + 1)) for i in range(3)),
        forbidden={0: frozenset({1, 4})},
    )
    prep = prepare(instance)
    optimum = min(sum(count_breaks(prep, s)) for s in every_schedule(prep))
    assert breaks_lower_bound(prep, frozenset(range(3))) == optimum == 1
