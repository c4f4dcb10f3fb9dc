"""Keyed hashes of e-mail addresses (pure: no AWS).

A plain hash of an e-mail is reversed by hashing a list of addresses; an HMAC is not without its key.
Each tenant has its own key, derived from one master key, so no secret per tenant has to be created
and a hash of one tenant says nothing about another's.
"""

from __future__ import annotations

import hashlib
import hmac


def tenant_key(master: bytes, tenant_id: str) -> bytes:
    """The tenant's key: HMAC-SHA256(master, "email-claim:" + tenant_id)."""
    return hmac.new(master, f"email-claim:{tenant_id}".encode(), hashlib.sha256).digest()


def normalised_email(email: str) -> str:
    return email.strip().casefold()


def email_digest(key: bytes, email: str) -> str:
    """HMAC-SHA256 of the case-folded e-mail under ``key``, in hex."""
    return hmac.new(key, normalised_email(email).encode(), hashlib.sha256).hexdigest()
