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
