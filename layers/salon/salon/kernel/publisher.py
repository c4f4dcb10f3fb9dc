"""EventBridge publisher (used by the outbox relay only). Details carry ids only, never names, e-mails or
phones: they are `salon.kernel.domain_events.EventDetail` models, which accept nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from salon.kernel import aws

if TYPE_CHECKING:
    from salon.kernel.domain_events import EventDetail

logger = Logger(child=True)

_PUT_EVENTS_LIMIT = 10  # entries per PutEvents call


@dataclass(frozen=True)
class OutgoingEvent:
    source: str
    detail_type: str
    detail: EventDetail
    time: datetime


class Publisher(Protocol):
    def publish(self, events: Sequence[OutgoingEvent]) -> set[int]:
        """Publish every event; return the positions of those the bus did not accept."""
        ...


class EventBridgePublisher:
    def __init__(self, bus_name: str) -> None:
        self.bus_name = bus_name

    def publish(self, events: Sequence[OutgoingEvent]) -> set[int]:
        failed: set[int] = set()
        for start in range(0, len(events), _PUT_EVENTS_LIMIT):
            chunk = events[start : start + _PUT_EVENTS_LIMIT]
            try:
                response = aws.events().put_events(Entries=[self._entry(event) for event in chunk])
            except (BotoCoreError, ClientError) as exc:
                logger.warning("PutEvents failed", extra={"entries": len(chunk), "error": type(exc).__name__})
                failed.update(range(start, start + len(chunk)))
                continue
            if response.get("FailedEntryCount"):
                for offset, entry in enumerate(response["Entries"]):
                    if entry.get("ErrorCode"):
                        failed.add(start + offset)
                        logger.warning(
                            "PutEvents refused an entry",
                            extra={"dedupe_id": chunk[offset].detail.dedupe_id, "error": entry["ErrorCode"]},
                        )
        return failed

    def _entry(self, event: OutgoingEvent) -> dict[str, Any]:
        return {
            "Source": event.source,
            "DetailType": event.detail_type,
            "Detail": event.detail.model_dump_json(exclude_none=True),
            "Time": event.time,
            "EventBusName": self.bus_name,
        }
