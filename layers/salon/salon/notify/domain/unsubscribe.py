"""Signed one-click unsubscribe tokens (RFC 8058 links): the mailing message's key and a signature under
the tenant's key, short enough for a path id (64 characters). Pure: the key is given."""

from __future__ import annotations

import hashlib
import hmac
import re

_TOKEN = re.compile(r"^([0-9a-f]{40})-([0-9a-f]{20})$")


class BadToken(ValueError):
    pass


def _signature(message_key: str, key: bytes) -> str:
    return hmac.new(key, message_key.encode(), hashlib.sha256).hexdigest()[:20]


def sign(message_key: str, key: bytes) -> str:
    return f"{message_key}-{_signature(message_key, key)}"


def message_key_of(token: str) -> str:
    """The message key the token names (not yet verified: its delivery names the tenant's key)."""
    found = _TOKEN.match(token)
    if found is None:
        raise BadToken("not an unsubscribe token")
    return found.group(1)


def verify(token: str, key: bytes) -> str:
    message_key = message_key_of(token)
    if not hmac.compare_digest(token, sign(message_key, key)):
        raise BadToken("bad signature")
    return message_key
