"""Request bodies shown in the OpenAPI document for the scheduling routes; a test checks each one
against its route's body model."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

GRID: Json = {
    "version": 0,
    "grid": {
        "days": [
            {
                "date": "2026-10-06",
                "opens": "09:00",
                "closes": "17:00",
                "pauses": [{"kind": "lunch", "starts": "12:30", "ends": "14:00"}],
            }
        ],
        "slot_minutes": 30,
        "tables": [{"count": 20, "capacity": 4, "prefix": "T"}],
        "sessions": [
            {"tag": "morning", "starts": "09:00", "ends": "12:30"},
            {"tag": "afternoon", "starts": "14:00", "ends": "17:00"},
        ],
        "quotas": {"buyer": {"max_per_participant": 12}},
        "blocks": [
            {
                "label": "Plenary",
                "periods": [{"starts_at": "2026-10-06T09:00", "ends_at": "2026-10-06T09:30"}],
            }
        ],
    },
}
UNAVAILABILITY: Json = {
    "event_id": "evt_2026",
    "periods": [{"starts_at": "2026-10-06T14:00", "ends_at": "2026-10-06T15:30"}],
}
RUN: Json = {"mode": "from_scratch", "time_limit_s": 60, "seed": 0}
MOVE: Json = {"slot": "2026-10-06T10:00", "table": "T3", "locked": "slot_and_table"}
CREATE_MEETING: Json = {
    "registration_ids": ["reg_buyer", "reg_supplier"],
    "participant_ids": ["par_buyer", "par_supplier"],
    "slot": "2026-10-06T15:00",
    "table": "T4",
    "locked": "slot",
}
