"""Tokens of the links Salon e-mails (pure: no AWS): a keyed hash of what the link acts on, so the
notifier writes the link again from the ids an event carries and the table keeps only the token's
SHA-256 to find what it names (re-qualification, fresh consent)."""

from __future__ import annotations

import base64
import hashlib
import hmac


def link_token(key: bytes, *parts: str) -> str:
    """HMAC-SHA256 of the parts under ``key``: 43 URL-safe characters."""
    digest = hmac.new(key, ":".join(parts).encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def token_hash(token: str) -> str:
    """What the table keeps to find a link's subject from its token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()
