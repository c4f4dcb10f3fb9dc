"""Cognito usernames: one login per tenant and per side (participant or staff), never shared.

The user pool has no ``UsernameAttributes``: the e-mail is an ordinary attribute, and the username
says whose data controller the login belongs to (see docs/DATA_MODEL.md, "Cognito accounts").
A front end signs in through its tenant: the participant portal of tenant T sends ``p:T:<email>``,
the back office ``s:T:<email>``.
"""

from __future__ import annotations

MAX_LENGTH = 128  # Cognito's limit on a username, in characters
PARTICIPANT_PREFIX = "p"
STAFF_PREFIX = "s"
STAFF_ROLES = frozenset({"organizer", "staff", "dpo"})


def participant_username(tenant_id: str, email: str) -> str:
    return f"{PARTICIPANT_PREFIX}:{tenant_id}:{email.lower()}"


def staff_username(tenant_id: str, email: str) -> str:
    return f"{STAFF_PREFIX}:{tenant_id}:{email.lower()}"


def username_for(role: str, tenant_id: str, email: str) -> str:
    """The username of a login whose only group is ``role``."""
    if role in STAFF_ROLES:
        return staff_username(tenant_id, email)
    if role == "participant":
        return participant_username(tenant_id, email)
    raise ValueError(f"no login for role {role!r}")


def max_email_length(tenant_id: str) -> int:
    """The longest e-mail that still fits in a username of this tenant (both prefixes are 1 character)."""
    return MAX_LENGTH - len(participant_username(tenant_id, ""))
