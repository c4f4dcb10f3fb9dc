"""The demo's notifications section: how many e-mails and SMS of each kind the run produced (captured
in the local outbox) and the path of one sample of each."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from salon.kernel import keys
from salon.kernel.dynamo import Table, Update
from salon.kernel.values import iso

from localcloud.api_client import ApiClient
from localcloud.outbox import Captured
from localcloud.requalify import run_pass


class Outbox(Protocol):
    def captured(self, since: float = 0.0) -> list[Captured]: ...


SETTLE_SECONDS = 3.0  # the outbox must stop growing this long: the notify queue is drained
SETTLE_TIMEOUT_S = 90.0
REPORT_WAIT_S = 20.0  # the report does not wait longer for the queue: the rest is sent meanwhile


def settle(cloud: Outbox, since: float, timeout_s: float = SETTLE_TIMEOUT_S) -> tuple[list[Captured], bool]:
    """What the run sent once the asynchronous notify consumer has caught up, or when time is up;
    and whether it had caught up."""
    deadline = time.monotonic() + timeout_s
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        captured = cloud.captured(since)
        if len(captured) != seen:
            seen, quiet_since = len(captured), time.monotonic()
        elif time.monotonic() - quiet_since >= SETTLE_SECONDS:
            return captured, True
        time.sleep(0.25)
    return list(cloud.captured(since)), False


def notification_lines(captured: list[Captured], drained: bool = True) -> list[str]:
    """Counts per channel and kind, one sample path each; says so when the queue had not drained."""
    counts = Counter((c.channel, c.kind or "(no kind)") for c in captured)
    samples: dict[tuple[str, str], str] = {}
    for item in captured:
        samples.setdefault((item.channel, item.kind or "(no kind)"), str(item.path))
    emails = sum(n for (channel, _), n in counts.items() if channel == "email")
    sms = sum(n for (channel, _), n in counts.items() if channel == "sms")
    so_far = "" if drained else " so far (the notify queue was still draining)"
    lines = [f"Notifications captured in the local outbox{so_far}: {emails} e-mails, {sms} SMS"]
    for (channel, kind), count in sorted(counts.items()):
        lines.append(f"  {channel:<5} {kind:<24} {count:>5}   e.g. {samples[(channel, kind)]}")
    return lines


REQUALIFIED_COMPANIES = 5  # the companies whose contacts are made 7 months old: a few seconds
STALE_BY = timedelta(days=214)  # last verified 7 months ago: due
REQUALIFY_DELAY = timedelta(
    days=31
)  # the flag pass's clock: past the 30-day delay (RequalificationDelayDays)


def _age(table: Table, tenant_id: str, registration_id: str, participant_id: str, at: str) -> None:
    """The contact's data as if last verified at ``at`` (its index entry too)."""
    table.update(
        Update(
            {
                "PK": keys.registration_pk(tenant_id, registration_id),
                "SK": keys.participant_sk(participant_id),
            },
            "participant",
            set={
                "last_verified_at": at,
                **keys.contact_verified_keys(at, tenant_id, registration_id, participant_id),
            },
        )
    )


def run_requalification(
    cloud: Any,
    organizer: ApiClient,
    participant: ApiClient,
    tenant_id: str,
    event_id: str,
    contacts: list[tuple[str, str]],
) -> list[str]:
    """The twice-yearly re-qualification: ``contacts`` (registration and participant ids, the signed-in
    ``participant`` among them) made 7 months old, the request pass, its e-mails through the outbox and
    the notify consumer, the participant confirming (``POST /me/requalify``), the daily flag pass on a
    clock past the delay, and the organiser's ``requalification=overdue`` filter."""
    started, since = time.perf_counter(), time.time()
    now = datetime.now(UTC)
    table = Table(cloud.resources.table_name)
    for registration_id, participant_id in contacts:
        _age(table, tenant_id, registration_id, participant_id, iso(now - STALE_BY))
    asked = int(run_pass(cloud, "request", iso(now), tenant_id)["requested"])
    deadline = time.monotonic() + SETTLE_TIMEOUT_S

    def sent() -> int:
        return sum(1 for c in cloud.captured(since) if c.kind == "requalification_requested")

    while sent() < asked and time.monotonic() < deadline:
        time.sleep(0.2)
    confirmed = len(participant.post("/me/requalify")["participant_ids"])
    flagged = int(run_pass(cloud, "flag", iso(now + REQUALIFY_DELAY), tenant_id)["flagged"])
    listed = organizer.list_registrations(event_id, requalification="overdue")
    return [
        f"Contact re-qualification ({len(contacts)} contacts last verified 7 months ago; the flag pass on a "
        f"clock 31 days on), {time.perf_counter() - started:.1f} s:",
        f"  {asked} contacts asked, {sent()} e-mails sent, {confirmed} confirmed (POST /me/requalify), "
        f"{flagged} flagged overdue; the organiser's filter lists {len(listed)} companies",
    ]
