"""The checks an edited or hand-made meeting passes, as pure functions: each broken rule named with
its field and status (422 for an invalid place, 409 for a clash with the schedule or a quota)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from salon.kernel.errors import Conflict, ValidationFailed
from salon.scheduling.domain.edits import (
    Booking,
    Clash,
    Situation,
    broken_by,
    clashes,
    raise_for,
    with_free_table,
)
from salon.scheduling.domain.grid import Grid, Period

PARIS = ZoneInfo("Europe/Paris")
GRID = Grid.model_validate(
    {
        "days": [
            {"date": "2026-10-06", "opens": "09:00", "closes": "11:00"},
            {"date": "2026-10-07", "opens": "09:00", "closes": "11:00"},
        ],
        "slot_minutes": 30,
        "tables": [
            {
                "count": 2,
                "capacity": 2,
                "closed": [{"starts_at": "2026-10-06T10:30", "ends_at": "2026-10-06T11:00"}],
            },
            {"count": 1, "prefix": "BIG", "capacity": 6},
            {"count": 1, "prefix": "OWN", "dedicated_registration_id": "reg_s"},
        ],
        "quotas": {"buyer": {"max_per_participant": 3, "max_per_participant_per_day": 2}},
        "blocks": [
            {
                "label": "Plenary",
                "types": ["buyer"],
                "periods": [{"starts_at": "2026-10-07T09:00", "ends_at": "2026-10-07T09:30"}],
            }
        ],
        "company_blocks": [
            {
                "registration_id": "reg_s",
                "label": "Board",
                "periods": [{"starts_at": "2026-10-06T09:30", "ends_at": "2026-10-06T10:00"}],
            }
        ],
        "attendance": [
            {
                "participant_id": "par_b",
                "label": "Workshop",
                "periods": [{"starts_at": "2026-10-07T10:30", "ends_at": "2026-10-07T11:00"}],
            }
        ],
    }
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, 5 + day, hour, minute, tzinfo=PARIS)


def meeting(
    mid: str, starts_at: datetime, table: str = "T1", people: tuple[str, ...] = ("par_b", "par_s")
) -> Booking:
    return Booking(mid, starts_at, table, ("reg_b", "reg_s"), people)


def situation(*bookings: Booking, own: dict[str, list[Period]] | None = None) -> Situation:
    return Situation(
        grid=GRID,
        time_zone="Europe/Paris",
        types={"reg_b": "buyer", "reg_s": "seller", "reg_x": "seller"},
        company_of={"par_b": "reg_b", "par_s": "reg_s", "par_x": "reg_x"},
        unavailability=own or {},
        bookings=bookings,
    )


def test_a_free_place_passes() -> None:
    assert clashes(situation(), meeting("m1", at(1, 9))) == []


@pytest.mark.parametrize(
    ("proposed", "expected"),
    [
        (meeting("m1", at(1, 9, 10)), Clash(422, "slot", "not the start of a slot of the grid")),
        (meeting("m1", at(1, 9), "Z9"), Clash(422, "table", "no such table")),
        (meeting("m1", at(1, 9), people=("par_b", "par_b2", "par_s")), Clash(422, "table", "T1 seats 2")),
        (meeting("m1", at(1, 10, 30)), Clash(422, "table", "T1 is closed at this slot")),
    ],
)
def test_an_invalid_place_is_named(proposed: Booking, expected: Clash) -> None:
    assert expected in clashes(situation(), proposed)


def test_a_reserved_table_takes_its_own_company_only() -> None:
    other = Booking("m1", at(1, 9), "OWN1", ("reg_b", "reg_x"), ("par_b", "par_x"))
    assert clashes(situation(), other) == [Clash(422, "table", "OWN1 is reserved for another company")]
    assert clashes(situation(), meeting("m1", at(1, 9), "OWN1")) == []


def test_every_kind_of_unavailability_blocks_the_slot() -> None:
    own = {"par_s": [Period(starts_at=datetime(2026, 10, 6, 9), ends_at=datetime(2026, 10, 6, 9, 30))]}

    def messages(starts_at: datetime) -> list[str]:
        return [c.message for c in clashes(situation(own=own), meeting("m1", starts_at, "BIG1"))]

    assert messages(at(1, 9)) == ["participant par_s is unavailable then (their own unavailability)"]
    assert messages(at(1, 9, 30)) == [
        "participant par_s is unavailable then (their company's unavailability)"
    ]
    assert messages(at(2, 9)) == [
        "participant par_b is unavailable then (the organiser's blocks or a conference)"
    ]
    assert messages(at(2, 10, 30)) == [
        "participant par_b is unavailable then (the organiser's blocks or a conference)"
    ]


def test_double_booking_of_a_participant_or_a_table_names_the_other_meeting() -> None:
    taken = Booking("m0", at(1, 9), "T1", ("reg_x", "reg_s"), ("par_x", "par_s"))

    found = clashes(situation(taken), meeting("m1", at(1, 9)))

    assert found == [
        Clash(409, "slot", "participant par_s is in meeting m0 then"),
        Clash(409, "table", "T1 holds meeting m0 then"),
    ]
    assert clashes(situation(taken), meeting("m0", at(1, 9))) == []  # a meeting never clashes with itself


def test_quotas_in_all_and_per_day() -> None:
    day_one = [meeting(f"m{i}", at(1, 9 + i), "BIG1") for i in range(2)]
    over_the_day = clashes(situation(*day_one), meeting("m9", at(1, 10, 30), "BIG1"))
    assert [c.message for c in over_the_day] == [
        "participant par_b would exceed its quota of 2 meetings that day"
    ]
    three = [*day_one, meeting("m2", at(2, 9, 30))]
    over_all = clashes(situation(*three), meeting("m9", at(2, 10), "BIG1"))
    assert [c.message for c in over_all] == ["participant par_b would exceed its quota of 3 meetings in all"]
    assert clashes(situation(*three), meeting("m2", at(2, 10), "BIG1")) == []  # moving one keeps the count


def test_invalid_places_answer_422_before_clashes_answer_409() -> None:
    with pytest.raises(ValidationFailed) as invalid:
        raise_for([Clash(409, "slot", "busy"), Clash(422, "table", "too small")])
    assert [e.field for e in invalid.value.errors] == ["table"]
    with pytest.raises(Conflict) as clash:
        raise_for([Clash(409, "slot", "busy")])
    assert clash.value.errors[0].message == "busy"
    raise_for([])


def test_a_grid_change_names_the_first_published_meeting_it_breaks() -> None:
    kept = meeting("m1", at(1, 9))
    ends = {"m1": at(1, 9, 30)}
    assert broken_by(situation(kept), ends) is None
    shorter = Situation(**{**situation(kept).__dict__, "grid": GRID.model_copy(update={"slot_minutes": 20})})
    assert broken_by(shorter, ends) == (
        "m1",
        Clash(409, "slot_minutes", "its slot would end at another time"),
    )
    later = GRID.model_copy(
        update={"days": [GRID.days[0].model_copy(update={"opens": datetime(2026, 1, 1, 10).time()})]}
    )
    assert broken_by(Situation(**{**situation(kept).__dict__, "grid": later}), ends) == (
        "m1",
        Clash(422, "slot", "not the start of a slot of the grid"),
    )


def test_a_move_to_a_slot_keeps_its_table_when_free_else_takes_the_first_that_seats_it() -> None:
    moved = meeting("m1", at(1, 9))
    assert with_free_table(situation(), moved) == moved
    t1_taken = Booking("m0", at(1, 9), "T1", ("reg_x", "reg_y"), ("par_x", "par_y"))
    assert with_free_table(situation(t1_taken), moved).table == "T2"
    crowd = meeting("m1", at(1, 9), people=("par_b", "par_b2", "par_s"))  # T1 and T2 seat two
    assert with_free_table(situation(), crowd).table == "BIG1"
    every_table = [
        Booking(f"other{n}", at(1, 9), label, ("reg_x", "reg_y"), (f"par_x{n}", f"par_y{n}"))
        for n, label in enumerate(["T1", "T2", "BIG1", "OWN1"])
    ]
    assert with_free_table(situation(*every_table), moved) == moved  # its clashes then say why
