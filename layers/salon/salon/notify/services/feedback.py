"""What comes back: SES events (deliveries, bounces, complaints, through the configuration set's SNS
destination) update the delivery log and feed the suppression list; inbound SMS saying STOP opt the
number out of every tenant that holds it. Logs carry ids and statuses, never an address."""

from __future__ import annotations

import json
import logging
from typing import Any

from salon.kernel.person_key import person_key
from salon.notify import deps
from salon.notify.adapters.deliveries import SCOPE_ALL

logger = logging.getLogger(__name__)

STOP_WORDS = frozenset({"STOP", "STOPALL", "ARRET", "ARRÊT", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
STATUS_OF = {"Delivery": "delivered", "Bounce": "bounced", "Complaint": "complained"}


def handle(message: dict[str, Any]) -> None:
    """One SNS message: an SES event or an inbound SMS."""
    if "eventType" in message or "notificationType" in message:
        ses_event(message)
    elif "originationNumber" in message:
        inbound_sms(message)


def _tag(mail: dict[str, Any], name: str) -> str | None:
    values = (mail.get("tags") or {}).get(name) or []
    return str(values[0]) if values else None


def ses_event(message: dict[str, Any]) -> None:
    kind = str(message.get("eventType") or message.get("notificationType"))
    mail = message.get("mail") or {}
    tenant_id, pid, key = _tag(mail, "tenant_id"), _tag(mail, "participant_id"), _tag(mail, "message_key")
    if kind not in STATUS_OF or not (tenant_id and pid and key):
        return
    d = deps.get()
    now = d.clock()
    reason: str | None = None
    suppress: list[str] = []
    if kind == "Bounce":
        bounce = message.get("bounce") or {}
        reason = f"bounce:{bounce.get('bounceType', 'Undetermined')}"
        if bounce.get("bounceType") == "Permanent":
            suppress = [str(r["emailAddress"]) for r in bounce.get("bouncedRecipients", [])]
    elif kind == "Complaint":
        complaint = message.get("complaint") or {}
        reason = "complaint"
        suppress = [str(r["emailAddress"]) for r in complaint.get("complainedRecipients", [])]
    entry = d.log.mark(tenant_id, pid, key, STATUS_OF[kind], now, reason=reason)
    if entry.get("mailing_id"):
        d.mailings.count(tenant_id, str(entry["mailing_id"]), {STATUS_OF[kind]: 1})
    for address in suppress:
        d.suppressions.add(
            tenant_id, "email", person_key(tenant_id, address), SCOPE_ALL, reason or kind, now, pid
        )
    logger.info(
        "ses event",
        extra={"participant_id": pid, "message_key": key, "status": STATUS_OF[kind], "reason": reason},
    )


def inbound_sms(message: dict[str, Any]) -> None:
    words = str(message.get("messageBody", "")).strip().upper().split()
    if not words or words[0] not in STOP_WORDS:
        return
    number = str(message["originationNumber"])
    d = deps.get()
    holders = d.mobiles.holders(number)
    for holder in holders:
        key = person_key(holder.tenant_id, number)
        d.suppressions.add(holder.tenant_id, "sms", key, SCOPE_ALL, "stop", d.clock(), holder.participant_id)
    logger.info("sms opt-out", extra={"participant_ids": [h.participant_id for h in holders]})


def parse(record: dict[str, Any]) -> dict[str, Any]:
    body = json.loads(record["Sns"]["Message"])
    return body if isinstance(body, dict) else {}
