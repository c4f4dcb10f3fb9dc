"""What the certificate states (pure)."""

from __future__ import annotations

from typing import Any

from salon.dsar.domain.findings import StoreCount
from salon.dsar.domain.requests import EXPORTING, FLAGGING, Kind

_DONE = {
    Kind.ACCESS: "the person's data of every store was exported to the archive",
    Kind.PORTABILITY: "the person's data of every store was exported, machine-readable",
    Kind.ERASURE: "the person's data was erased per the registry; nothing remains outside the kept items",
    Kind.RESTRICTION: "the person's processing is restricted: left out of the catalogue, suggestions, "
    "mailings and scheduling runs while the flag holds",
    Kind.OBJECTION: "the person objected: no mailings and no profile suggestions",
    Kind.RECTIFICATION: "the corrections were applied with the validation of the person's own profile",
}


def statement(kind: Kind, counts: list[StoreCount]) -> str:
    if not any(c.before for c in counts):
        return "no personal data of this person was found in any store of the tenant"
    return _DONE[kind]


def certificate(request: dict[str, Any], counts: list[StoreCount], completed_at: str) -> dict[str, Any]:
    kind = Kind(request["kind"])
    kept = [c.target for c in counts if c.after and kind is Kind.ERASURE]
    return {
        "dsar_id": request["dsar_id"],
        "tenant_id": request["tenant_id"],
        "kind": kind.value,
        "received_at": request["received_at"],
        "due_at": request["due_at"],
        "verified_by_method": (request.get("verification") or {}).get("method", ""),
        "completed_at": completed_at,
        "statement": statement(kind, counts),
        "stores": [c.model_dump(mode="json") for c in counts],
        "residue": 0,
        "kept": kept,
        "others_unchanged": True,
        "exported": kind in EXPORTING,
        "flagged": kind in FLAGGING,
    }
