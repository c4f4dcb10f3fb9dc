"""Participant logins (Cognito), opened when the organiser validates a registration."""

from __future__ import annotations

import logging
from typing import Any

from salon.kernel.values import DEFAULT_LOCALE
from salon.registration import deps, logins
from salon.registration.adapters.identity import IdentityError
from salon.registration.adapters.registrations_repo import Bundle
from salon.registration.domain.registrations import AWAITING_LOGIN

logger = logging.getLogger(__name__)


def provision_accounts(tenant_id: str, bundle: Bundle) -> int:
    """Open (or reuse) the tenant's login of every participant still without one; returns how many failed.

    Called when the organiser validates: a refused registration never gets a login. Idempotent per
    participant: one leaves ``none``/``pending`` only once its login exists and is linked.
    """
    d = deps.get()
    failed = 0
    for participant in bundle.participants:
        if participant.get("account_status") not in AWAITING_LOGIN:
            continue
        pid = participant["participant_id"]
        locale = participant.get("locale") or DEFAULT_LOCALE
        try:
            account = logins.get().ensure_participant(tenant_id, participant["email"], locale)
        except IdentityError as exc:
            failed += 1
            logger.warning("login creation failed", extra={"participant_id": pid, "error_code": str(exc)})
            values: dict[str, Any] = {"account_status": "pending"}
        else:
            d.registrations.link_user(tenant_id, account.sub, participant)
            values = {
                "account_status": "active",
                "user_sub": account.sub,
                "cognito_username": account.username,
            }
        d.registrations.update_participant(tenant_id, participant["registration_id"], pid, values)
        participant.update(values)
    return failed
