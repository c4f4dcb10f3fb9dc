"""Event source mappings run the way Lambda runs them, in place of moto 5.2.5's synchronous delivery.

moto hands DynamoDB-stream and SQS records to a mapped function inside the write itself
(``StreamShard.add``, ``Queue.add_message``), and of a mapping's configuration keeps only the batch size:

- ``FilterCriteria`` is ignored: every record reaches the function;
- ``FunctionResponseTypes: [ReportBatchItemFailures]`` is ignored: a partial-failure response counts as a
  success (SQS: every message deleted; stream: the batch dropped);
- a failed stream batch is never retried: ``MaximumRetryAttempts``, ``BisectBatchOnFunctionError`` and
  ``DestinationConfig.OnFailure`` are ignored;
- SQS messages go one per invocation, and a failed one is received again only when another message
  arrives, so it reaches the dead-letter queue only by chance.

`install()` wraps ``LambdaBackend.create_event_source_mapping`` (the CloudFormation resource and the API
both end there): each new stream or queue mapping is detached from moto's synchronous path and served
by a `StreamPoller` or `QueuePoller` thread, which does what Lambda's pollers do: reads the source,
drops what the filters reject, invokes the function (through moto's Invoke, hence the in-process
runtime) with a batch, honours partial batch failures, retries a stream batch from its first failed
record with exponential back-off (bisecting a batch the function failed), and after
``MaximumRetryAttempts`` sends the batch's description to the ``OnFailure`` queue. SQS retries come
from the queue itself: a failed message is received again after its visibility timeout, and moto
moves it to the dead-letter queue once ``maxReceiveCount`` is reached. Delivery is therefore
asynchronous, as in AWS: tests wait for its effects.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

logger = logging.getLogger(__name__)

IDLE_SECONDS = 0.05
RETRY_BASE_SECONDS = 0.1
RETRY_CAP_SECONDS = 2.0
_ORIGINAL_CREATE: list[Callable[..., Any]] = []
_POLLERS: list[Poller] = []
_POLLERS_LOCK = threading.Lock()
_STOP = threading.Event()


def matches(esm: Any, record: dict[str, Any]) -> bool:
    """Whether a record passes the mapping's FilterCriteria (any filter; none means all pass)."""
    from moto.events.models import EventPattern

    filters = (esm.filter_criteria or {}).get("Filters") or []
    event: Any = record
    return not filters or any(EventPattern.load(f["Pattern"]).matches_event(event) for f in filters)


def failed_ids(esm: Any, errored: bool, response: Any, ids: list[str]) -> list[str]:
    """The ids to retry after an invocation: all of them on a function error; with
    ReportBatchItemFailures, those reported (all of them if the report names an unknown id)."""
    if errored:
        return ids
    if "ReportBatchItemFailures" not in (esm.function_response_types or []):
        return []
    failures = response.get("batchItemFailures") if isinstance(response, dict) else None
    if not failures:
        return []
    reported = {f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures}
    if not reported <= set(ids):
        return ids
    return [i for i in ids if i in reported]


class Poller(threading.Thread):
    """Serves one event source mapping until it is deleted or the pollers are stopped."""

    def __init__(self, backend: Any, esm: Any, stop: threading.Event) -> None:
        super().__init__(name=f"localcloud-esm-{esm.uuid[:8]}", daemon=True)
        self.backend = backend
        self.esm = esm
        self.stop = stop

    def run(self) -> None:
        while not self.stop.is_set() and self.backend.get_event_source_mapping(self.esm.uuid) is self.esm:
            try:
                busy = bool(self.esm.enabled) and self.poll_once()
            except Exception:
                logger.exception("event source mapping %s: poll failed", self.esm.uuid)
                busy = False
            if not busy:
                self.stop.wait(IDLE_SECONDS)

    def poll_once(self) -> bool:
        """Deliver one batch if there is one; False when the source had nothing new."""
        raise NotImplementedError

    def invoke(self, records: list[dict[str, Any]]) -> tuple[bool, Any]:
        response_headers: dict[str, Any] = {}
        payload = self.backend.invoke(
            self.esm.function_arn, None, json.dumps({"Records": records}), {}, response_headers
        )
        try:
            response = json.loads(payload)
        except (TypeError, ValueError):
            response = None
        return "x-amz-function-error" in response_headers, response


