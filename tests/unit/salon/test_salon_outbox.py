"""The outbox (producer side and relay) and the consumers' envelope: pure code, no cloud."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from boto3.dynamodb.types import TypeSerializer
from pydantic import ValidationError
from salon.kernel import keys, relay
from salon.kernel.consumer import DomainEvent
from salon.kernel.domain_events import EventDetail
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.publisher import OutgoingEvent
from salon.kernel.registry import REGISTRY, check_item

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def detail(**ids: Any) -> EventDetail:
    return EventDetail(
        tenant_id="t1",
        dedupe_id=dedupe_id("t1", "reg_1", "submitted"),
        event_id="evt_1",
        registration_id="reg_1",
        participant_ids=("par_1", "par_2"),
        type="buyer",
        **ids,
    )


def test_dedupe_id_is_the_same_for_the_same_change_only() -> None:
    assert dedupe_id("t1", "reg_1", "v2:validated") == dedupe_id("t1", "reg_1", "v2:validated")
    others = {
        dedupe_id("t2", "reg_1", "v2:validated"),
        dedupe_id("t1", "reg_2", "v2:validated"),
        dedupe_id("t1", "reg_1", "v3:validated"),
        dedupe_id("t1", "reg_1", "v2:refused"),
    }
    assert dedupe_id("t1", "reg_1", "v2:validated") not in others and len(others) == 4


def test_event_put_is_a_registered_outbox_item_keyed_by_its_dedupe_id() -> None:
    put = event_put("registration.submitted", detail(), AT)

    check_item(put.item)
    assert put.item["PK"] == keys.outbox_pk("t1", detail().dedupe_id)
    assert put.item["SK"] == keys.OUTBOX_SK
    assert put.item["detail"]["participant_ids"] == ["par_1", "par_2"]
    assert "actor_id" not in put.item["detail"]
    assert put.condition is None  # a replay overwrites (MODIFY), which the relay never publishes
    assert put.item["expires_at"] - int(AT.timestamp()) == 7 * 86_400
    assert REGISTRY["outbox"].retention is not None


@pytest.mark.parametrize("leak", ["email", "first_name", "company_name", "phone"])
def test_an_event_detail_refuses_anything_but_its_ids(leak: str) -> None:
    with pytest.raises(ValidationError):
        EventDetail.model_validate({"tenant_id": "t1", "dedupe_id": "d", leak: "x"})


def stream_record(sequence: int, item: dict[str, Any], event_name: str = "INSERT") -> dict[str, Any]:
    serializer = TypeSerializer()
    return {
        "eventID": f"e{sequence}",
        "eventName": event_name,
        "eventSource": "aws:dynamodb",
        "dynamodb": {
            "Keys": {"PK": {"S": item["PK"]}, "SK": {"S": item["SK"]}},
            "NewImage": {name: serializer.serialize(value) for name, value in item.items()},
            "SequenceNumber": str(sequence),
            "StreamViewType": "NEW_IMAGE",
        },
    }


class OneRefusal:
    """A bus refusing one entry: the partial PutEvents failure cannot be produced otherwise."""

    def __init__(self, refused_detail_type: str | None) -> None:
        self.refused_detail_type = refused_detail_type
        self.published: list[OutgoingEvent] = []

    def publish(self, events: Sequence[OutgoingEvent]) -> set[int]:
        refused = {i for i, e in enumerate(events) if e.detail_type == self.refused_detail_type}
        self.published += [e for i, e in enumerate(events) if i not in refused]
        return refused


def records(*items: tuple[int, dict[str, Any], str]) -> list[Any]:
    event = {"Records": [stream_record(sequence, item, name) for sequence, item, name in items]}
    return list(DynamoDBStreamEvent(event).records)


def test_relay_reports_only_the_records_the_bus_refused() -> None:
    submitted = event_put("registration.submitted", detail(), AT).item
    validated = event_put(
        "registration.validated",
        detail(actor_id="sub-1").model_copy(update={"dedupe_id": dedupe_id("t1", "reg_1", "v2:validated")}),
        AT,
    ).item
    bus = OneRefusal("registration.validated")

    failed = relay.relay(records((11, submitted, "INSERT"), (12, validated, "INSERT")), bus)

    assert failed == ["12"]
    assert [(e.detail_type, e.detail.dedupe_id, e.time) for e in bus.published] == [
        ("registration.submitted", submitted["dedupe_id"], AT)
    ]


def test_relay_ignores_other_records_and_reports_malformed_outbox_items() -> None:
    good = event_put("registration.submitted", detail(), AT).item
    leaking = {**good, "detail": {**good["detail"], "email": "ada@example.org"}}
    registration = {"PK": "T#t1#REG#reg_1", "SK": "REGISTRATION", "item_type": "registration"}
    bus = OneRefusal(None)

    failed = relay.relay(
        records(
            (1, registration, "INSERT"), (2, good, "MODIFY"), (3, leaking, "INSERT"), (4, good, "INSERT")
        ),
        bus,
    )

    assert failed == ["3"]
    assert [e.detail.dedupe_id for e in bus.published] == [good["dedupe_id"]]


def test_envelope_parses_an_eventbridge_event_as_sqs_delivers_it() -> None:
    body = {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "registration.validated",
        "source": "salon.register",
        "account": "123456789012",
        "time": "2026-03-01T09:30:00Z",
        "region": "eu-west-3",
        "resources": [],
        "detail": detail(actor_id="sub-1").model_dump(mode="json", exclude_none=True),
    }

    event = DomainEvent.model_validate_json(json.dumps(body))

    assert event.detail_type == "registration.validated"
    assert event.time == AT
    assert event.detail == detail(actor_id="sub-1")
    with pytest.raises(ValidationError):
        DomainEvent.model_validate({**body, "detail": {**body["detail"], "last_name": "Lovelace"}})
