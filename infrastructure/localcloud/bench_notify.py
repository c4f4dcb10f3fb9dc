"""A mailing to many recipients through the notify consumer: the recipients' messages (as the notify
API queues them: by participant id, each naming its registration) handed to the NotifyFunction in SQS
batches of 10 (Lambda Invoke, in-process runtime): per batch, the recipients and their suppressions
read (one batch read each) and the mailing's counters moved once; per recipient, the delivery-log
claim, the organiser's texts rendered with a signed unsubscribe link, the SES v2 call (moto) and the
log's status. Then 10 % of the messages delivered again (SQS is at least once): the outbox must show
no second e-mail to anyone.

    python -m localcloud.bench_notify --recipients 5000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from salon.kernel.dynamo import Table
from salon.notify.adapters.mailings import Mailings
from salon.notify.domain.mailings import RECIPIENT_EVENT
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.registration.domain.events import Event, EventCreate

RECIPIENTS = 5000
PER_COMPANY = 10
BATCH = 10  # the notify function's SQS BatchSize
REDELIVERED = 0.10
SEED = 15


def _store(cloud: Any, tenant_id: str, recipients: int) -> tuple[str, str, list[tuple[str, str]]]:
    table = Table(cloud.resources.table_name)
    now = datetime.now(UTC)
    body = EventCreate.model_validate(
        {
            "name": {"fr": "Rencontres", "en": "Meetings"},
            "time_zone": "Europe/Paris",
            "starts_at": now + timedelta(days=30),
            "ends_at": now + timedelta(days=31),
        }
    )
    event = Event(
        event_id=f"evt_{uuid.uuid4().hex}",
        tenant_id=tenant_id,
        created_at=now,
        updated_at=now,
        **body.model_dump(),
    )
    EventsRepository(table).create_event(event)
    registrations = SubmissionsRepository(table)
    pids: list[tuple[str, str]] = []  # (participant, registration), as the notify API queues them
    for first in range(0, recipients, PER_COMPANY):
        rid = f"reg_{uuid.uuid4().hex}"
        people = []
        for n in range(first, min(first + PER_COMPANY, recipients)):
            pid = f"par_{uuid.uuid4().hex}"
            people.append(
                {
                    "participant_id": pid,
                    "registration_id": rid,
                    "event_id": event.event_id,
                    "position": n - first,
                    "email": f"r{n}.{tenant_id}@bench.example",
                    "first_name": f"Prénom{n}",
                    "last_name": "Nom",
                    "locale": "fr" if n % 2 else "en",
                    "account_status": "active",
                }
            )
            pids.append((pid, rid))
        sheet = {
            "registration_id": rid,
            "event_id": event.event_id,
            "type": "buyer",
            "state": "validated",
            "company_name": f"Société {first}",
            "participant_ids": [p["participant_id"] for p in people],
            "created_at": now.isoformat(),
        }
        registrations.create(tenant_id, sheet, people)
    mailing_id = f"ml_{uuid.uuid4().hex}"
    texts = {
        "subject": {
            "fr": "{{ event_name }} : infos pour {{ company }}",
            "en": "{{ event_name }}: news for {{ company }}",
        },
        "body": {
            "fr": "Bonjour {{ first_name }},\n\nVotre agenda : {{ agenda_link }}",
            "en": "Hello {{ first_name }},\n\nYour agenda: {{ agenda_link }}",
        },
        "audience": {"types": [], "states": ["validated"]},
    }
    mailings = Mailings(table)
    mailings.create(
        tenant_id, {"mailing_id": mailing_id, "event_id": event.event_id, **texts}, event.ends_at, now
    )
    mailings.started(tenant_id, mailing_id, len(pids), now)
    return event.event_id, mailing_id, pids


def _record(tenant_id: str, event_id: str, mailing_id: str, pid: str, rid: str) -> dict[str, Any]:
    detail = {
        "tenant_id": tenant_id,
        "dedupe_id": f"{mailing_id}:{pid}",
        "event_id": event_id,
        "registration_id": rid,
        "participant_ids": [pid],
        "mailing_id": mailing_id,
    }
    body = {
        "id": uuid.uuid4().hex,
        "detail-type": RECIPIENT_EVENT,
        "source": "salon.notify",
        "time": datetime.now(UTC).isoformat(),
        "detail": detail,
    }
    return {
        "messageId": uuid.uuid4().hex,
        "receiptHandle": "bench",
        "body": json.dumps(body),
        "eventSource": "aws:sqs",
        "attributes": {},
        "messageAttributes": {},
    }


def _deliver(cloud: Any, records: list[dict[str, Any]]) -> int:
    lambda_client = cloud.client("lambda")
    function = cloud.resources.function_name("NotifyFunction")
    failures = 0
    for first in range(0, len(records), BATCH):
        payload = json.dumps({"Records": records[first : first + BATCH]})
        response = lambda_client.invoke(FunctionName=function, Payload=payload)
        result = json.loads(response["Payload"].read())
        if response.get("FunctionError"):  # the whole batch failed (SQS would deliver it again)
            failures += len(records[first : first + BATCH])
            continue
        failures += len(result.get("batchItemFailures", []))
    return failures


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def section(recipients: int = RECIPIENTS) -> list[str]:
    from localcloud import LocalCloud

    with LocalCloud.start(gateway_port=0) as cloud:
        tenant_id = f"t-ntf-{uuid.uuid4().hex[:6]}"
        since = time.time()
        event_id, mailing_id, pids = _store(cloud, tenant_id, recipients)
        records = [_record(tenant_id, event_id, mailing_id, pid, rid) for pid, rid in sorted(pids)]
        rss_before = _peak_rss_mb()
        started = time.perf_counter()
        failures = _deliver(cloud, records)
        seconds = time.perf_counter() - started
        again = random.Random(SEED).sample(records, int(len(records) * REDELIVERED))
        redelivered = [{**r, "messageId": uuid.uuid4().hex} for r in again]  # same body, a new delivery
        failures += _deliver(cloud, redelivered)
        rss_after = _peak_rss_mb()
        mails = Counter(c.to for c in cloud.captured(since) if c.kind == "mailing" and tenant_id in c.to)
        counts = Mailings(Table(cloud.resources.table_name)).get(tenant_id, mailing_id) or {}
    duplicates = sum(n - 1 for n in mails.values() if n > 1)
    return [
        f"## A mailing through the notify consumer ({len(pids)} recipients, SQS batches of {BATCH})",
        "",
        "Per batch: recipients and suppressions read (a BatchGetItem each), the mailing's counters moved",
        "once. Per message: the delivery log claim, texts rendered (text + HTML) with a signed unsubscribe,",
        "the SES v2 call (moto, captured as .eml), the log's status.",
        f"Then {len(redelivered)} messages ({REDELIVERED:.0%}) delivered again.",
        "",
        "| recipients | failed | wall s | messages/s | e-mails captured | duplicates | mailing `sent` "
        "| peak RSS MB (process, before -> after) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(pids)} | {failures} | {seconds:.1f} | {len(pids) / seconds:.1f} | {sum(mails.values())} "
        f"| {duplicates} | {counts.get('sent', 0)} | {rss_before:.0f} -> {rss_after:.0f} |",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud.bench_notify", description=__doc__)
    parser.add_argument("--recipients", type=int, default=RECIPIENTS)
    options = parser.parse_args(argv)
    from localcloud.demo import quiet_handler_logs

    quiet_handler_logs()
    print("\n".join(section(options.recipients)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
