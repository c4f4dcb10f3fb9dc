"""Published meetings and agendas, in the event's partition: one item per meeting, one per
participant's agenda (its latest version). See docs/DATA_MODEL.md."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import Put, Table, TransactionCancelled, Update
from salon.kernel.dynamo_reads import body
from salon.kernel.errors import Conflict
from salon.scheduling.domain.agenda import Entry, Meeting


def entries(agenda: dict[str, Any] | None) -> list[Entry]:
    return [Entry(**e) for e in agenda["meetings"]] if agenda else []


class AgendaStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def _items(self, tenant_id: str, event_id: str, prefix: str) -> list[dict[str, Any]]:
        items = self.table.query_all(
            Key("PK").eq(keys.event_pk(tenant_id, event_id)) & Key("SK").begins_with(prefix), consistent=True
        )
        return [body(i) for i in items]

    def meetings(self, tenant_id: str, event_id: str) -> dict[str, dict[str, Any]]:
        """meeting id -> meeting item (scheduled and cancelled ones)."""
        return {m["meeting_id"]: m for m in self._items(tenant_id, event_id, "MEETING#")}

    def agendas(self, tenant_id: str, event_id: str) -> dict[str, dict[str, Any]]:
        """participant id -> their agenda item."""
        return {a["participant_id"]: a for a in self._items(tenant_id, event_id, "AGENDA#")}

    def agenda(self, tenant_id: str, event_id: str, participant_id: str) -> dict[str, Any] | None:
        item = self.table.get(keys.event_pk(tenant_id, event_id), keys.agenda_sk(participant_id))
        return body(item) if item else None

    def locate(self, tenant_id: str, meeting_id: str) -> dict[str, Any] | None:
        """A meeting by its id alone (the locator index), read again from its event's partition."""
        found, _ = self.table.query(
            Key("GSI2PK").eq(keys.meeting_locator(tenant_id, meeting_id)), index="GSI2", limit=1
        )
        if not found:
            return None
        item = self.table.get(found[0]["PK"], found[0]["SK"])
        return body(item) if item else None

    @staticmethod
    def meeting_edit(
        tenant_id: str, event_id: str, meeting_id: str, seen_run_id: str, edit_id: str, values: dict[str, Any]
    ) -> Update:
        """Change a meeting as it was read (its ``run_id``, which every write replaces, else 409)."""
        return Update(
            {"PK": keys.event_pk(tenant_id, event_id), "SK": keys.meeting_sk(meeting_id)},
            "meeting",
            set={**values, "run_id": edit_id},
            condition="run_id = :seen",
            values={":seen": seen_run_id},
        )

    @staticmethod
    def meeting_create(tenant_id: str, event_id: str, edit_id: str, meeting: Meeting, at: str) -> Update:
        """A meeting made by hand: new, or in place of a cancelled one of the same request."""
        item = AgendaStore.meeting_put(tenant_id, event_id, edit_id, meeting).item
        return Update(
            {"PK": item["PK"], "SK": item["SK"]},
            "meeting",
            set={k: v for k, v in item.items() if k not in ("PK", "SK", "item_type")} | {"updated_at": at},
            remove=("cancelled_by",),
            condition="attribute_not_exists(PK) OR #st = :cancelled",
            values={":cancelled": "cancelled"},
            names={"#st": "status"},
        )

    def meeting_items(self, tenant_id: str, event_id: str, meeting_ids: list[str]) -> list[dict[str, Any]]:
        wanted = [{"PK": keys.event_pk(tenant_id, event_id), "SK": keys.meeting_sk(m)} for m in meeting_ids]
        return [body(i) for i in self.table.batch_get(wanted)]

    @staticmethod
    def meeting_put(tenant_id: str, event_id: str, run_id: str, meeting: Meeting) -> Put:
        """Write the meeting as this run places it, unless this run wrote it already (the other
        participant's transaction): a retried or shared write changes nothing."""
        return Put(
            {
                "PK": keys.event_pk(tenant_id, event_id),
                "SK": keys.meeting_sk(meeting.entry.meeting_id),
                "GSI2PK": keys.meeting_locator(tenant_id, meeting.entry.meeting_id),
                "GSI2SK": keys.MEETING_LOCATOR_SK,
                "item_type": "meeting",
                "tenant_id": tenant_id,
                "event_id": event_id,
                "run_id": run_id,
                "status": "scheduled",
                **meeting.entry.as_item(),
                **({"request_id": meeting.request_id} if meeting.request_id else {}),
                "registration_ids": list(meeting.registration_ids),
                "participant_ids": list(meeting.participant_ids),
                "locked": meeting.lock,
            },
            "attribute_not_exists(run_id) OR run_id <> :run",
            {":run": run_id},
        )

    @staticmethod
    def meeting_cancel(tenant_id: str, event_id: str, run_id: str, meeting_id: str) -> Update:
        return Update(
            {"PK": keys.event_pk(tenant_id, event_id), "SK": keys.meeting_sk(meeting_id)},
            "meeting",
            set={"status": "cancelled", "run_id": run_id},
            condition="attribute_exists(PK) AND run_id <> :run",
            values={":run": run_id},
        )

    @staticmethod
    def agenda_put(
        tenant_id: str,
        event_id: str,
        run_id: str,
        participant_id: str,
        version: int,
        after: list[Entry],
        at: str,
    ) -> Put:
        """The participant's next agenda version, over the version it was computed from."""
        return Put(
            {
                "PK": keys.event_pk(tenant_id, event_id),
                "SK": keys.agenda_sk(participant_id),
                "item_type": "agenda",
                "tenant_id": tenant_id,
                "event_id": event_id,
                "participant_id": participant_id,
                "version": version,
                "run_id": run_id,
                "meeting_ids": [e.meeting_id for e in after],
                "meetings": [e.as_item() for e in after],
                "updated_at": at,
            },
            "attribute_not_exists(PK)" if version == 1 else "version = :previous",
            {} if version == 1 else {":previous": version - 1},
        )

    def commit(
        self,
        writes: list[Put | Update],
        conflict: str = "the agendas changed while publishing; publish again to continue",
    ) -> None:
        try:
            self.table.transact(list(writes))
        except TransactionCancelled as exc:
            raise Conflict(conflict) from exc
