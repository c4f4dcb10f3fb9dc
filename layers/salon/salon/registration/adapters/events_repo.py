"""Events, forms, participation types and taxonomies in the single table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import (
    ConditionFailed,
    Item,
    Put,
    Table,
    TransactionCancelled,
    decode_cursor,
    encode_cursor,
)
from salon.kernel.dynamo_reads import body
from salon.kernel.errors import Conflict
from salon.kernel.values import iso
from salon.registration.domain.events import Event
from salon.registration.domain.forms import Form, FormField
from salon.registration.domain.participation_types import ParticipationType
from salon.registration.domain.taxonomy import Taxonomy, TaxonomyNode


def _event_item(event: Event) -> Item:
    data = event.model_dump(mode="json")
    return {
        "PK": keys.event_pk(event.tenant_id, event.event_id),
        "SK": keys.EVENT_SK,
        "GSI1PK": keys.events_index(event.tenant_id),
        "GSI1SK": f"{data['starts_at']}#{event.event_id}",
        "GSI2PK": keys.event_locator(event.event_id),
        "GSI2SK": keys.EVENT_SK,
        "item_type": "event",
        **data,
    }


def _answers_deadline(event: Event) -> Put:
    """The event's answers deadline, written with the event: the meeting-request expiry sweep finds the
    events due through GSI1 without scanning. No deadline, no index entry (the item leaves the index)."""
    deadline = event.key_dates.answers_deadline_at
    item: Item = {
        "PK": keys.event_pk(event.tenant_id, event.event_id),
        "SK": keys.ANSWERS_DEADLINE_SK,
        "item_type": "answers_deadline",
        "tenant_id": event.tenant_id,
        "event_id": event.event_id,
    }
    if deadline is not None:
        item["answers_deadline_at"] = at = iso(deadline)
        item["GSI1PK"] = keys.ANSWERS_DEADLINES_INDEX
        item["GSI1SK"] = keys.answers_deadline_sort(at, event.tenant_id, event.event_id)
    return Put(item)


def _retention(event: Event) -> Put:
    """The event's end, written with the event: the retention sweep finds the events whose data is
    due through GSI1 without scanning."""
    ends_at = iso(event.ends_at)
    return Put(
        {
            "PK": keys.event_pk(event.tenant_id, event.event_id),
            "SK": keys.RETENTION_SK,
            "GSI1PK": keys.EVENTS_BY_END_INDEX,
            "GSI1SK": keys.event_end_sort(ends_at, event.tenant_id, event.event_id),
            "item_type": "event_retention",
            "tenant_id": event.tenant_id,
            "event_id": event.event_id,
            "ends_at": ends_at,
        }
    )


def _form(event_id: str, item: Item | None) -> Form:
    if not item:
        return Form(event_id=event_id, fields=[], version=0)
    return Form(
        event_id=event_id,
        fields=[FormField.model_validate(f) for f in item["fields"]],
        version=item.get("version", 1),
        updated_at=item.get("updated_at"),
    )


def _taxonomy(event_id: str, item: Item | None) -> Taxonomy | None:
    if not item:
        return None
    return Taxonomy(
        event_id=event_id,
        nodes=[TaxonomyNode.model_validate(n) for n in item["nodes"]],
        version=item["version"],
        updated_at=item["updated_at"],
    )


def _participation_type(item: Item) -> ParticipationType:
    return ParticipationType.model_validate({k: v for k, v in body(item).items() if k != "tenant_id"})


@dataclass(frozen=True)
class EventConfiguration:
    """What a registration is checked against."""

    form: Form
    taxonomy: Taxonomy | None
    types: list[ParticipationType]


class EventsRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_event(self, event: Event) -> None:
        try:
            self.table.transact(
                [
                    Put(_event_item(event), "attribute_not_exists(PK)"),
                    _answers_deadline(event),
                    _retention(event),
                ]
            )
        except TransactionCancelled as exc:
            if "ConditionalCheckFailed" in exc.reasons:
                raise Conflict("the event already exists") from exc
            raise

    def save_event(self, event: Event, expected_version: int, also: Sequence[Put] = ()) -> None:
        """Replace the event if it is still the version read (else 409), with ``also`` (e.g. the
        outbox item announcing the change) in the same transaction."""
        saved = Put(_event_item(event), "version = :v", {":v": expected_version})
        try:
            self.table.transact([saved, _answers_deadline(event), _retention(event), *also])
        except TransactionCancelled as exc:
            if "ConditionalCheckFailed" in exc.reasons:
                raise Conflict("the event was changed concurrently; reload and retry") from exc
            raise

    def get_event(self, tenant_id: str, event_id: str) -> Event | None:
        item = self.table.get(keys.event_pk(tenant_id, event_id), keys.EVENT_SK)
        return Event.model_validate(body(item)) if item else None

    def locate_event(self, event_id: str) -> Event | None:
        """Resolve a public event id to its event (and tenant) through GSI2."""
        items, _ = self.table.query(Key("GSI2PK").eq(keys.event_locator(event_id)), index="GSI2", limit=2)
        found = [i for i in items if i.get("item_type") == "event"]
        return Event.model_validate(body(found[0])) if len(found) == 1 else None

    def list_events(self, tenant_id: str, limit: int, cursor: str | None) -> tuple[list[Event], str | None]:
        start = decode_cursor(cursor, tenant_prefix=keys.tenant(tenant_id), index="GSI1")
        items, last = self.table.query(
            Key("GSI1PK").eq(keys.events_index(tenant_id)), index="GSI1", limit=limit, start=start
        )
        return [Event.model_validate(body(i)) for i in items], encode_cursor(last)

    def put_form(self, tenant_id: str, form: Form) -> None:
        """Replace the form if the stored one is still the version ``form`` follows (else 409)."""
        item = _configuration_item(
            tenant_id, form.event_id, keys.FORM_SK, "event_form", form.model_dump(mode="json", by_alias=True)
        )
        self._put_next_version(item, "form")

    def get_form(self, tenant_id: str, event_id: str) -> Form:
        return _form(event_id, self.table.get(keys.event_pk(tenant_id, event_id), keys.FORM_SK))

    def create_type(self, tenant_id: str, ptype: ParticipationType) -> None:
        item = _configuration_item(
            tenant_id,
            ptype.event_id,
            keys.type_sk(ptype.code),
            "participation_type",
            ptype.model_dump(mode="json"),
        )
        try:
            self.table.put(Put(item, "attribute_not_exists(PK)"))
        except ConditionFailed as exc:
            raise Conflict(f"participation type {ptype.code!r} already exists") from exc

    def list_types(self, tenant_id: str, event_id: str) -> list[ParticipationType]:
        items = self.table.query_all(
            Key("PK").eq(keys.event_pk(tenant_id, event_id)) & Key("SK").begins_with("TYPE#"), consistent=True
        )
        return [_participation_type(i) for i in items]

    def put_taxonomy(self, tenant_id: str, taxonomy: Taxonomy) -> None:
        """Replace the taxonomy if the stored one is still the version ``taxonomy`` follows (else 409)."""
        item = _configuration_item(
            tenant_id, taxonomy.event_id, keys.TAXONOMY_SK, "taxonomy", taxonomy.model_dump(mode="json")
        )
        self._put_next_version(item, "taxonomy")

    def _put_next_version(self, item: Item, what: str) -> None:
        """Put ``item`` (version n) only over version n-1, or over nothing when n is 1."""
        previous = int(item["version"]) - 1
        condition = (
            Put(item, "attribute_not_exists(PK)")
            if previous == 0
            else Put(item, "version = :previous", {":previous": previous})
        )
        try:
            self.table.put(condition)
        except ConditionFailed as exc:
            raise Conflict(f"the {what} was changed concurrently; reload it and retry") from exc

    def get_taxonomy(self, tenant_id: str, event_id: str) -> Taxonomy | None:
        return _taxonomy(event_id, self.table.get(keys.event_pk(tenant_id, event_id), keys.TAXONOMY_SK))

    def configuration(self, tenant_id: str, event_id: str) -> EventConfiguration:
        """Form, taxonomy and types in one query: their sort keys are adjacent (FORM < TAXONOMY < TYPE#)."""
        items = self.table.query_all(
            Key("PK").eq(keys.event_pk(tenant_id, event_id))
            & Key("SK").between(keys.FORM_SK, keys.type_sk("\uffff")),
            consistent=True,
        )
        by_type: dict[str, list[Item]] = {}
        for item in items:
            by_type.setdefault(str(item.get("item_type")), []).append(item)
        return EventConfiguration(
            form=_form(event_id, next(iter(by_type.get("event_form", [])), None)),
            taxonomy=_taxonomy(event_id, next(iter(by_type.get("taxonomy", [])), None)),
            types=[_participation_type(i) for i in by_type.get("participation_type", [])],
        )


def _configuration_item(
    tenant_id: str, event_id: str, sort_key: str, item_type: str, body: dict[str, Any]
) -> dict[str, Any]:
    """An item of an event's configuration partition (form, taxonomy, participation type)."""
    return {
        "PK": keys.event_pk(tenant_id, event_id),
        "SK": sort_key,
        "item_type": item_type,
        "tenant_id": tenant_id,
        **body,
    }
