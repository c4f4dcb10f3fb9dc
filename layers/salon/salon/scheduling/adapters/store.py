"""The scheduling area's items: the grid (versioned), unavailability, runs and the event's one
active-run marker. See docs/DATA_MODEL.md."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import ConditionFailed, Item, Put, Table, TransactionCancelled, Update
from salon.kernel.dynamo_reads import body
from salon.kernel.errors import Conflict, InvalidTransition
from salon.scheduling.domain.grid import Grid, Period
from salon.scheduling.domain.runs import ENDED, may_follow


def _body(item: Item) -> dict[str, Any]:
    return body(item, also=("expires_at",))


class SchedulingStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    # -- grid ----------------------------------------------------------------------------------------

    def grid(self, tenant_id: str, event_id: str) -> tuple[Grid | None, int]:
        item = self.table.get(keys.event_pk(tenant_id, event_id), keys.GRID_SK)
        return (Grid.model_validate(item["grid"]), int(item["version"])) if item else (None, 0)

    def put_grid(self, tenant_id: str, event_id: str, grid: Grid, version: int, at: str) -> None:
        """Write ``version`` over ``version - 1`` (or nothing): else 409."""
        item: Item = {
            "PK": keys.event_pk(tenant_id, event_id),
            "SK": keys.GRID_SK,
            "item_type": "meeting_grid",
            "tenant_id": tenant_id,
            "event_id": event_id,
            "grid": grid.model_dump(mode="json"),
            "version": version,
            "updated_at": at,
        }
        condition = "attribute_not_exists(PK)" if version == 1 else "version = :previous"
        try:
            self.table.put(Put(item, condition, {} if version == 1 else {":previous": version - 1}))
        except ConditionFailed as exc:
            raise Conflict("the grid was changed concurrently; reload and retry") from exc

    # -- unavailability ------------------------------------------------------------------------------

    def put_unavailability(
        self,
        tenant_id: str,
        event_id: str,
        participant_id: str,
        periods: list[Period],
        at: str,
        ttl: int | None,
    ) -> None:
        self.table.put(
            Put(
                {
                    "PK": keys.event_pk(tenant_id, event_id),
                    "SK": keys.unavailability_sk(participant_id),
                    "item_type": "unavailability",
                    "tenant_id": tenant_id,
                    "event_id": event_id,
                    "participant_id": participant_id,
                    "periods": [p.model_dump(mode="json") for p in periods],
                    "updated_at": at,
                    **({"expires_at": ttl} if ttl is not None else {}),
                }
            )
        )

    def unavailability(self, tenant_id: str, event_id: str) -> dict[str, list[Period]]:
        items = self.table.query_all(
            Key("PK").eq(keys.event_pk(tenant_id, event_id)) & Key("SK").begins_with("UNAVAILABLE#"),
            consistent=True,
        )
        return {i["participant_id"]: [Period.model_validate(p) for p in i["periods"]] for i in items}

    def sheets(self, tenant_id: str, registration_ids: list[str]) -> list[dict[str, Any]]:
        """The registrations' sheets (type, participant ids), in batch reads."""
        wanted = [
            {"PK": keys.registration_pk(tenant_id, r), "SK": keys.REGISTRATION_SK} for r in registration_ids
        ]
        return [_body(i) for i in self.table.batch_get(wanted)]

    def restricted(self, tenant_id: str, registration_ids: list[str]) -> frozenset[str]:
        """Participants of these companies whose processing is restricted (a data-subject request):
        scheduling runs leave them out while the flag holds."""
        prefix = keys.flag_sk("restriction", "")
        return frozenset(
            str(i["participant_id"])
            for r in registration_ids
            for i in self.table.query_all(
                Key("PK").eq(keys.registration_pk(tenant_id, r)) & Key("SK").begins_with(prefix),
                consistent=True,
            )
        )

    # -- runs ----------------------------------------------------------------------------------------

    def create_run(self, run: dict[str, Any]) -> None:
        """The run and the event's active-run marker, taken only if no other run holds it (else 409)."""
        t, event_id, run_id = run["tenant_id"], run["event_id"], run["run_id"]
        marker = Update(
            {"PK": keys.event_pk(t, event_id), "SK": keys.ACTIVE_RUN_SK},
            "active_schedule_run",
            set={"tenant_id": t, "event_id": event_id, "run_id": run_id, "updated_at": run["created_at"]},
            condition="attribute_not_exists(run_id)",
        )
        item: Item = {"PK": keys.run_pk(t, run_id), "SK": keys.RUN_SK, "item_type": "schedule_run", **run}
        try:
            self.table.transact([Put(item, "attribute_not_exists(PK)"), marker])
        except TransactionCancelled as exc:
            raise Conflict("another scheduling run of this event is active") from exc

    def run(self, tenant_id: str, run_id: str) -> dict[str, Any] | None:
        item = self.table.get(keys.run_pk(tenant_id, run_id), keys.RUN_SK)
        return _body(item) if item else None

    def move(self, tenant_id: str, run_id: str, status: str, values: dict[str, Any]) -> dict[str, Any]:
        """Set the run's status (only from a status it may follow) with ``values``; an ended status
        frees the event's active-run marker in the same transaction."""
        allowed = may_follow(status)
        names = {"#st": "status"}
        placeholders = {f":was{i}": s for i, s in enumerate(allowed)}
        update = Update(
            {"PK": keys.run_pk(tenant_id, run_id), "SK": keys.RUN_SK},
            "schedule_run",
            set={**values, "status": status},
            condition=f"#st IN ({', '.join(placeholders)})",
            values=placeholders,
            names=names,
        )
        current = self.run(tenant_id, run_id)
        if current is None:
            raise InvalidTransition("no such run")
        try:
            if status in ENDED and current["status"] not in ENDED:
                release = Update(
                    {"PK": keys.event_pk(tenant_id, current["event_id"]), "SK": keys.ACTIVE_RUN_SK},
                    "active_schedule_run",
                    set={"updated_at": values["updated_at"]},
                    remove=("run_id",),
                    condition="run_id = :rid",
                    values={":rid": run_id},
                )
                self.table.transact([update, release])
            else:
                self.table.update(update)
        except (ConditionFailed, TransactionCancelled) as exc:
            raise InvalidTransition(f"the run is {current['status']}, it cannot become {status}") from exc
        moved = self.run(tenant_id, run_id)
        assert moved is not None
        return moved

    def publish_progress(self, tenant_id: str, run_id: str, progress: dict[str, int], at: str) -> None:
        """How far the publishing run has gone (agendas done / total), while it is publishing."""
        self.table.update(
            Update(
                {"PK": keys.run_pk(tenant_id, run_id), "SK": keys.RUN_SK},
                "schedule_run",
                set={"publish_progress": progress, "updated_at": at},
                condition="#st = :publishing",
                values={":publishing": "publishing"},
                names={"#st": "status"},
            )
        )

    def published(
        self, tenant_id: str, run_id: str, event_id: str, progress: dict[str, int], at: str
    ) -> None:
        """The publishing run becomes published and the event's published schedule."""
        run = Update(
            {"PK": keys.run_pk(tenant_id, run_id), "SK": keys.RUN_SK},
            "schedule_run",
            set={"status": "published", "publish_progress": progress, "updated_at": at, "published_at": at},
            remove=("publish_error",),  # of an earlier attempt
            condition="#st = :publishing",
            values={":publishing": "publishing"},
            names={"#st": "status"},
        )
        marker = Update(
            {"PK": keys.event_pk(tenant_id, event_id), "SK": keys.ACTIVE_RUN_SK},
            "active_schedule_run",
            set={"tenant_id": tenant_id, "event_id": event_id, "published_run_id": run_id, "updated_at": at},
        )
        try:
            self.table.transact([run, marker])
        except TransactionCancelled as exc:
            raise Conflict("the run was published meanwhile") from exc

    def published_run_id(self, tenant_id: str, event_id: str) -> str | None:
        item = self.table.get(keys.event_pk(tenant_id, event_id), keys.ACTIVE_RUN_SK)
        return str(item["published_run_id"]) if item and "published_run_id" in item else None
