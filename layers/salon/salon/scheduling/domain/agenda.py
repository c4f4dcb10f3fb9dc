"""From a checked schedule to meetings and personal agendas: the meetings a run places, each
participant's agenda entries, the diff between two agenda versions and the reason a participant reads
for a request left out. Pure."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Lock = Literal["none", "slot", "slot_and_table"]
_NAMESPACE = uuid.UUID("0b8f6a3e-5d21-4c7a-9e44-1f2d3c4b5a69")

ReasonKind = Literal["agenda_full", "no_common_free_slot"]
REASONS: Mapping[ReasonKind, Mapping[str, str]] = {
    "agenda_full": {
        "en": "the other company's agenda was full",
        "fr": "l'agenda de l'autre société était complet",
    },
    "no_common_free_slot": {"en": "no common free slot", "fr": "aucun créneau libre commun"},
}


@dataclass(frozen=True)
class Entry:
    """A meeting as an agenda holds it: ids and times only."""

    meeting_id: str
    starts_at: str
    ends_at: str
    table: str

    def as_item(self) -> dict[str, str]:
        return {
            "meeting_id": self.meeting_id,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "table": self.table,
        }


@dataclass(frozen=True)
class Meeting:
    entry: Entry
    request_id: str | None  # None: created by hand
    registration_ids: tuple[str, str]
    participant_ids: tuple[str, ...]
    lock: Lock = "none"


def meeting_id(tenant_id: str, event_id: str, request_id: str) -> str:
    """One request's meeting keeps its id from run to run, so a later run moves it rather than
    cancelling one meeting and adding another."""
    return "mtg_" + uuid.uuid5(_NAMESPACE, f"{tenant_id}:{event_id}:{request_id}").hex


def meetings(
    problem: Mapping[str, Any],
    schedule: Mapping[str, Any],
    key: Mapping[str, Any],
) -> list[Meeting]:
    """The meetings a schedule places, with the ids the key gives back for its numbers."""
    out: list[Meeting] = []
    for placement in schedule["placements"]:
        m = problem["meetings"][placement["meeting"]]
        request_id = key["requests"][placement["meeting"]]
        mid = key["meeting_ids"][placement["meeting"]]
        starts_at, ends_at = key["slots"][placement["slot"]]
        a, b = (key["companies"][c] for c in m["companies"])
        out.append(
            Meeting(
                Entry(
                    mid,
                    starts_at,
                    ends_at,
                    key["tables"][placement["table"]],
                ),
                request_id,
                (a, b),
                tuple(key["participants"][p] for p in m["participants"]),
                key["locks"][placement["meeting"]],
            )
        )
    return out


def agendas(placed: list[Meeting]) -> dict[str, list[Entry]]:
    """participant id -> their meetings, in time order."""
    out: dict[str, list[Entry]] = {}
    for m in placed:
        for pid in m.participant_ids:
            out.setdefault(pid, []).append(m.entry)
    return {pid: sorted(entries, key=lambda e: (e.starts_at, e.meeting_id)) for pid, entries in out.items()}


def diff(before: list[Entry], after: list[Entry]) -> dict[str, list[dict[str, str]]]:
    """What changed for one participant: added, moved (from/to) and cancelled meetings."""
    old = {e.meeting_id: e for e in before}
    new = {e.meeting_id: e for e in after}
    moved = [
        {
            "meeting_id": mid,
            "from_starts_at": old[mid].starts_at,
            "from_table": old[mid].table,
            "to_starts_at": e.starts_at,
            "to_ends_at": e.ends_at,
            "to_table": e.table,
        }
        for mid, e in new.items()
        if mid in old and (old[mid].starts_at, old[mid].table) != (e.starts_at, e.table)
    ]
    return {
        "added": [e.as_item() for mid, e in new.items() if mid not in old],
        "moved": moved,
        "cancelled": [e.as_item() for mid, e in old.items() if mid not in new],
    }


def reason_kind(engine_reason: str) -> ReasonKind:
    """What a participant is told: only a missing common slot is named as such; every other cause
    (a full agenda, a quota, no table, heavier meetings) reads as the other company's full agenda, so
    nobody learns another company's unavailability."""
    return "no_common_free_slot" if engine_reason == "no_common_free_slot" else "agenda_full"


def reason_text(kind: ReasonKind, locale: str) -> str:
    texts = REASONS[kind]
    return texts.get(locale, texts["en"])
