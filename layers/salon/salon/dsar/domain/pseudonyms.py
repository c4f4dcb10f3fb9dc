"""Pseudonymisation of contractual records (5 years after the relationship's end): each personal
attribute the registry names is replaced by a pseudonym derived from the tenant and the order only,
never from the value, so the order's records stay linked to one another and nothing leads back to the
person. The accounting content stays: amounts, lines, VAT, numbers, dates; in an address, the country
(it decides the VAT rules)."""

from __future__ import annotations

import hashlib
from typing import Any

KEPT_FIELDS = frozenset({"country"})


def pseudonym(tenant_id: str, order_id: str) -> str:
    """16 characters: fits every field it replaces (a VAT number, a postcode)."""
    return "psn_" + hashlib.sha256(f"{tenant_id}#{order_id}".encode()).hexdigest()[:12]


def pseudonymised(value: Any, alias: str) -> Any:
    """``value`` with every text replaced by ``alias``; a map keeps its shape and its kept fields."""
    if isinstance(value, dict):
        return {k: v if k in KEPT_FIELDS else pseudonymised(v, alias) for k, v in value.items()}
    if isinstance(value, list):
        return [alias] if value else []
    if value is None:
        return None
    return alias
