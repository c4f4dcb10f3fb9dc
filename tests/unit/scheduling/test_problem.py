"""A small grid and its approved requests -> the problem document the engine reads, and the key
that maps its numbers back to ids."""

from __future__ import annotations

from salon.scheduling.domain.grid import Grid, Period
from salon.scheduling.domain.problem import Approved, Company, Inputs, build
from salon_scheduler.document import read_problem

GRID = Grid.model_validate(
    {
        "days": [
            {
                "date": "2026-10-06",
                "opens": "09:00",
                "closes": "11:00",
                "pauses": [{"kind": "coffee", "starts": "10:00", "ends": "10:30"}],
            }
        ],
        "slot_minutes": 30,
        "tables": [
            {"count": 1, "closed": [{"starts_at": "2026-10-06T09:00", "ends_at": "2026-10-06T09:30"}]},
            {"count": 1, "prefix": "D", "dedicated_registration_id": "reg_s"},
        ],
        "quotas": {"buyer": {"max_per_participant": 2}, "seller": {"max_per_company": 5}},
        "blocks": [
            {
                "label": "Talk",
                "types": ["seller"],
                "periods": [{"starts_at": "2026-10-06T10:30", "ends_at": "2026-10-06T11:00"}],
            }
        ],
    }
)
COMPANIES = {
    "reg_b": Company("reg_b", "buyer", ("par_b1", "par_b2")),
    "reg_s": Company("reg_s", "seller", ("par_s1",)),
    "reg_x": Company("reg_x", "buyer", ()),  # no participant: its requests cannot be met
}


def inputs(**changes: object) -> Inputs:
    base: dict[str, object] = {
        "name": "evt_1",
        "time_zone": "Europe/Paris",
        "grid": GRID,
        "mode": "from_scratch",
        "requests": [
            Approved("req_1", "reg_b", "reg_s", ("par_b2",), (), 3),
            Approved("req_2", "reg_x", "reg_s", (), (), 1),
        ],
        "companies": COMPANIES,
        "unavailability": {
            "par_b2": [
                Period.model_validate({"starts_at": "2026-10-06T09:00", "ends_at": "2026-10-06T09:15"})
            ]
        },
    }
    return Inputs(**{**base, **changes})  # type: ignore[arg-type]


def test_the_document_is_what_the_engine_reads() -> None:
    problem, key = build(inputs())

    instance = read_problem(problem)

    assert len(instance.meetings) == 1
    assert problem["meetings"] == [{"companies": [0, 1], "participants": [0, 1], "weight": 3}]
    assert problem["participant_company"] == [0, 1]
    assert [s["label"] for s in problem["slots"]] == [
        "2026-10-06T09:00:00+02:00",
        "2026-10-06T09:30:00+02:00",
        "2026-10-06T10:30:00+02:00",
    ]
    assert problem["tables"] == [
        {"capacity": 2, "dedicated_company": None, "unavailable_slots": [0]},
        {"capacity": 2, "dedicated_company": 1, "unavailable_slots": []},
    ]
    assert problem["forbidden"] == {"0": [0], "1": [2]}  # own unavailability; the seller's talk
    assert problem["max_meetings"] == {"0": 2}
    assert problem["company_max_meetings"] == {"1": 5}
    assert key == {
        "participants": ["par_b2", "par_s1"],
        "companies": ["reg_b", "reg_s"],
        "requests": ["req_1"],
        "slots": [
            ["2026-10-06T09:00:00+02:00", "2026-10-06T09:30:00+02:00"],
            ["2026-10-06T09:30:00+02:00", "2026-10-06T10:00:00+02:00"],
            ["2026-10-06T10:30:00+02:00", "2026-10-06T11:00:00+02:00"],
        ],
        "tables": ["T1", "D1"],
    }


def test_the_first_participant_attends_when_none_is_chosen() -> None:
    problem, key = build(inputs(requests=[Approved("req_1", "reg_b", "reg_s", (), (), 0)], unavailability={}))

    read_problem(problem)
    assert key["participants"] == ["par_b1", "par_s1"]
    assert problem["meetings"][0]["weight"] == 1


def test_a_table_dedicated_to_a_company_without_meetings_is_closed() -> None:
    problem, _ = build(inputs(requests=[]))

    read_problem(problem)
    assert problem["meetings"] == []
    assert problem["tables"][1] == {"capacity": 2, "dedicated_company": None, "unavailable_slots": [0, 1, 2]}
