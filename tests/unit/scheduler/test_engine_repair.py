"""Meetings re-placed after table assignment go where they add no break when they can."""

from salon_scheduler.engine.prepare import prepare
from salon_scheduler.engine.repair import reinsert
from salon_scheduler.instance import Instance, Meeting, Placement, Slot, Table


def test_homeless_meeting_joins_its_participants_run() -> None:
    meetings = tuple(Meeting(i, companies=(0, i + 1), participants=(0, i + 1)) for i in range(3))
    instance = Instance(
        name="repair",
        participant_company=(0, 1, 2, 3),
        slots=tuple(Slot(t) for t in range(6)),
        tables=(Table(0),),
        meetings=meetings,
    )
    placed = [Placement(0, 3, 0), Placement(1, 4, 0)]
    result, homeless = reinsert(prepare(instance), placed, [2])
    assert homeless == []
    assert Placement(2, 2, 0) in result  # slot 0 was the first free one, but would open a break


def test_a_meeting_with_another_slot_hands_its_table_over() -> None:
    """Slot 0's only shared table is taken; the sponsor's table is no use to the homeless meeting,
    whose people can only come in slot 0. The holder moves to slot 1 and the meeting is kept."""
    instance = Instance(
        name="hand-over",
        participant_company=(0, 1, 2, 3, 9),
        slots=(Slot(0), Slot(1)),
        tables=(Table(0), Table(1, dedicated_company=9)),
        meetings=(
            Meeting(0, companies=(0, 1), participants=(0, 1)),
            Meeting(1, companies=(2, 3), participants=(2, 3)),
        ),
        forbidden={2: frozenset({1}), 3: frozenset({1})},
    )
    result, homeless = reinsert(prepare(instance), [Placement(0, 0, 0)], [1])
    assert homeless == []
    assert sorted(result, key=lambda p: p.meeting) == [Placement(0, 1, 0), Placement(1, 0, 0)]
