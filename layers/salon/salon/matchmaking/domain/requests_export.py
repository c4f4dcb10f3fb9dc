"""The staff listing of meeting requests as a spreadsheet: rows with names and local dates, written as
CSV (UTF-8 with a BOM so Excel reads the accents; ``;`` for Excel in French) or XLSX."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from salon.kernel.spreadsheets import Cell, safe_text
from salon.kernel.values import Locale
from salon.matchmaking.domain.request_commands import RequestView

HEADERS: Mapping[Locale, tuple[str, ...]] = {
    "en": (
        "Request",
        "From company",
        "From participants",
        "To company",
        "Requested participants",
        "State",
        "Priority",
        "Mutual",
        "Weight",
        "Message",
        "Refusal reason",
        "Sent at",
        "Answered at",
    ),
    "fr": (
        "Demande",
        "Société demandeuse",
        "Participants demandeurs",
        "Société demandée",
        "Participants demandés",
        "État",
        "Priorité",
        "Mutuelle",
        "Poids",
        "Message",
        "Motif du refus",
        "Envoyée le",
        "Répondue le",
    ),
}
STATES: Mapping[Locale, Mapping[str, str]] = {
    "en": {
        "sent": "sent",
        "approved": "approved",
        "refused": "refused",
        "cancelled": "cancelled",
        "expired": "expired",
    },
    "fr": {
        "sent": "envoyée",
        "approved": "acceptée",
        "refused": "refusée",
        "cancelled": "annulée",
        "expired": "expirée",
    },
}
YES_NO: Mapping[Locale, tuple[str, str]] = {"en": ("yes", "no"), "fr": ("oui", "non")}


@dataclass(frozen=True)
class Directory:
    """Names to show: company name by registration id, person's name by participant id."""

    companies: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)


def _local(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


def rows(views: Sequence[RequestView], names: Directory, time_zone: str, locale: Locale) -> list[list[Cell]]:
    """The header, then one row per request; dates in the event's time zone."""
    zone = ZoneInfo(time_zone)
    yes, no = YES_NO[locale]
    out: list[list[Cell]] = [list(HEADERS[locale])]
    for v in views:
        out.append(
            [
                v.request_id,
                safe_text(names.companies.get(v.from_registration_id, v.from_registration_id)),
                safe_text(", ".join(names.people.get(p, p) for p in v.from_participant_ids)),
                safe_text(names.companies.get(v.to_registration_id, v.to_registration_id)),
                safe_text(", ".join(names.people.get(p, p) for p in v.to_participant_ids)),
                STATES[locale][v.state],
                v.priority,
                yes if v.mutual else no,
                v.weight,
                safe_text(v.message),
                safe_text(v.refusal_reason or ""),
                _local(v.created_at, zone),
                _local(v.answered_at, zone),
            ]
        )
    return out
