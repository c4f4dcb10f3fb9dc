"""E-mail claims are keyed by an HMAC under a per-tenant key derived from one master key."""

from __future__ import annotations

import hashlib

from salon.kernel.keyed_hash import email_digest, tenant_key

MASTER = b"m" * 64


def test_the_same_email_hashes_differently_in_each_tenant() -> None:
    assert tenant_key(MASTER, "tenant-a") != tenant_key(MASTER, "tenant-b")
    a = email_digest(tenant_key(MASTER, "tenant-a"), "ada@example.org")
    b = email_digest(tenant_key(MASTER, "tenant-b"), "ada@example.org")
    assert a != b


def test_the_hash_is_stable_and_ignores_case_and_surrounding_space() -> None:
    key = tenant_key(MASTER, "tenant-a")
    assert email_digest(key, "Ada@Example.ORG ") == email_digest(key, "ada@example.org")
    assert email_digest(key, "ada@example.org") == email_digest(
        tenant_key(MASTER, "tenant-a"), "ada@example.org"
    )
    assert email_digest(key, "straße@example.org") == email_digest(key, "STRASSE@example.org")


def test_the_hash_depends_on_the_master_key_and_is_no_plain_sha256() -> None:
    email = "ada@example.org"
    digest = email_digest(tenant_key(MASTER, "tenant-a"), email)
    assert digest != email_digest(tenant_key(b"another master key", "tenant-a"), email)
    assert digest != hashlib.sha256(email.encode()).hexdigest()
    assert digest != hashlib.sha256(f"tenant-a\x00{email}".encode()).hexdigest()
    assert len(digest) == 64 and int(digest, 16) >= 0
