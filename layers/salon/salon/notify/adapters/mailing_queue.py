"""A mailing's recipients queued to the notify queue, one message each, shaped as the bus delivers a
domain event (the consumer sends them at its pace, each once)."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import boto3

from salon.kernel import aws
from salon.kernel.domain_events import NOTIFY_SOURCE, EventDetail
from salon.kernel.platform import AreaDeps, Platform
from salon.kernel.values import iso
from salon.notify.domain.mailings import RECIPIENT_EVENT


@functools.cache
def _sqs(endpoint: str, region: str) -> Any:
    return boto3.client("sqs")


class RecipientQueue:
    def __init__(self, queue_url: str) -> None:
        self.queue_url = queue_url

    def enqueue(
        self,
        tenant_id: str,
        event_id: str,
        mailing_id: str,
        recipients: Sequence[tuple[str, str]],
        at: datetime,
    ) -> None:
        """One queue message per (participant, registration), as the bus would deliver a domain event
        (batches of 10); the registration travels with it, so the consumer reads the recipient directly."""
        entries: list[dict[str, str]] = []
        for pid, rid in recipients:
            detail = EventDetail(
                tenant_id=tenant_id,
                dedupe_id=f"{mailing_id}:{pid}",
                event_id=event_id,
                registration_id=rid,
                participant_ids=(pid,),
                mailing_id=mailing_id,
            )
            body = {
                "id": uuid.uuid4().hex,
                "detail-type": RECIPIENT_EVENT,
                "source": NOTIFY_SOURCE,
                "time": iso(at),
                "detail": detail.model_dump(exclude_none=True, exclude_defaults=True),
            }
            entries.append({"Id": str(len(entries)), "MessageBody": json.dumps(body)})
        client = _sqs(*aws.where())
        for start in range(0, len(entries), 10):
            batch = [{**e, "Id": str(i)} for i, e in enumerate(entries[start : start + 10])]
            failed = client.send_message_batch(QueueUrl=self.queue_url, Entries=batch).get("Failed") or []
            if failed:
                raise RuntimeError(f"{len(failed)} recipient message(s) not queued")


def _build(shared: Platform) -> RecipientQueue:
    return RecipientQueue(shared.settings.notify_queue_url)


recipient_queue = AreaDeps(_build)  # lazily built; tests may override it
