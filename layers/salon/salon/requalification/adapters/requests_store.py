"""Stored re-qualification requests and the two all-tenant indexes the passes read (no scan):
participants by verification date, pending requests by due date."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import Check, Item, Put, Table, TransactionCancelled, Update
from salon.kernel.errors import Conflict
from salon.requalification.domain.rules import CONFIRMED, OPEN, OVERDUE, PENDING

_PAGE = 200


class RequestsStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def _pages(self, index_pk: str, below: str) -> Iterator[list[Item]]:
        start: dict[str, Any] | None = None
        while True:
            page, start = self.table.query(
                Key("GSI1PK").eq(index_pk) & Key("GSI1SK").lt(below), index="GSI1", limit=_PAGE, start=start
            )
            yield page
            if not start:
                return

    def stale_contacts(self, verified_before: str) -> Iterator[list[Item]]:
        """Participants (all tenants) whose index entry says verified before the instant, a page at a
        time; the index may lag behind the item (the caller checks the item itself)."""
        return self._pages(keys.CONTACTS_BY_VERIFICATION_INDEX, verified_before)

    def pending_due(self, by: str) -> Iterator[list[Item]]:
        """Pending requests (all tenants) due before the instant."""
        return self._pages(keys.PENDING_REQUALIFICATIONS_INDEX, by)

    def get(self, tenant_id: str, registration_id: str, participant_id: str) -> Item | None:
        return self.table.get(
            keys.registration_pk(tenant_id, registration_id), keys.requalification_sk(participant_id)
        )

    def by_token_hash(self, token_hash: str) -> Item | None:
        """The request a link names, read again consistently (the index may still list a confirmed one)."""
        found, _ = self.table.query(
            Key("GSI2PK").eq(keys.requalification_locator(token_hash)), index="GSI2", limit=1
        )
        if not found:
            return None
        item = self.table.get(found[0]["PK"], found[0]["SK"])
        return item if item is not None and item.get("token_hash") == token_hash else None

    def request(self, item: dict[str, Any], also: Sequence[Put]) -> bool:
        """Store the request with its domain event; False when this round already asked the person
        or an overdue flag stands (the condition mirrors ``rules.may_request``)."""
        tenant_id, rid, pid = item["tenant_id"], item["registration_id"], item["participant_id"]
        put = Put(
            {
                "PK": keys.registration_pk(tenant_id, rid),
                "SK": keys.requalification_sk(pid),
                "GSI1PK": keys.PENDING_REQUALIFICATIONS_INDEX,
                "GSI1SK": f"{item['due_at']}#{tenant_id}#{rid}#{pid}",
                "GSI2PK": keys.requalification_locator(item["token_hash"]),
                "GSI2SK": keys.REQUALIFICATION_LOCATOR_SK,
                "item_type": "requalification",
                "status": PENDING,
                **item,
            },
            condition="attribute_not_exists(PK) OR #status = :confirmed OR "
            "(#status = :pending AND #round <> :round)",
            values={":confirmed": CONFIRMED, ":pending": PENDING, ":round": item["round"]},
            names={"#status": "status", "#round": "round"},
        )
        try:
            self.table.transact([put, *also])
        except TransactionCancelled as exc:
            if exc.reasons[:1] == ["ConditionalCheckFailed"]:
                return False
            raise
        return True

    def flag(self, request: Item, at: str) -> bool:
        """The request becomes overdue, its participant flagged and its company's count raised, in one
        transaction; False if it was confirmed (or its participant removed) meanwhile."""
        tenant_id, rid, pid = request["tenant_id"], request["registration_id"], request["participant_id"]
        pk = keys.registration_pk(tenant_id, rid)
        ops: list[Put | Update | Check] = [
            Update(
                {"PK": pk, "SK": keys.requalification_sk(pid)},
                "requalification",
                set={"status": OVERDUE, "updated_at": at},
                remove=("GSI1PK", "GSI1SK"),
                condition="#status = :pending",
                values={":pending": PENDING},
                names={"#status": "status"},
            ),
            Update(
                {"PK": pk, "SK": keys.participant_sk(pid)},
                "participant",
                set={"requalification_overdue_at": at},
                condition="attribute_exists(PK)",
            ),
            Update(
                {"PK": pk, "SK": keys.REGISTRATION_SK},
                "registration",
                add={"requalification_overdue": 1},
                condition="attribute_exists(PK)",
            ),
        ]
        try:
            self.table.transact(ops)
        except TransactionCancelled as exc:
            if "ConditionalCheckFailed" in exc.reasons:
                return False
            raise
        return True

    def confirmation(self, request: Item | None, at: str) -> tuple[tuple[str, ...], list[Update]]:
        """What confirming adds to the participant's update: the attribute to remove from it, and the
        request's and company's updates (conditional on the status read, so a concurrent flag is 409)."""
        if request is None or request.get("status") not in OPEN:
            return (), []
        tenant_id, rid, pid = request["tenant_id"], request["registration_id"], request["participant_id"]
        pk = keys.registration_pk(tenant_id, rid)
        ops = [
            Update(
                {"PK": pk, "SK": keys.requalification_sk(pid)},
                "requalification",
                set={"status": CONFIRMED, "updated_at": at},
                remove=("GSI1PK", "GSI1SK"),  # its link still answers (confirmed) until the next round
                condition="#status = :read",
                values={":read": request["status"]},
                names={"#status": "status"},
            )
        ]
        if request["status"] != OVERDUE:
            return (), ops
        ops.append(
            Update(
                {"PK": pk, "SK": keys.REGISTRATION_SK},
                "registration",
                add={"requalification_overdue": -1},
                # not conditional on the count: a count out of step must never stop a confirmation
                condition="attribute_exists(PK)",
            )
        )
        return ("requalification_overdue_at",), ops

    def confirm(
        self,
        tenant_id: str,
        registration_id: str,
        participant_id: str,
        values: dict[str, Any],
        request: Item | None,
    ) -> None:
        """The participant's data confirmed (``values``: the verified date and its index keys), with
        the request settled and the flag cleared, in one transaction (409 on a concurrent change)."""
        remove, also = self.confirmation(request, str(values["last_verified_at"]))
        update = Update(
            {
                "PK": keys.registration_pk(tenant_id, registration_id),
                "SK": keys.participant_sk(participant_id),
            },
            "participant",
            set=values,
            remove=remove,
            condition="attribute_exists(PK)",
        )
        try:
            self.table.transact([update, *also])
        except TransactionCancelled as exc:
            raise Conflict("the confirmation crossed another change; retry") from exc