class StreamPoller(Poller):
    def __init__(self, backend: Any, esm: Any, stop: threading.Event, table_name: str) -> None:
        super().__init__(backend, esm, stop)
        self.table_name = table_name
        shard = self._table().stream_shard
        self.position = 0 if esm.starting_position == "TRIM_HORIZON" else len(shard.items)

    def _table(self) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        return dynamodb_backends[self.esm.account_id][self.esm.region].get_table(self.table_name)

    def poll_once(self) -> bool:
        items = self._table().stream_shard.items[self.position :]
        if not items:
            return False
        batch: list[dict[str, Any]] = []
        for item in items:
            self.position += 1
            record = self._record(item)
            if matches(self.esm, record):
                batch.append(record)
                if len(batch) >= (self.esm.batch_size or 100):
                    break
        if batch:
            self.deliver(batch, 0)
        return True

    def _record(self, item: Any) -> dict[str, Any]:
        record = dict(item.to_json())
        dynamodb = dict(record["dynamodb"])
        created = dynamodb.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            dynamodb["ApproximateCreationDateTime"] = int(created.replace(tzinfo=UTC).timestamp())
        record.update(dynamodb=dynamodb, eventSourceARN=self.esm.event_source_arn, awsRegion=self.esm.region)
        return record

    def deliver(self, batch: list[dict[str, Any]], attempts: int) -> None:
        """Invoke until the batch succeeds, bisecting and backing off, or hand it to OnFailure."""
        while not self.stop.is_set():
            ids = [r["dynamodb"]["SequenceNumber"] for r in batch]
            errored, response = self.invoke(batch)
            failed = failed_ids(self.esm, errored, response, ids)
            if not failed:
                return
            attempts += 1
            batch = batch[ids.index(failed[0]) :]  # records before the first failure are done
            limit = self.esm.max_retry_attempts
            if limit is not None and 0 <= int(limit) < attempts:
                self.on_failure(batch, attempts, errored)
                return
            if errored and self.esm.bisect_on_error and len(batch) > 1:
                half = len(batch) // 2
                self.deliver(batch[:half], attempts)
                self.deliver(batch[half:], attempts)
                return
            self.stop.wait(min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2 ** (attempts - 1)))

    def on_failure(self, batch: list[dict[str, Any]], attempts: int, errored: bool) -> None:
        destination = ((self.esm.destination_config or {}).get("OnFailure") or {}).get("Destination")
        first, last = batch[0]["dynamodb"], batch[-1]["dynamodb"]
        logger.warning(
            "event source mapping %s: batch %s..%s dropped after %d attempts",
            self.esm.uuid,
            first["SequenceNumber"],
            last["SequenceNumber"],
            attempts,
        )
        if not destination:
            return
        document = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": self.esm.function_arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": attempts,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": "Unhandled" if errored else None,
            },
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(),
            "DDBStreamBatchInfo": {
                "shardId": self._table().stream_shard.id,
                "startSequenceNumber": first["SequenceNumber"],
                "endSequenceNumber": last["SequenceNumber"],
                "approximateArrivalOfFirstRecord": first.get("ApproximateCreationDateTime"),
                "approximateArrivalOfLastRecord": last.get("ApproximateCreationDateTime"),
                "batchSize": len(batch),
                "streamArn": self.esm.event_source_arn,
            },
        }
        _sqs(self.esm).send_message(destination.rsplit(":", 1)[1], json.dumps(document))


