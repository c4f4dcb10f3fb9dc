from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from salon_scheduler.engine.capacity import SlotLoads, capacity_rows
from salon_scheduler.engine.prepare import prepare, table_fits
from salon_scheduler.instance import Instance, Meeting, Slot, Table


def _seatable(instance: Instance, slot: int, meetings: list[int]) -> bool:
    """Whether every meeting gets its own table (augmenting paths; written apart from the engine)."""
    holder: dict[int, int] = {}

    def seat(m: int, seen: set[int]) -> bool:
        for table in instance.tables:
            if table.index in seen or not table_fits(table, instance.meetings[m], slot):
                continue
            seen.add(table.index)
            if table.index not in holder or seat(holder[table.index], seen):
                holder[table.index] = m
                return True
        return False

    return all(seat(m, set()) for m in meetings)


@st.composite
def floors(draw: st.DrawFn) -> Instance:
    """One slot, a few companies of which some own tables, meetings of two or three people."""
    n_companies = draw(st.integers(3, 6))
    tables = tuple(
        Table(
            i,
            capacity=draw(st.sampled_from((2, 4))),
            dedicated_company=draw(st.none() | st.integers(0, 2)),
            unavailable_slots=frozenset({0}) if draw(st.integers(0, 9)) == 0 else frozenset(),
        )
        for i in range(draw(st.integers(1, 6)))
    )
    meetings = []
    for i in range(draw(st.integers(1, 8))):
        a, b = draw(st.lists(st.integers(0, n_companies - 1), min_size=2, max_size=2, unique=True))
        trio = draw(st.booleans())
        people = (2 * a, 2 * b, 2 * a + 1) if trio else (2 * a, 2 * b)
        meetings.append(Meeting(i, companies=(a, b), participants=people))
    return Instance(
        name="floor",
        participant_company=tuple(p // 2 for p in range(2 * n_companies)),
        slots=(Slot(0),),
        tables=tables,
        meetings=tuple(meetings),
    )


@settings(max_examples=300, deadline=None)
@given(floors())
def test_meetings_that_can_all_be_seated_satisfy_every_capacity_row(instance: Instance) -> None:
    everyone = [m.index for m in instance.meetings]
    pairs = [(m, m.index) for m in instance.meetings]
    violated = any(len(members) > limit for members, limit in capacity_rows(instance, 0, pairs))
    fits = SlotLoads(prepare(instance), {}).fits(0, [], everyone)
    assert not (fits and violated)  # the search checks the models' rows and one more per company
    if _seatable(instance, 0, everyone):
        assert fits and not violated


@settings(max_examples=300, deadline=None)
@given(floors(), st.data())
def test_settled_meetings_lower_the_limits_as_if_they_were_candidates(
    instance: Instance, data: st.DataObject
) -> None:
    meetings = instance.meetings
    settled = data.draw(st.sets(st.sampled_from([m.index for m in meetings]), max_size=len(meetings) - 1))
    together = capacity_rows(instance, 0, [(m, m.index) for m in meetings])
    candidates = [(m, m.index) for m in meetings if m.index not in settled]
    split = capacity_rows(instance, 0, candidates, [meetings[i] for i in settled])
    assert any(len(members) > limit for members, limit in together) == any(
        len(members) > limit for members, limit in split
    )


def test_a_trio_from_a_company_with_a_two_seat_table_needs_a_shared_four_seat_table() -> None:
    """The sponsor's own table seats two, so its meeting of three competes for the one shared table."""
    instance = Instance(
        name="sponsor-trio",
        participant_company=(0, 0, 1, 2, 3),
        slots=(Slot(0),),
        tables=(Table(0, capacity=2, dedicated_company=0), Table(1, capacity=4)),
        meetings=(
            Meeting(0, companies=(0, 1), participants=(0, 1, 2)),
            Meeting(1, companies=(2, 3), participants=(3, 4)),
        ),
    )
    assert not _seatable(instance, 0, [0, 1])
    loads = SlotLoads(prepare(instance), {1: 0})
    assert not loads.fits(0, [], [0])
    assert loads.fits(0, [1], [0])


def test_two_meetings_of_a_company_with_one_table_need_a_shared_one_as_well() -> None:
    instance = Instance(
        name="busy-sponsor",
        participant_company=(0, 0, 1, 2, 3, 4),
        slots=(Slot(0),),
        tables=(Table(0, dedicated_company=0), Table(1, dedicated_company=4), Table(2)),
        meetings=(
            Meeting(0, companies=(0, 1), participants=(0, 2)),
            Meeting(1, companies=(0, 2), participants=(1, 3)),
            Meeting(2, companies=(2, 3), participants=(3, 4)),
        ),
    )
    assert not _seatable(instance, 0, [0, 1, 2])
    loads = SlotLoads(prepare(instance), {0: 0, 1: 0})
    assert not loads.fits(0, [], [2])


@settings(max_examples=150, deadline=None)
@given(floors(), st.data())
def test_running_counts_after_moves_equal_counts_made_afresh(instance: Instance, data: st.DataObject) -> None:
    instance = replace(instance, slots=(Slot(0), Slot(1)))
    prep = prepare(instance)
    placement = {m.index: data.draw(st.integers(0, 1)) for m in instance.meetings}
    loads = SlotLoads(prep, placement)
    for m in data.draw(st.lists(st.sampled_from(sorted(placement)), max_size=6)):
        loads.move(m, placement[m], 1 - placement[m])
        placement[m] = 1 - placement[m]
    fresh = SlotLoads(prep, placement)
    for kept in ("seats", "shared", "own", "excess"):
        assert getattr(loads, kept) == getattr(fresh, kept)


def test_two_companies_each_one_meeting_over_their_own_table_need_two_shared_tables() -> None:
    """Each company alone would fit (own table plus the shared one); together they do not."""
    instance = Instance(
        name="two-busy-sponsors",
        participant_company=(0, 0, 1, 1, 2, 2, 3, 3),
        slots=(Slot(0),),
        tables=(Table(0, dedicated_company=0), Table(1, dedicated_company=1), Table(2)),
        meetings=(
            Meeting(0, companies=(0, 2), participants=(0, 4)),
            Meeting(1, companies=(0, 3), participants=(1, 6)),
            Meeting(2, companies=(1, 2), participants=(2, 5)),
            Meeting(3, companies=(1, 3), participants=(3, 7)),
        ),
    )
    assert not _seatable(instance, 0, [0, 1, 2, 3])
    assert _seatable(instance, 0, [0, 1, 2])
    loads = SlotLoads(prepare(instance), {0: 0, 1: 0, 2: 0})
    assert loads.overflow(0) == 0
    assert not loads.fits(0, [], [3])


def test_a_table_dedicated_to_a_company_absent_from_the_slot_seats_nobody() -> None:
    """Three meetings whose companies both own tables, one table each open, and a third company's
    table: three open tables, but only two of them can seat any of the three meetings."""
    instance = Instance(
        name="absent-sponsor",
        participant_company=(0, 0, 0, 1, 1, 1),
        slots=(Slot(0),),
        tables=(Table(0, dedicated_company=0), Table(1, dedicated_company=1), Table(2, dedicated_company=2)),
        meetings=tuple(Meeting(i, companies=(0, 1), participants=(i, 3 + i)) for i in range(3)),
    )
    assert not _seatable(instance, 0, [0, 1, 2])
    pairs = [(m, m.index) for m in instance.meetings]
    assert any(len(members) > limit for members, limit in capacity_rows(instance, 0, pairs))
    loads = SlotLoads(prepare(instance), {0: 0, 1: 0})
    assert not loads.fits(0, [], [2])
    assert loads.fits(0, [1], [2])
