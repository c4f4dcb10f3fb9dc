"""Indexing throughput through the real consumer path: validated registrations stored in the local
cloud's table, then `registration.validated` events handed to the SearchIndexerFunction in SQS batches
of 10 (Lambda Invoke, in-process runtime): dedupe records, consistent reads of each company, card
built, upserted into tantivy."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from salon.kernel.dynamo import Table
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.submissions_repo import SubmissionsRepository
from salon.registration.domain.events import Event, EventCreate
from salon.registration.domain.taxonomy import Taxonomy, TaxonomyInput

from localcloud.demo_catalogue import stored_records
from localcloud.demo_data import generate_companies, taxonomy_payload

COMPANIES = 300
BATCH = 10  # the indexer's SQS BatchSize


def _store(cloud: Any, tenant_id: str, companies: int) -> tuple[str, list[str]]:
    table = Table(cloud.resources.table_name)
    events, registrations = EventsRepository(table), SubmissionsRepository(table)
    now = datetime.now(UTC)
    body = EventCreate.model_validate(
        {
            "name": {"fr": "Bench"},
            "time_zone": "UTC",
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
    events.create_event(event)
    nodes = TaxonomyInput.model_validate(taxonomy_payload()).nodes
    events.put_taxonomy(tenant_id, Taxonomy(event_id=event.event_id, nodes=nodes, version=1, updated_at=now))
    ids: list[str] = []
    for company in generate_companies(count=companies, domain_label=f"idx{tenant_id[-6:]}"):
        registration, participants, profiles = stored_records(company, event.event_id)
        registration["registration_id"] = rid = f"reg_{uuid.uuid4().hex}"
        registration["created_at"] = now.isoformat()
        for person in participants:
            person["registration_id"] = rid
        registrations.create(tenant_id, registration, participants)
        for profile in profiles.values():
            registrations.put_profile(tenant_id, rid, profile)
        ids.append(rid)
    return event.event_id, ids


def _record(tenant_id: str, event_id: str, rid: str) -> dict[str, Any]:
    detail = {
        "tenant_id": tenant_id,
        "dedupe_id": uuid.uuid4().hex,
        "event_id": event_id,
        "registration_id": rid,
    }
    body = {
        "id": uuid.uuid4().hex,
        "detail-type": "registration.validated",
        "source": "salon.register",
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


def section(companies: int = COMPANIES) -> list[str]:
    from localcloud import LocalCloud

    with LocalCloud.start(gateway_port=0) as cloud:
        tenant_id = f"t-idx-{uuid.uuid4().hex[:6]}"
        event_id, ids = _store(cloud, tenant_id, companies)
        function = cloud.resources.function_name("SearchIndexerFunction")
        lambda_client = cloud.client("lambda")
        started = time.perf_counter()
        failures = 0
        for first in range(0, len(ids), BATCH):
            records = [_record(tenant_id, event_id, rid) for rid in ids[first : first + BATCH]]
            response = lambda_client.invoke(FunctionName=function, Payload=json.dumps({"Records": records}))
            failures += len(json.loads(response["Payload"].read()).get("batchItemFailures", []))
        seconds = time.perf_counter() - started
    return [
        f"## Indexing through the consumer path ({len(ids)} companies, SQS batches of {BATCH})",
        "",
        "Each message: dedupe record, the company read whole and its event's taxonomy (consistent reads),",
        "the card built and upserted (one tantivy commit per message).",
        "",
        "| cards | batches | failed | wall s | cards/s |",
        "|---:|---:|---:|---:|---:|",
        f"| {len(ids)} | {-(-len(ids) // BATCH)} | {failures} | {seconds:.2f} | {len(ids) / seconds:.0f} |",
    ]
