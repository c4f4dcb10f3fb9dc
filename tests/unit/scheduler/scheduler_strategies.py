"""Small random scheduling instances shared by the engine's property tests."""

from dataclasses import replace

from hypothesis import strategies as st
from salon_scheduler.instance import Instance, Meeting, Mode, Placement, Slot, Table


@st.composite
def instances(draw: st.DrawFn, *, with_orderings: bool = True) -> Instance:
    """Persons, tables, sessions, quotas and required meetings; `with_orderings` adds several days,
    fixed slots, earlier placements, precedences, minimum quotas, every mode and any fairness cap."""
    n_persons = draw(st.integers(2, 7))
    company = tuple(draw(st.lists(st.integers(0, 4), min_size=n_persons, max_size=n_persons)))
    n_slots = draw(st.integers(1, 6))
    days = draw(st.integers(1, 2)) if with_orderings else 1
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
    for index in range(draw(st.integers(1, 9 if with_orderings else 10))):
        a = draw(st.integers(0, n_persons - 1))
        b = (a + draw(st.integers(1, n_persons - 1))) % n_persons
        fixed_slot, existing = None, None
        if with_orderings:
            fixed_slot = draw(st.one_of(st.none(), st.none(), st.integers(0, n_slots - 1)))
            existing = draw(
                st.one_of(
                    st.none(),
                    st.builds(
                        Placement,
                        st.just(index),
                        st.integers(0, n_slots - 1),
                        st.integers(0, len(tables) - 1),
                    ),
                )
            )
        meetings.append(
            Meeting(
                index,
                companies=(company[a], company[b]),
                participants=(a, b),
                weight=draw(st.integers(1, 3)),
                sessions=draw(st.one_of(st.none(), st.just(frozenset({0})), st.just(frozenset({1})))),
                required=draw(st.booleans()),
                fixed_slot=fixed_slot,
                existing=existing,
            )
        )
    instance = Instance(
        name="random",
        participant_company=company,
        slots=slots,
        tables=tables,
        meetings=tuple(meetings),
        forbidden={
            p: frozenset(draw(st.sets(st.integers(0, n_slots - 1), max_size=2))) for p in range(n_persons)
        },
        max_meetings={p: draw(st.integers(1, 4)) for p in range(n_persons) if draw(st.booleans())},
        company_max_meetings={c: draw(st.integers(1, 4)) for c in set(company) if draw(st.booleans())},
    )
    if not with_orderings:
        return instance
    n = len(meetings)
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2))
    return replace(
        instance,
        min_meetings={p: 1 for p in range(n_persons) if draw(st.booleans())},
        precedences=tuple((x, y) for x, y in pairs if x < y),
        mode=draw(st.sampled_from(tuple(Mode))),
        break_fairness=draw(st.none() | st.integers(0, 2)),
    )