class QueuePoller(Poller):
    def __init__(self, backend: Any, esm: Any, stop: threading.Event, queue_name: str) -> None:
        super().__init__(backend, esm, stop)
        self.queue_name = queue_name

    def poll_once(self) -> bool:
        sqs = _sqs(self.esm)
        queue = sqs.get_queue(self.queue_name)
        batch_size = self.esm.batch_size or 10
        messages = sqs.receive_message(self.queue_name, batch_size, 0, queue.visibility_timeout)
        if not messages:
            return False
        records = [self._record(message, queue.queue_arn) for message in messages]
        handles = {record["messageId"]: record["receiptHandle"] for record in records}
        kept = [record for record in records if matches(self.esm, _filterable(record))]
        failed: set[str] = set()
        if kept:
            errored, response = self.invoke(kept)
            failed = set(failed_ids(self.esm, errored, response, [r["messageId"] for r in kept]))
        for message_id, handle in handles.items():
            if message_id not in failed:  # processed, or dropped by the filters (as Lambda does)
                sqs.delete_message(self.queue_name, handle)
        return True

    def _record(self, message: Any, queue_arn: str) -> dict[str, Any]:
        return {
            "messageId": message.id,
            "receiptHandle": message.receipt_handle,
            "body": message.body,
            "attributes": {
                "ApproximateReceiveCount": str(message.approximate_receive_count),
                "SentTimestamp": str(message.sent_timestamp),
                "SenderId": message.sender_id,
                "ApproximateFirstReceiveTimestamp": str(message.approximate_first_receive_timestamp),
            },
            "messageAttributes": {},
            "md5OfBody": message.body_md5,
            "eventSource": "aws:sqs",
            "eventSourceARN": queue_arn,
            "awsRegion": self.esm.region,
        }


def _filterable(record: dict[str, Any]) -> dict[str, Any]:
    # Lambda filters an SQS message on its body parsed as JSON when it is JSON.
    try:
        return {**record, "body": json.loads(record["body"])}
    except ValueError:
        return record


def _sqs(esm: Any) -> Any:
    from moto.sqs.models import sqs_backends

    return sqs_backends[esm.account_id][esm.region]


def _take_over(backend: Any, esm: Any, stop: threading.Event) -> None:
    """Detach a new mapping from moto's synchronous delivery and start its poller."""
    from moto.dynamodb.models import dynamodb_backends

    source = esm.event_source_arn
    service = source.split(":")[2]
    poller: Poller
    if service == "sqs":
        queue_name = source.rsplit(":", 1)[1]
        _sqs(esm).get_queue(queue_name).lambda_event_source_mappings.pop(esm.function_arn, None)
        poller = QueuePoller(backend, esm, stop, queue_name)
    elif service == "dynamodb":
        table_name = source.split(":", 5)[5].split("/")[1]
        table = dynamodb_backends[esm.account_id][esm.region].get_table(table_name)
        table.lambda_event_source_mappings.pop(esm.function_arn, None)
        poller = StreamPoller(backend, esm, stop, table_name)
    else:
        return  # Kinesis and others keep moto's own delivery
    with _POLLERS_LOCK:
        _POLLERS.append(poller)
    poller.start()


def install() -> None:
    """Serve every event source mapping created from now on with a poller (idempotent)."""
    from moto.awslambda.models import LambdaBackend

    if _ORIGINAL_CREATE:
        return
    original = LambdaBackend.create_event_source_mapping
    _STOP.clear()

    def create_event_source_mapping(self: Any, spec: dict[str, Any]) -> Any:
        esm = original(self, spec)
        _take_over(self, esm, _STOP)
        return esm

    _ORIGINAL_CREATE.append(original)
    setattr(LambdaBackend, "create_event_source_mapping", create_event_source_mapping)  # noqa: B010


def uninstall() -> None:
    """Stop every poller and give moto its own delivery back."""
    from moto.awslambda.models import LambdaBackend

    _STOP.set()
    with _POLLERS_LOCK:
        pollers = list(_POLLERS)
        _POLLERS.clear()
    for poller in pollers:
        poller.join(timeout=5)
    if _ORIGINAL_CREATE:
        setattr(LambdaBackend, "create_event_source_mapping", _ORIGINAL_CREATE.pop())  # noqa: B010
