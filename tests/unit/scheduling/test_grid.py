"""The meeting grid: every rule reported with its field, slots laid out around pauses, tables
closed at slots and tables dedicated to a company."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from salon.scheduling.domain.grid import (
    MAX_SLOTS,
    Grid,
    Period,
    covered,
    grid_errors,
    session_tags,
    slots,
    tables,
)

ZONE = "Europe/Paris"


def grid(**changes: Any) -> Grid:
    base: dict[str, Any] = {
        "days": [{"date": "2026-10-06", "opens": "09:00", "closes": "12:00"}],
        "slot_minutes": 30,
        "tables": [{"count": 2}],
    }
    return Grid.model_validate({**base, **changes})


def fields(g: Grid, types: set[str] | None = None) -> list[str]:
    return [e.field for e in grid_errors(g, types or set())]


def test_a_well_formed_grid_breaks_no_rule() -> None:
    assert grid_errors(grid(quotas={"buyer": {"max_per_participant": 3}}), {"buyer"}) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"days": [{"date": "2026-10-06", "opens": "12:00", "closes": "09:00"}]}, "days[0].closes"),
        (
            {
                "days": [
                    {
                        "date": "2026-10-06",
                        "opens": "09:00",
                        "closes": "12:00",
                        "pauses": [{"starts": "11:00", "ends": "10:00"}],
                    }
                ]
            },
            "days[0].pauses[0].ends",
        ),
        (
            {
                "days": [
                    {
                        "date": "2026-10-06",
                        "opens": "09:00",
                        "closes": "12:00",
                        "pauses": [{"starts": "08:00", "ends": "09:30"}],
                    }
                ]
            },
            "days[0].pauses[0]",
        ),
        (
            {
                "days": [
                    {
                        "date": "2026-10-06",
                        "opens": "09:00",
                        "closes": "12:00",
                        "pauses": [
                            {"starts": "10:00", "ends": "10:30"},
                            {"starts": "10:15", "ends": "10:45"},
                        ],
                    }
                ]
            },
            "days[0].pauses",
        ),
        (
            {
                "days": [
                    {"date": "2026-10-07", "opens": "09:00", "closes": "12:00"},
                    {"date": "2026-10-06", "opens": "09:00", "closes": "12:00"},
                ]
            },
            "days[1].date",
        ),
        ({"tables": [{"count": 2}, {"count": 1, "first": 2}]}, "tables[1].prefix"),
        (
            {
                "tables": [
                    {"count": 1, "closed": [{"starts_at": "2026-10-06T10:00", "ends_at": "2026-10-06T09:00"}]}
                ]
            },
            "tables[0].closed[0].ends_at",
        ),
        (
            {
                "tables": [
                    {
                        "count": 1,
                        "closed": [{"starts_at": "2026-10-06T10:00", "ends_at": "2026-10-06T11:00+02:00"}],
                    }
                ]
            },
            "tables[0].closed[0]",
        ),
        ({"sessions": [{"tag": "am", "starts": "11:00", "ends": "10:00"}]}, "sessions[0].ends"),
        (
            {
                "sessions": [
                    {"tag": "am", "starts": "09:00", "ends": "10:00"},
                    {"tag": "am", "starts": "10:00", "ends": "11:00"},
                ]
            },
            "sessions[1].tag",
        ),
        (
            {
                "sessions": [
                    {"tag": "a", "starts": "09:00", "ends": "10:30"},
                    {"tag": "b", "starts": "10:00", "ends": "11:00"},
                ]
            },
            "sessions",
        ),
        ({"days": [{"date": "2026-10-06", "opens": "09:00", "closes": "09:20"}]}, "days[0]"),
        (
            {
                "days": [
                    {"date": f"2026-10-{d:02d}", "opens": "00:00", "closes": "23:55"} for d in range(1, 3)
                ],
                "slot_minutes": 5,
            },
            "slot_minutes",
        ),
        (
            {
                "blocks": [
                    {
                        "label": "Talk",
                        "periods": [{"starts_at": "2026-10-06T10:00", "ends_at": "2026-10-06T10:00"}],
                    }
                ]
            },
            "blocks[0].periods[0].ends_at",
        ),
        ({"quotas": {"seller": {"max_per_participant": 1}}}, "quotas.seller"),
        (
            {
                "blocks": [
                    {
                        "label": "Talk",
                        "types": ["seller"],
                        "periods": [{"starts_at": "2026-10-06T10:00", "ends_at": "2026-10-06T10:30"}],
                    }
                ]
            },
            "blocks[0].types[0]",
        ),
    ],
)
def test_each_rule_names_its_field(changes: dict[str, Any], field: str) -> None:
    assert field in fields(grid(**changes), {"buyer"})


def test_every_broken_rule_is_reported_at_once() -> None:
    g = grid(
        days=[{"date": "2026-10-06", "opens": "12:00", "closes": "09:00"}],
        sessions=[{"tag": "am", "starts": "11:00", "ends": "10:00"}],
        quotas={"nobody": {}},
    )

    assert set(fields(g)) >= {"days[0].closes", "sessions[0].ends", "quotas.nobody", "days[0]"}


def test_the_slot_limit_is_the_scheduler_s() -> None:
    day_slots = 12 * 60 // 5
    days = MAX_SLOTS // day_slots + 1
    assert fields(
        grid(
            days=[{"date": f"2026-10-{d + 1:02d}", "opens": "08:00", "closes": "20:00"} for d in range(days)],
            slot_minutes=5,
        )
    ) == ["slot_minutes"]


def test_pauses_are_not_slots_and_slots_resume_when_a_pause_ends() -> None:
    g = grid(
        days=[
            {
                "date": "2026-10-06",
                "opens": "09:00",
                "closes": "12:00",
                "pauses": [{"kind": "coffee", "starts": "10:15", "ends": "10:45"}],
            }
        ],
        sessions=[{"tag": "early", "starts": "09:00", "ends": "10:00"}],
    )

    laid_out = slots(g, ZONE)

    assert [s.starts_at.time() for s in laid_out] == [time(9), time(9, 30), time(10, 45), time(11, 15)]
    assert [s.index for s in laid_out] == [0, 1, 2, 3]
    assert str(laid_out[0].starts_at.tzinfo) == ZONE
    assert [session_tags(g)[s.session] for s in laid_out] == ["early", "early", "untagged", "untagged"]


def test_tables_are_labelled_and_closed_at_the_slots_their_periods_overlap() -> None:
    g = grid(
        tables=[
            {
                "count": 2,
                "prefix": "A",
                "closed": [{"starts_at": "2026-10-06T09:45", "ends_at": "2026-10-06T10:30"}],
            },
            {"count": 1, "prefix": "VIP", "capacity": 6, "dedicated_registration_id": "reg_1"},
        ]
    )
    laid_out = slots(g, ZONE)

    specs = tables(g)

    assert [(t.index, t.label, t.capacity, t.dedicated_registration_id) for t in specs] == [
        (0, "A1", 2, None),
        (1, "A2", 2, None),
        (2, "VIP1", 6, "reg_1"),
    ]
    assert covered(specs[0].closed, laid_out) == {1, 2}  # 09:30-10:00 and 10:00-10:30
    assert covered(specs[2].closed, laid_out) == set()


def test_a_period_with_an_offset_is_read_as_an_instant() -> None:
    laid_out = slots(grid(), ZONE)
    utc = Period.model_validate({"starts_at": "2026-10-06T07:00Z", "ends_at": "2026-10-06T07:30Z"})

    assert covered([utc], laid_out) == {0}  # 09:00 in Paris (UTC+2 in October)
