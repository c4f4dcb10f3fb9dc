"""Participant accounts (Cognito), created once a registration is stored."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from salon.registration import deps
from salon.registration.adapters.identity import IdentityError
from salon.registration.adapters.registrations_repo import Bundle

logger = Logger(child=True)


def provision_accounts(tenant_id: str, bundle: Bundle) -> int:
    """Create/reuse the Cognito account of every pending participant; returns how many failed.

    Idempotent per participant: a participant leaves ``pending`` only once its account exists and is linked.
    """
    d = deps.get()
    failed = 0
    for participant in bundle.participants:
        if participant.get("account_status") != "pending":
            continue
        pid = participant["participant_id"]
        try:
            account = d.identity.ensure_participant(participant["email"], tenant_id)
        except IdentityError as exc:
            failed += 1
            logger.warning("account creation failed", extra={"participant_id": pid, "error_code": str(exc)})
            continue
        values: dict[str, Any] = {"account_status": account.status}
        if account.status == "active":
            d.registrations.link_user(tenant_id, account.sub, participant)
            values.update(user_sub=account.sub, cognito_username=account.username)
        else:
            logger.warning("e-mail already has an account in another tenant", extra={"participant_id": pid})
        d.registrations.update_participant(tenant_id, participant["registration_id"], pid, values)
        participant.update(values)
    return failed
