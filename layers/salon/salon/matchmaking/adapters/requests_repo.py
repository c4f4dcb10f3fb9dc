"""Meeting requests in the single table: the request items, one pair item per pair of companies, the
senders' counters and the event's caps. See docs/MATCHMAKING.md ("Meeting requests").

Every change is one transaction whose writes the repository builds (``Writes``) and the service commits:
the service may append its own Puts (the transactional outbox's event) before ``commit``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, ConditionBase, Key

from salon.kernel import keys, registry
from salon.kernel.dynamo import (
    Check,
    ConditionFailed,
    Item,
    Put,
    Table,
    TransactionCancelled,
    Update,
    backoff_seconds,
    decode_cursor,
    encode_cursor,
)
from salon.kernel.dynamo_reads import body
from salon.kernel.errors import Conflict, FieldError, InvalidTransition, LimitReached, ValidationFailed
from salon.kernel.values import iso
from salon.matchmaking.domain.requests import MatchmakingRules, MeetingRequest, RequestLimits, State

_ATTEMPTS = 4
_PAGE = 200
CCF = "ConditionalCheckFailed"


class PairTaken(Exception):
    """The pair item already holds a live request (raised by a send; the service resolves it)."""


def _body(item: Item) -> dict[str, Any]:
    return body(item, also=("expires_at",))


def pair_of(registration_a: str, registration_b: str) -> tuple[str, str]:
    low, high = sorted((registration_a, registration_b))
    return low, high


@dataclass(frozen=True)
class Ref:
    """What a state change needs of a request (the pair item gives it for a mutual approval)."""

    tenant_id: str
    request_id: str
    from_registration_id: str
    to_registration_id: str
    priority: int | None = None  # needed when the request ends (its counters are given back)

    @classmethod
    def of(cls, request: MeetingRequest) -> Ref:
        return cls(
            request.tenant_id,
            request.request_id,
            request.from_registration_id,
            request.to_registration_id,
            request.priority,
        )


def sent_sort_key(from_registration_id: str, request_id: str, state: str) -> str:
    """GSI1 sort key: by sender, then state, then request id (ids sort by creation time)."""
    return f"FROM#{from_registration_id}#{state}#{request_id}"


def received_sort_key(request_id: str, state: str) -> str:
    return f"{state}#{request_id}"


@dataclass
class Writes:
    """One transaction: its operations (the first ones fixed, extra Puts appended) and how to explain a
    cancellation from the reasons of those first operations."""

    ops: list[Put | Update | Check]
    explain: Callable[[list[str]], Exception]


@dataclass
class Snapshot:
    """What one batch read returns for a send: key dates, caps, both companies, their chosen
    participants, the pair and the sender's counters (absent items are None / missing)."""

    event: Item | None
    rules: MatchmakingRules
    sender: Item | None
    receiver: Item | None
    participants: dict[str, dict[str, str]] = field(default_factory=dict)  # registration -> id -> status
    pair: Item | None = None
    counters: Item | None = None


@dataclass(frozen=True)
class DueDeadline:
    """An event whose answers deadline has passed, as the deadline index lists it."""

    tenant_id: str
    event_id: str
    sort_key: str


class RequestsRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    # -- reads -------------------------------------------------------------------------------------

    def snapshot(
        self,
        tenant_id: str,
        event_id: str,
        from_registration_id: str,
        to_registration_id: str,
        participants: Mapping[str, Iterable[str]],
    ) -> Snapshot:
        """Everything a send checks, in one BatchGetItem (strongly consistent)."""
        event_pk = keys.event_pk(tenant_id, event_id)
        from_pk = keys.registration_pk(tenant_id, from_registration_id)
        to_pk = keys.registration_pk(tenant_id, to_registration_id)
        pair_pk = keys.pair_pk(tenant_id, from_registration_id, to_registration_id)
        wanted = [
            (event_pk, keys.EVENT_SK),
            (event_pk, keys.MATCHMAKING_SK),
            (from_pk, keys.REGISTRATION_SK),
            (to_pk, keys.REGISTRATION_SK),
            (pair_pk, keys.PAIR_SK),
            (from_pk, keys.REQUEST_COUNTERS_SK),
        ]
        for registration_id, ids in participants.items():
            pk = keys.registration_pk(tenant_id, registration_id)
            wanted.extend((pk, keys.participant_sk(pid)) for pid in ids)
        found = {
            (i["PK"], i["SK"]): i
            for i in self.table.batch_get([{"PK": pk, "SK": sk} for pk, sk in set(wanted)])
        }
        people: dict[str, dict[str, str]] = {}
        for (_, sk), item in found.items():
            if item.get("item_type") == "participant" and sk.startswith("PARTICIPANT#"):
                people.setdefault(item["registration_id"], {})[item["participant_id"]] = str(
                    item.get("account_status", "")
                )
        config = found.get((event_pk, keys.MATCHMAKING_SK))
        return Snapshot(
            event=found.get((event_pk, keys.EVENT_SK)),
            rules=MatchmakingRules.model_validate({"limits": config["limits"]})
            if config
            else MatchmakingRules(),
            sender=found.get((from_pk, keys.REGISTRATION_SK)),
            receiver=found.get((to_pk, keys.REGISTRATION_SK)),
            participants=people,
            pair=found.get((pair_pk, keys.PAIR_SK)),
            counters=found.get((from_pk, keys.REQUEST_COUNTERS_SK)),
        )

    def due_deadlines(self, now: datetime, limit: int = 100) -> list[DueDeadline]:
        """The events, of every tenant, whose answers deadline is at or before ``now`` and not yet swept:
        one key-condition query of the sparse deadline index (``<deadline>#<tenant>#<event>``)."""
        up_to = Key("GSI1SK").lte(f"{iso(now)}#\uffff")  # every tenant and event at that instant too
        items, _ = self.table.query(
            Key("GSI1PK").eq(keys.ANSWERS_DEADLINES_INDEX) & up_to, index="GSI1", limit=limit
        )
        return [DueDeadline(str(i["tenant_id"]), str(i["event_id"]), str(i["GSI1SK"])) for i in items]

    def mark_swept(self, due: DueDeadline, now: datetime) -> bool:
        """Take the event out of the deadline index, unless its deadline moved meanwhile (the event's
        save rewrote the entry): then it stays, due at its new deadline. False if it moved."""
        try:
            self.table.update(
                Update(
                    {"PK": keys.event_pk(due.tenant_id, due.event_id), "SK": keys.ANSWERS_DEADLINE_SK},
                    "answers_deadline",
                    set={"swept_at": iso(now)},
                    remove=("GSI1PK", "GSI1SK"),
                    condition="GSI1SK = :seen",
                    values={":seen": due.sort_key},
                )
            )
        except ConditionFailed:
            return False
        return True

    def get(self, tenant_id: str, request_id: str) -> MeetingRequest | None:
        item = self.table.get(keys.request_pk(tenant_id, request_id), keys.REQUEST_SK)
        return MeetingRequest.model_validate(_body(item)) if item else None

    def pair(self, tenant_id: str, registration_a: str, registration_b: str) -> Item | None:
        return self.table.get(keys.pair_pk(tenant_id, registration_a, registration_b), keys.PAIR_SK)

    def pairs(self, tenant_id: str, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        """Pair items by sorted (a, b), in one batch read."""
        wanted = {keys.pair_pk(tenant_id, a, b) for a, b in pairs}
        items = self.table.batch_get([{"PK": pk, "SK": keys.PAIR_SK} for pk in sorted(wanted)])
        return {pair_of(*i["registration_ids"]): i for i in items}

    def events_of(self, tenant_id: str, registration_ids: Iterable[str]) -> dict[str, str]:
        """The event of each registration found, by registration id (one batch read)."""
        items = self.table.batch_get(
            [
                {"PK": keys.registration_pk(tenant_id, r), "SK": keys.REGISTRATION_SK}
                for r in set(registration_ids)
            ]
        )
        return {i["registration_id"]: i["event_id"] for i in items}

    def participant_status(self, tenant_id: str, registration_id: str, participant_id: str) -> str | None:
        item = self.table.get(
            keys.registration_pk(tenant_id, registration_id), keys.participant_sk(participant_id)
        )
        return str(item.get("account_status", "")) if item else None

    def directory(self, tenant_id: str, registration_ids: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        """Company names by registration id and people's names by participant id (two batch reads)."""
        sheets = self.table.batch_get(
            [{"PK": keys.registration_pk(tenant_id, r), "SK": keys.REGISTRATION_SK} for r in registration_ids]
        )
        people = self.table.batch_get(
            [
                {"PK": keys.registration_pk(tenant_id, s["registration_id"]), "SK": keys.participant_sk(p)}
                for s in sheets
                for p in s.get("participant_ids", [])
            ]
        )
        return (
            {s["registration_id"]: str(s.get("company_name", "")) for s in sheets},
            {
                p["participant_id"]: f"{p.get('first_name', '')} {p.get('last_name', '')}".strip()
                for p in people
            },
        )

    def rules(self, tenant_id: str, event_id: str) -> tuple[MatchmakingRules, int]:
        item = self.table.get(keys.event_pk(tenant_id, event_id), keys.MATCHMAKING_SK)
        if not item:
            return MatchmakingRules(), 0
        return MatchmakingRules.model_validate({"limits": item["limits"]}), int(item["version"])

    def sent(
        self,
        tenant_id: str,
        event_id: str,
        registration_id: str,
        state: str | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[MeetingRequest], str | None]:
        prefix = f"FROM#{registration_id}#" + (f"{state}#" if state else "")
        condition = Key("GSI1PK").eq(keys.event_requests_index(tenant_id, event_id)) & Key(
            "GSI1SK"
        ).begins_with(prefix)
        return self._page(tenant_id, condition, "GSI1", None, limit, cursor)

    def received(
        self, tenant_id: str, registration_id: str, state: str | None, limit: int, cursor: str | None
    ) -> tuple[list[MeetingRequest], str | None]:
        condition = Key("GSI2PK").eq(keys.received_requests_index(tenant_id, registration_id))
        if state:
            condition = condition & Key("GSI2SK").begins_with(f"{state}#")
        return self._page(tenant_id, condition, "GSI2", None, limit, cursor)

    def of_event(
        self,
        tenant_id: str,
        event_id: str,
        *,
        state: str | None = None,
        from_registration_id: str | None = None,
        to_registration_id: str | None = None,
        priority: int | None = None,
        mutual: bool | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> tuple[list[MeetingRequest], str | None]:
        """An event's requests for staff: by sender (GSI1 key), by receiver (GSI2 key), else the whole
        event (GSI1); the other filters are applied by DynamoDB on the page read."""
        filters: list[ConditionBase] = [Attr("event_id").eq(event_id)]
        if to_registration_id and not from_registration_id:
            condition = Key("GSI2PK").eq(keys.received_requests_index(tenant_id, to_registration_id))
            if state:
                condition = condition & Key("GSI2SK").begins_with(f"{state}#")
            index = "GSI2"
        else:
            condition = Key("GSI1PK").eq(keys.event_requests_index(tenant_id, event_id))
            if from_registration_id:
                prefix = f"FROM#{from_registration_id}#" + (f"{state}#" if state else "")
                condition = condition & Key("GSI1SK").begins_with(prefix)
            elif state:
                filters.append(Attr("state").eq(state))
            if to_registration_id:
                filters.append(Attr("to_registration_id").eq(to_registration_id))
            index = "GSI1"
        if priority is not None:
            filters.append(Attr("priority").eq(priority))
        if mutual is not None:
            filters.append(Attr("mutual").eq(mutual))
        combined = filters[0]
        for extra in filters[1:]:
            combined = combined & extra
        return self._page(tenant_id, condition, index, combined, limit, cursor)

    def _page(
        self,
        tenant_id: str,
        condition: ConditionBase,
        index: str,
        filter_: ConditionBase | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[MeetingRequest], str | None]:
        start = decode_cursor(cursor, tenant_prefix=keys.tenant(tenant_id), index=index)
        found: list[Item] = []
        for _ in range(10):
            page, start = self.table.query(
                condition,
                index=index,
                limit=_PAGE if filter_ is not None else limit,
                start=start,
                filter_=filter_,
            )
            found.extend(page)
            if not start or len(found) >= limit:
                break
        if len(found) > limit:
            found = found[:limit]
            start = {k: found[-1][k] for k in ("PK", "SK", f"{index}PK", f"{index}SK")}
        return [MeetingRequest.model_validate(_body(i)) for i in found], encode_cursor(start)

    # -- writes ------------------------------------------------------------------------------------

    def send_writes(
        self,
        request: MeetingRequest,
        *,
        sender_type: str,
        receiver_type: str,
        limits: RequestLimits,
        expires_at: int | None,
    ) -> Writes:
        """The request, the pair taken (only if free), the sender's counters (only below the caps) and
        the sender type's rule (``may_request``: the receiver's type in its ``can_request`` and
        ``can_see``), all in one transaction."""
        t, rid = request.tenant_id, request.request_id
        now = iso(request.created_at)
        ttl = {"expires_at": expires_at} if expires_at is not None else {}
        item: Item = {
            "PK": keys.request_pk(t, rid),
            "SK": keys.REQUEST_SK,
            "GSI1PK": keys.event_requests_index(t, request.event_id),
            "GSI1SK": sent_sort_key(request.from_registration_id, rid, request.state),
            "GSI2PK": keys.received_requests_index(t, request.to_registration_id),
            "GSI2SK": received_sort_key(rid, request.state),
            "item_type": "meeting_request",
            **ttl,
            **request.model_dump(mode="json", exclude_none=True),
        }
        pair = Update(
            {
                "PK": keys.pair_pk(t, request.from_registration_id, request.to_registration_id),
                "SK": keys.PAIR_SK,
            },
            "request_pair",
            set={
                "item_type": "request_pair",
                "tenant_id": t,
                "event_id": request.event_id,
                "registration_ids": sorted((request.from_registration_id, request.to_registration_id)),
                "live_request_id": rid,
                "live_from": request.from_registration_id,
                "live_state": request.state,
                "updated_at": now,
                **ttl,
            },
            condition="attribute_not_exists(live_request_id)",
        )
        caps: list[str] = []
        values: dict[str, Any] = {}
        if limits.max_requests_sent is not None:
            caps.append("(attribute_not_exists(sent_count) OR sent_count < :max_sent)")
            values[":max_sent"] = limits.max_requests_sent
        if request.priority == 1 and limits.max_priority_one is not None:
            caps.append("(attribute_not_exists(priority_one_count) OR priority_one_count < :max_one)")
            values[":max_one"] = limits.max_priority_one
        counters = Update(
            {
                "PK": keys.registration_pk(t, request.from_registration_id),
                "SK": keys.REQUEST_COUNTERS_SK,
            },
            "request_counters",
            set={
                "item_type": "request_counters",
                "tenant_id": t,
                "event_id": request.event_id,
                "registration_id": request.from_registration_id,
                "updated_at": now,
                **ttl,
            },
            add={"sent_count": 1, **({"priority_one_count": 1} if request.priority == 1 else {})},
            condition=" AND ".join(caps) or None,
            values=values,
        )
        type_rule = Check(
            {"PK": keys.event_pk(t, request.event_id), "SK": keys.type_sk(sender_type)},
            "contains(can_request, :target) AND contains(can_see, :target)",
            {":target": receiver_type},
        )

        def explain(reasons: list[str]) -> Exception:
            if reasons[1] == CCF:
                return PairTaken(rid)
            if reasons[2] == CCF:
                return LimitReached(
                    "a cap of your participation type is reached",
                    errors=[
                        FieldError(
                            "priority" if request.priority == 1 else "to_registration_id", "cap reached"
                        )
                    ],
                )
            if reasons[3] == CCF:
                return ValidationFailed(
                    "your participation type may not request that company's type",
                    errors=[FieldError("to_registration_id", f"type {receiver_type!r} may not be requested")],
                )
            return Conflict("the meeting request could not be stored; retry")

        return Writes([Put(item, "attribute_not_exists(PK)"), pair, counters, type_rule], explain)

    def transition_writes(self, request: Ref, target: State, values: dict[str, Any]) -> Writes:
        """Move ``request`` from ``sent`` to ``target``: the request (only if still sent), the pair
        (approved keeps it live; any other end frees it) and, on an end, the sender's counters."""
        t, rid = request.tenant_id, request.request_id
        now = values["updated_at"]
        ops: list[Put | Update | Check] = [
            Update(
                {"PK": keys.request_pk(t, rid), "SK": keys.REQUEST_SK},
                "meeting_request",
                set={
                    **values,
                    "state": target,
                    "GSI1SK": sent_sort_key(request.from_registration_id, rid, target),
                    "GSI2SK": received_sort_key(rid, target),
                },
                add={"version": 1},
                condition="#st = :sent",
                values={":sent": "sent"},
                names={"#st": "state"},
            )
        ]
        pair_key = {
            "PK": keys.pair_pk(t, request.from_registration_id, request.to_registration_id),
            "SK": keys.PAIR_SK,
        }
        live = {":rid": rid}
        if target == "approved":
            ops.append(
                Update(
                    pair_key,
                    "request_pair",
                    set={"live_state": target, "updated_at": now},
                    condition="live_request_id = :rid",
                    values=live,
                )
            )
        else:
            if request.priority is None:
                raise ValueError("ending a request gives its counters back: its priority is needed")
            ops.append(
                Update(
                    pair_key,
                    "request_pair",
                    set={"last_request_id": rid, "last_state": target, "updated_at": now},
                    remove=("live_request_id", "live_from", "live_state"),
                    condition="live_request_id = :rid",
                    values=live,
                )
            )
            ops.append(
                Update(
                    {
                        "PK": keys.registration_pk(t, request.from_registration_id),
                        "SK": keys.REQUEST_COUNTERS_SK,
                    },
                    "request_counters",
                    set={"updated_at": now},
                    add={"sent_count": -1, **({"priority_one_count": -1} if request.priority == 1 else {})},
                    condition="attribute_exists(PK)",
                )
            )

        def explain(reasons: list[str]) -> Exception:
            if CCF in reasons[:2]:
                return InvalidTransition(f"the meeting request is no longer sent (asked: {target})")
            return Conflict("the meeting request could not be changed; retry")

        return Writes(ops, explain)

    def commit(self, writes: Writes) -> None:
        """Run the transaction; a conflict with another transaction is retried, a failed condition is
        explained (``writes.explain``)."""
        for attempt in range(_ATTEMPTS):
            try:
                self.table.transact(writes.ops)
                return
            except TransactionCancelled as exc:
                if CCF in exc.reasons or attempt == _ATTEMPTS - 1:
                    raise writes.explain(exc.reasons) from exc
                self.table.sleep(backoff_seconds(attempt + 1))

    def set_boost(
        self,
        tenant_id: str,
        event_id: str,
        registration_a: str,
        registration_b: str,
        boost: int,
        at: datetime,
        expires_at: int | None,
    ) -> None:
        self.table.update(
            Update(
                {"PK": keys.pair_pk(tenant_id, registration_a, registration_b), "SK": keys.PAIR_SK},
                "request_pair",
                set={
                    "item_type": "request_pair",
                    "tenant_id": tenant_id,
                    "event_id": event_id,
                    "registration_ids": sorted((registration_a, registration_b)),
                    "boost": boost,
                    "updated_at": iso(at),
                    **({"expires_at": expires_at} if expires_at is not None else {}),
                },
            )
        )

    def put_rules(
        self, tenant_id: str, event_id: str, rules: MatchmakingRules, version: int, at: datetime
    ) -> None:
        """Write version ``version`` of the caps, only over ``version - 1`` (or nothing): else 409."""
        item: Item = {
            "PK": keys.event_pk(tenant_id, event_id),
            "SK": keys.MATCHMAKING_SK,
            "item_type": "matchmaking_config",
            "tenant_id": tenant_id,
            "event_id": event_id,
            "limits": rules.model_dump(mode="json")["limits"],
            "version": version,
            "updated_at": iso(at),
        }
        condition = "attribute_not_exists(PK)" if version == 1 else "version = :previous"
        values = {} if version == 1 else {":previous": version - 1}
        try:
            self.table.put(Put(item, condition, values))
        except ConditionFailed as exc:
            raise Conflict("the caps were changed concurrently; reload and retry") from exc


def request_expiry(event_ends_at: datetime) -> int | None:
    """Requests, pairs and counters live as long as the event's registrations."""
    return registry.expires_at("meeting_request", event_ends_at)
