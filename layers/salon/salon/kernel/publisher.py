"""EventBridge publisher. Details carry ids only, never names, e-mails or phones."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from salon.kernel import aws

SOURCE = "salon.register"
_FORBIDDEN = ("email", "first_name", "last_name", "phone", "name", "company_name")


class Publisher(Protocol):
    def publish(self, detail_type: str, detail: Mapping[str, Any]) -> None: ...


class EventBridgePublisher:
    def __init__(self, bus_name: str) -> None:
        self.bus_name = bus_name

    def publish(self, detail_type: str, detail: Mapping[str, Any]) -> None:
        leaked = [k for k in detail if k in _FORBIDDEN]
        if leaked:
            raise ValueError(f"personal data in an event detail: {leaked}")
        response = aws.events().put_events(
            Entries=[
                {
                    "Source": SOURCE,
                    "DetailType": detail_type,
                    "Detail": json.dumps(dict(detail), separators=(",", ":")),
                    "EventBusName": self.bus_name,
                }
            ]
        )
        if response.get("FailedEntryCount"):
            raise RuntimeError(f"EventBridge refused {detail_type}")
