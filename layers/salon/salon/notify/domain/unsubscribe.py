"""Signed one-click unsubscribe tokens (RFC 8058 links): who, from which tenant, through which mailing.
Pure: the key is given."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass


class BadToken(ValueError):
    pass


@dataclass(frozen=True)
class Unsubscribe:
    tenant_id: str
    participant_id: str
    mailing_id: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def payload(token: str) -> Unsubscribe:
    """What the token claims (not yet verified: the tenant names the key to verify it with)."""
    try:
        data, _ = token.split(".", 1)
        claims = json.loads(_unb64(data))
        return Unsubscribe(str(claims["t"]), str(claims["p"]), str(claims["m"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise BadToken("not an unsubscribe token") from exc


def sign(claim: Unsubscribe, key: bytes) -> str:
    data = _b64(json.dumps({"t": claim.tenant_id, "p": claim.participant_id, "m": claim.mailing_id}).encode())
    return f"{data}.{_b64(hmac.new(key, data.encode(), hashlib.sha256).digest())}"


def verify(token: str, key: bytes) -> Unsubscribe:
    claim = payload(token)
    data, _, signature = token.partition(".")
    expected = _b64(hmac.new(key, data.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature, expected):
        raise BadToken("bad signature")
    return claim
