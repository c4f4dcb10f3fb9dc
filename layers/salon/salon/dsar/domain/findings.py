"""A finding: what each store holds of the person, before and after acting; the outcome's verdict
(pure)."""

from __future__ import annotations

from pydantic import BaseModel

from salon.kernel.registry import Erasure

# Rules under which nothing of the person may remain once erased.
REMOVED = frozenset({Erasure.DELETE, Erasure.PSEUDONYMISE})


class StoreCount(BaseModel):
    """One target's count: ``None`` when the store cannot be searched by person (it says why)."""

    target: str
    rule: Erasure
    before: int | None = None
    after: int | None = None
    note: str = ""


class Residue(BaseModel):
    target: str
    count: int


def residue(counts: list[StoreCount]) -> list[Residue]:
    """What an erasure left where the registry says nothing may stay."""
    return [
        Residue(target=c.target, count=c.after)
        for c in counts
        if c.rule in REMOVED and c.after is not None and c.after > 0
    ]
