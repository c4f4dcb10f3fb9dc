"""The data-subject request items: the request, the person's running-request lock, the tombstone and
the processing flags (see docs/DATA_MODEL.md)."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import (
    ConditionFailed,
    Item,
    Put,
    Table,
    TransactionCancelled,
    Update,
    decode_cursor,
    encode_cursor,
)
from salon.kernel.dynamo_reads import body
from salon.kernel.errors import Conflict, InvalidTransition


def _body(item: Item) -> dict[str, Any]:
    return body(item, also=("task_token", "email", "corrections"))


class RequestsStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create(self, request: dict[str, Any]) -> None:
        """The request and the person's lock for its kind, unless a request of that kind runs (409)."""
        t, dsar_id, person = request["tenant_id"], request["dsar_id"], request["person_key"]
        item: Item = {
            "PK": keys.dsar_pk(t, dsar_id),
            "SK": keys.DSAR_SK,
            "GSI1PK": keys.dsars_index(t),
            "GSI1SK": f"{request['received_at']}#{dsar_id}",
            "GSI2PK": keys.person_pk(t, person),
            "GSI2SK": f"{request['received_at']}#{dsar_id}",
            "item_type": "dsar_request",
            **request,
        }
        lock: Item = {
            "PK": keys.person_pk(t, person),
            "SK": keys.running_dsar_sk(request["kind"]),
            "GSI1PK": keys.RUNNING_DSARS_INDEX,
            "GSI1SK": keys.running_dsar_sort(request["due_at"], t, dsar_id),
            "item_type": "dsar_running",
            "tenant_id": t,
            "dsar_id": dsar_id,
            "kind": request["kind"],
            "due_at": request["due_at"],
        }
        try:
            self.table.transact(
                [Put(item, "attribute_not_exists(PK)"), Put(lock, "attribute_not_exists(PK)")]
            )
        except TransactionCancelled as exc:
            raise Conflict(f"a {request['kind']} request for this person is already running") from exc

    def raw(self, tenant_id: str, dsar_id: str) -> Item | None:
        return self.table.get(keys.dsar_pk(tenant_id, dsar_id), keys.DSAR_SK)

    def get(self, tenant_id: str, dsar_id: str) -> dict[str, Any] | None:
        item = self.raw(tenant_id, dsar_id)
        return _body(item) if item else None

    def update(
        self, tenant_id: str, dsar_id: str, values: dict[str, Any], *, remove: tuple[str, ...] = ()
    ) -> Item:
        return self.table.update(
            Update(
                {"PK": keys.dsar_pk(tenant_id, dsar_id), "SK": keys.DSAR_SK},
                "dsar_request",
                set=values,
                remove=remove,
                condition="attribute_exists(PK)",
            )
        )

    def await_verification(self, tenant_id: str, dsar_id: str, token: str, at: str) -> None:
        self.update(
            tenant_id,
            dsar_id,
            {"task_token": token, "status": "awaiting_verification", "updated_at": at},
        )

    def take_token(self, tenant_id: str, dsar_id: str, values: dict[str, Any]) -> str:
        """The verification's task token, taken once: the request must await verification (else 409)."""
        item = self.raw(tenant_id, dsar_id)
        token = item.get("task_token") if item else None
        if not token or item is None or item.get("status") != "awaiting_verification":
            raise InvalidTransition("the request is not awaiting verification")
        try:
            self.table.update(
                Update(
                    {"PK": item["PK"], "SK": item["SK"]},
                    "dsar_request",
                    set=values,
                    remove=("task_token",),
                    condition="task_token = :token",
                    values={":token": token},
                )
            )
        except ConditionFailed as exc:
            raise InvalidTransition("the request was verified concurrently") from exc
        return str(token)

    def end(self, tenant_id: str, dsar_id: str, person_key: str, kind: str, values: dict[str, Any]) -> None:
        """The request's final state; its e-mail and corrections leave it, the person's lock is freed."""
        self.update(tenant_id, dsar_id, values, remove=("email", "corrections", "task_token"))
        self.table.delete(keys.person_pk(tenant_id, person_key), keys.running_dsar_sk(kind))

    def page(self, tenant_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        items, last = self.table.query(
            Key("GSI1PK").eq(keys.dsars_index(tenant_id)),
            index="GSI1",
            limit=limit,
            start=decode_cursor(cursor, tenant_prefix=keys.tenant(tenant_id), index="GSI1"),
            forward=False,
        )
        return [_body(i) for i in items], encode_cursor(last)

    def put_tombstone(self, tenant_id: str, person_key: str, dsar_id: str, at: str) -> None:
        self.table.put(
            Put(
                {
                    "PK": keys.person_pk(tenant_id, person_key),
                    "SK": keys.TOMBSTONE_SK,
                    "item_type": "person_tombstone",
                    "tenant_id": tenant_id,
                    "person_key": person_key,
                    "dsar_id": dsar_id,
                    "erased_at": at,
                }
            )
        )

    def put_flags(self, tenant_id: str, kind: str, dsar_id: str, participations: list[Item], at: str) -> None:
        """One flag per participation, in its registration's partition (read with the sheet)."""
        for p in participations:
            self.table.put(
                Put(
                    {
                        "PK": keys.registration_pk(tenant_id, p["registration_id"]),
                        "SK": keys.flag_sk(kind, p["participant_id"]),
                        "item_type": "processing_flag",
                        "tenant_id": tenant_id,
                        "kind": kind,
                        "dsar_id": dsar_id,
                        "participant_id": p["participant_id"],
                        "registration_id": p["registration_id"],
                        "event_id": p["event_id"],
                        "flagged_at": at,
                    }
                )
            )

    def running_due_by(self, moment: str) -> int:
        """How many running requests, all tenants, are due by ``moment`` (ISO 8601 UTC)."""
        return self.table.count(
            Key("GSI1PK").eq(keys.RUNNING_DSARS_INDEX) & Key("GSI1SK").lte(f"{moment}#~"), index="GSI1"
        )
