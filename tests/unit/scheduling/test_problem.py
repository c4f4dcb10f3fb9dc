"""A small grid and its approved requests -> the problem document the engine reads, and the key
that maps its numbers back to ids."""

from __future__ import annotations

from salon.scheduling.domain.agenda import meeting_id
from salon.scheduling.domain.grid import Grid, Period
from salon.scheduling.domain.problem import Approved, Company, Existing, Inputs, build
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
        "meeting_ids": [meeting_id("", "", "req_1")],
        "locks": ["none"],
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


def test_published_meetings_locks_company_blocks_attendance_and_day_quotas_reach_the_document() -> None:
    grid = Grid.model_validate(
        GRID.model_dump(mode="json")
        | {
            "company_blocks": [
                {"registration_id": "reg_s", "label": "Board", "periods": [_period("09:30", "10:00")]}
            ],
            "attendance": [
                {"participant_id": "par_b1", "label": "Workshop", "periods": [_period("09:00", "09:30")]}
            ],
            "quotas": {"buyer": {"max_per_participant_per_day": 1}, "seller": {"max_per_company_per_day": 3}},
        }
    )
    existing = [
        Existing(
            "mtg_1",
            "req_1",
            ("reg_b", "reg_s"),
            ("par_b2", "par_s1"),
            "2026-10-06T10:30:00+02:00",
            "D1",
            "slot_and_table",
        ),
        Existing(
            "mtg_hand",
            None,
            ("reg_b", "reg_s"),
            ("par_b1", "par_s1"),
            "2026-10-06T09:30:00+02:00",
            "T1",
            "slot",
        ),
        Existing(
            "mtg_gone",
            None,
            ("reg_b", "reg_s"),
            ("par_b1", "par_s1"),
            "2026-10-06T09:00:00+02:00",
            "T1",
            cancelled=True,
        ),
    ]

    problem, key = build(inputs(grid=grid, existing=existing, tenant_id="t", event_id="e"))

    locked, by_hand = problem["meetings"]
    assert locked["existing"] == {"slot": 2, "table": 1} and (
        locked["fixed_slot"],
        locked["fixed_table"],
    ) == (2, 1)
    assert (by_hand["weight"], by_hand["fixed_slot"]) == (1_000, 1) and "fixed_table" not in by_hand
    assert key["requests"] == ["req_1", None]
    assert key["meeting_ids"] == [meeting_id("t", "e", "req_1"), "mtg_hand"]
    assert problem["company_forbidden"] == {"1": [1]}  # the seller's board meeting
    assert problem["forbidden"]["2"] == [0]  # par_b1 attends the workshop
    assert problem["day_max_meetings"] == {"0": 1, "2": 1}  # both buyers
    assert problem["company_day_max_meetings"] == {"1": 3}
    read_problem(problem)


def test_a_request_whose_meeting_was_cancelled_by_hand_stays_out() -> None:
    gone = Existing(
        "mtg_1",
        "req_1",
        ("reg_b", "reg_s"),
        ("par_b2", "par_s1"),
        "2026-10-06T10:30:00+02:00",
        "D1",
        cancelled=True,
    )

    problem, key = build(inputs(existing=[gone]))

    assert problem["meetings"] == [] and key["requests"] == []


def _period(starts: str, ends: str) -> dict[str, str]:
    return {"starts_at": f"2026-10-06T{starts}", "ends_at": f"2026-10-06T{ends}"}
