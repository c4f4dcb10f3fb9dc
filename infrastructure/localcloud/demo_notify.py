"""The demo's notifications section: how many e-mails and SMS of each kind the run produced (captured
in the local outbox) and the path of one sample of each."""

from __future__ import annotations

import time
from collections import Counter
from typing import Protocol

from localcloud.outbox import Captured


class Outbox(Protocol):
    def captured(self, since: float = 0.0) -> list[Captured]: ...


SETTLE_SECONDS = 3.0  # the outbox must stop growing this long: the notify queue is drained
SETTLE_TIMEOUT_S = 90.0


def settle(cloud: Outbox, since: float) -> list[Captured]:
    """What the run sent, once the asynchronous notify consumer has caught up (or time is up)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        captured = cloud.captured(since)
        if len(captured) != seen:
            seen, quiet_since = len(captured), time.monotonic()
        elif time.monotonic() - quiet_since >= SETTLE_SECONDS:
            return captured
        time.sleep(0.25)
    return list(cloud.captured(since))


def notification_lines(captured: list[Captured]) -> list[str]:
    counts = Counter((c.channel, c.kind or "(no kind)") for c in captured)
    samples: dict[tuple[str, str], str] = {}
    for item in captured:
        samples.setdefault((item.channel, item.kind or "(no kind)"), str(item.path))
    emails = sum(n for (channel, _), n in counts.items() if channel == "email")
    sms = sum(n for (channel, _), n in counts.items() if channel == "sms")
    lines = [f"Notifications captured in the local outbox: {emails} e-mails, {sms} SMS"]
    for (channel, kind), count in sorted(counts.items()):
        lines.append(f"  {channel:<5} {kind:<24} {count:>5}   e.g. {samples[(channel, kind)]}")
    return lines
