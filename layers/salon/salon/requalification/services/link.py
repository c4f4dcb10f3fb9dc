"""The confirmation link of a pending request, written again from its ids (the notify consumer's):
the token is a keyed hash of the request, so no secret travels in the event or sits in the table."""

from __future__ import annotations

from salon.kernel.person_key import signing_key
from salon.kernel.settings import get_settings
from salon.requalification import deps
from salon.requalification.domain import rules

TOKEN_PURPOSE = "requalification"


def requalification_link(tenant_id: str, registration_id: str, participant_id: str) -> tuple[str, str] | None:
    """The link's URL and the request's due date, or None when no request is pending (confirmed
    before the e-mail went, or replaced)."""
    request = deps.get().requests.get(tenant_id, registration_id, participant_id)
    if request is None or request.get("status") != rules.PENDING:
        return None
    key = signing_key(TOKEN_PURPOSE, tenant_id)
    token = rules.link_token(key, tenant_id, registration_id, participant_id, str(request["round"]))
    if rules.token_hash(token) != request.get("token_hash"):  # written for another round
        return None
    return f"{get_settings().app_url.rstrip('/')}/requalify/{token}", str(request["due_at"])
