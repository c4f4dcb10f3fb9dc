"""The organiser's meeting list as views (both companies and their attendees) and as spreadsheet rows
with local days and hours, French or English headers. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from salon.kernel.spreadsheets import Cell, safe_text
from salon.kernel.values import Locale


class Attendee(BaseModel):
    participant_id: str
    first_name: str
    last_name: str


class Party(BaseModel):
    registration_id: str
    company_name: str
    attendees: list[Attendee]


class MeetingView(BaseModel):
    meeting_id: str
    status: str
    starts_at: str  # in the event's time zone
    ends_at: str
    table: str
    locked: bool
    request_id: str
    parties: list[Party]


HEADERS: dict[Locale, tuple[str, ...]] = {
    "en": (
        "Meeting",
        "Status",
        "Day",
        "Starts",
        "Ends",
        "Table",
        "Company A",
        "Attendees A",
        "Company B",
        "Attendees B",
        "Locked",
        "Request",
    ),
    "fr": (
        "Rendez-vous",
        "Statut",
        "Jour",
        "Début",
        "Fin",
        "Table",
        "Société A",
        "Participants A",
        "Société B",
        "Participants B",
        "Verrouillé",
        "Demande",
    ),
}
STATUSES: dict[Locale, dict[str, str]] = {
    "en": {"scheduled": "scheduled", "cancelled": "cancelled"},
    "fr": {"scheduled": "planifié", "cancelled": "annulé"},
}
YES_NO: dict[Locale, tuple[str, str]] = {"en": ("yes", "no"), "fr": ("oui", "non")}


def rows(views: Sequence[MeetingView], locale: Locale) -> list[list[Cell]]:
    """The header, then one row per meeting (local day and hours, both companies)."""
    yes, no = YES_NO[locale]
    out: list[list[Cell]] = [list(HEADERS[locale])]
    for v in views:
        starts, ends = datetime.fromisoformat(v.starts_at), datetime.fromisoformat(v.ends_at)
        cells: list[Cell] = [
            v.meeting_id,
            STATUSES[locale].get(v.status, v.status),
            starts.date().isoformat(),
            f"{starts:%H:%M}",
            f"{ends:%H:%M}",
            safe_text(v.table),
        ]
        for party in (v.parties + [Party(registration_id="", company_name="", attendees=[])] * 2)[:2]:
            cells += [
                safe_text(party.company_name),
                safe_text(", ".join(f"{a.first_name} {a.last_name}".strip() for a in party.attendees)),
            ]
        out.append([*cells, yes if v.locked else no, v.request_id])
    return out
