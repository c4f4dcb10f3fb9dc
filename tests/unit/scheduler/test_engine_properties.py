"""Property tests: on small random instances the engine never breaks a hard constraint, never moves a
locked meeting, and never does worse than the greedy baseline on the first objective."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from salon_scheduler.engine import solve
from salon_scheduler.greedy import greedy
from salon_scheduler.instance import Instance, Meeting, Mode, Placement, Slot, Table
from salon_scheduler.validate import Violation, validate


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    n_persons = draw(st.integers(2, 7))
    company = tuple(draw(st.lists(st.integers(0, 4), min_size=n_persons, max_size=n_persons)))
    n_slots = draw(st.integers(1, 6))
    days = draw(st.integers(1, 2))
    slots = tuple(Slot(t, day=t * days // n_slots, session=int(t >= n_slots // 2)) for t in range(n_slots))
    tables = tuple(
        Table(
            i,
            capacity=draw(st.sampled_from((2, 2, 4))),
            dedicated_company=draw(st.one_of(st.none(), st.none(), st.integers(0, 4))),
            unavailable_slots=frozenset(draw(st.sets(st.integers(0, n_slots - 1), max_size=1))),
        )
        for i in range(draw(st.integers(1, 3)))
    )
    meetings: list[Meeting] = []
    for index in range(draw(st.integers(1, 9))):
        a = draw(st.integers(0, n_persons - 1))
        b = (a + draw(st.integers(1, n_persons - 1))) % n_persons
        people = (a, b)
        meetings.append(
            Meeting(
                index,
                companies=(company[a], company[b]),
                participants=people,
                weight=draw(st.integers(1, 3)),
                sessions=draw(st.one_of(st.none(), st.just(frozenset({0})), st.just(frozenset({1})))),
                required=draw(st.booleans()),
                fixed_slot=draw(st.one_of(st.none(), st.none(), st.integers(0, n_slots - 1))),
                existing=draw(
                    st.one_of(
                        st.none(),
                        st.builds(
                            Placement,
                            st.just(index),
                            st.integers(0, n_slots - 1),
                            st.integers(0, len(tables) - 1),
                        ),
                    )
                ),
            )
        )
    n = len(meetings)
    precedences = tuple(
        (x, y)
        for x, y in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2))
        if x < y
    )
    return Instance(
        name="random",
        participant_company=company,
        slots=slots,
        tables=tables,
        meetings=tuple(meetings),
        forbidden={
            p: frozenset(draw(st.sets(st.integers(0, n_slots - 1), max_size=2))) for p in range(n_persons)
        },
        max_meetings={p: draw(st.integers(1, 4)) for p in range(n_persons) if draw(st.booleans())},
        min_meetings={p: 1 for p in range(n_persons) if draw(st.booleans())},
        company_max_meetings={c: draw(st.integers(1, 4)) for c in set(company) if draw(st.booleans())},
        precedences=precedences,
        mode=draw(st.sampled_from(tuple(Mode))),
        break_fairness=draw(st.integers(0, 2)),
    )


def required_and_weight(instance: Instance, placements: tuple[Placement, ...]) -> tuple[int, int]:
    placed = [instance.meetings[p.meeting] for p in placements]
    return sum(1 for m in placed if m.required), sum(m.weight for m in placed)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_engine_is_valid_and_never_below_greedy(instance: Instance) -> None:
    schedule = solve(instance, time_limit_s=2.0, seed=1)
    report = validate(instance, schedule.placements)
    tolerated = {Violation.REQUIRED_UNPLACED, Violation.LOCKED_MOVED}
    assert [p for p in report.problems if p.kind not in tolerated] == []
    placed = {p.meeting for p in schedule.placements}
    unplaced = {u.meeting for u in schedule.unscheduled}
    assert placed.isdisjoint(unplaced)
    assert placed | unplaced == {m.index for m in instance.meetings}
    if instance.mode == Mode.LOCKED:
        for meeting in instance.meetings:
            if meeting.existing is not None and meeting.index in placed:
                assert meeting.existing in schedule.placements
    baseline = greedy(instance)
    if validate(instance, baseline.placements).count(Violation.LOCKED_MOVED) == 0:
        assert required_and_weight(instance, schedule.placements) >= required_and_weight(
            instance, baseline.placements
        )
    assert schedule.upper_bound + 1e-6 >= required_and_weight(instance, schedule.placements)[1]
