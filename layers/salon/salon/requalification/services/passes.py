"""The scheduled passes: asking the contacts due (1 January and 1 July, Paris time) and flagging, every
day, those who let their delay pass. Each reads an all-tenant index range, never the whole table.
Invoked with ``now`` (a simulated clock) and ``tenant_id`` (one tenant) on demand; the schedules give
neither."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from salon.kernel.domain_events import EventDetail
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.person_key import signing_key
from salon.kernel.values import iso, parse_iso
from salon.requalification import deps
from salon.requalification.domain import rules
from salon.requalification.services.link import TOKEN_PURPOSE

logger = logging.getLogger(__name__)


def _now(now: str | None) -> datetime:
    return parse_iso(now) if now else deps.get().clock()


def request_pass(now: str | None = None, tenant_id: str | None = None) -> dict[str, Any]:
    """One request (and one ``contact.requalification_requested`` event, through the outbox) per
    contact not verified for 6 months. Run again in the same half-year, it asks nobody twice."""
    moment = _now(now)
    round_ = rules.round_of(moment)
    delay = deps.get().platform.settings.requalification_delay_days
    requested = already = 0
    table = deps.get().platform.table
    for page in deps.get().requests.stale_contacts(iso(rules.stale_before(moment))):
        for entry in page:
            if tenant_id is not None and entry["tenant_id"] != tenant_id:
                continue
            # The index is eventually consistent: the item itself says whether the contact is due.
            participant = table.get(entry["PK"], entry["SK"])
            if participant is None or not rules.is_due(participant, moment):
                continue
            if _ask(participant, moment, round_, delay):
                requested += 1
            else:
                already += 1
    logger.info("requalification requested", extra={"round": round_, "requested": requested})
    return {"now": iso(moment), "round": round_, "requested": requested, "already_requested": already}


def _ask(participant: dict[str, Any], moment: datetime, round_: str, delay_days: int) -> bool:
    tenant_id, rid, pid = (
        participant["tenant_id"],
        participant["registration_id"],
        participant["participant_id"],
    )
    if not rules.may_request(deps.get().requests.get(tenant_id, rid, pid), round_):
        return False  # the transaction's condition says the same under a race
    token = rules.link_token(signing_key(TOKEN_PURPOSE, tenant_id), tenant_id, rid, pid, round_)
    item = {
        "tenant_id": tenant_id,
        "event_id": participant["event_id"],
        "registration_id": rid,
        "participant_id": pid,
        "round": round_,
        "requested_at": iso(moment),
        "due_at": iso(rules.due_at(moment, delay_days)),
        "token_hash": rules.token_hash(token),
        "created_at": iso(moment),
        **({"expires_at": participant["expires_at"]} if "expires_at" in participant else {}),
    }
    detail = EventDetail(
        tenant_id=tenant_id,
        dedupe_id=dedupe_id(tenant_id, pid, f"requalification:{round_}"),
        event_id=participant["event_id"],
        registration_id=rid,
        participant_ids=(pid,),
    )
    return deps.get().requests.request(item, [event_put(rules.REQUESTED, detail, moment)])


def flag_pass(now: str | None = None, tenant_id: str | None = None) -> dict[str, Any]:
    """Every pending request past its due date becomes overdue: the organiser sees the flag."""
    moment = _now(now)
    store = deps.get().requests
    flagged = 0
    for page in store.pending_due(iso(moment)):
        for request in page:
            if tenant_id is not None and request["tenant_id"] != tenant_id:
                continue
            if rules.is_overdue(request, moment) and store.flag(request, iso(moment)):
                flagged += 1
    logger.info("requalification flagged", extra={"flagged": flagged})
    return {"now": iso(moment), "flagged": flagged}
