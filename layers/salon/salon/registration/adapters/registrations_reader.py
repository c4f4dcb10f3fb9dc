"""Reading registrations, participants, profiles and user links: what the areas that only read them
(the catalogue) use, without the writes' dependencies (the e-mail claims' keyed hash)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from boto3.dynamodb.conditions import Attr, ConditionBase, Key

from salon.kernel import keys
from salon.kernel.dynamo import Item, Table, decode_cursor, encode_cursor
from salon.kernel.dynamo_reads import body
from salon.kernel.user_links import UserLinks

_PAGE = 200


@dataclass
class Bundle:
    registration: dict[str, Any]
    participants: list[dict[str, Any]] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Participant ids under a processing flag (a data-subject request): kind -> ids.
    flags: dict[str, frozenset[str]] = field(default_factory=dict)

    def listed(self) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        """The participants and profiles the catalogue and suggestions may use: a restricted person
        is left out, an objecting person's profile is not used for suggestions."""
        restricted = self.flags.get("restriction", frozenset())
        unused = restricted | self.flags.get("objection", frozenset())
        participants = [p for p in self.participants if p["participant_id"] not in restricted]
        return participants, {k: v for k, v in self.profiles.items() if k not in unused}


class RegistrationsReader:
    def __init__(self, table: Table) -> None:
        self.table = table

    def bundle(self, tenant_id: str, registration_id: str) -> Bundle | None:
        items = self.table.query_all(
            Key("PK").eq(keys.registration_pk(tenant_id, registration_id)), consistent=True
        )
        registration = next((i for i in items if i["item_type"] == "registration"), None)
        if registration is None:
            return None
        participants = sorted(
            (body(i) for i in items if i["item_type"] == "participant"),
            key=lambda p: int(p.get("position", 0)),
        )
        profiles = {i["participant_id"]: body(i) for i in items if i["item_type"] == "profile"}
        flags: dict[str, set[str]] = {}
        for flag in (i for i in items if i["item_type"] == "processing_flag"):
            flags.setdefault(flag["kind"], set()).add(flag["participant_id"])
        return Bundle(body(registration), participants, profiles, {k: frozenset(v) for k, v in flags.items()})

    def list_for_event(
        self,
        tenant_id: str,
        event_id: str,
        *,
        state: str | None,
        type_: str | None,
        text: str | None,
        limit: int,
        cursor: str | None,
        requalification_overdue: bool = False,
    ) -> tuple[list[dict[str, Any]], str | None]:
        start = decode_cursor(cursor, tenant_prefix=keys.tenant(tenant_id), index="GSI1")
        filters: list[ConditionBase] = []
        if state:
            filters.append(Attr("state").eq(state))
        if type_:
            filters.append(Attr("type").eq(type_))
        if text:
            filters.append(Attr("search_text").contains(text))
        if requalification_overdue:  # a participant did not confirm their data in time
            filters.append(Attr("requalification_overdue").gt(0))
        combined: ConditionBase | None = None
        for condition in filters:
            combined = condition if combined is None else combined & condition
        found: list[Item] = []
        for _ in range(10):
            page, start = self.table.query(
                Key("GSI1PK").eq(keys.registrations_index(tenant_id, event_id)),
                index="GSI1",
                limit=_PAGE,
                start=start,
                filter_=combined,
            )
            found.extend(page)
            if not start or len(found) >= limit:
                break
        if len(found) > limit:
            # Resume right after the last item returned (its keys are its position in GSI1).
            found = found[:limit]
            start = {k: found[-1][k] for k in ("PK", "SK", "GSI1PK", "GSI1SK")}
        return [body(i) for i in found], encode_cursor(start)

    def participants_of(
        self, tenant_id: str, registrations: list[dict[str, Any]]
    ) -> dict[str, list[dict[str, Any]]]:
        """The participants of a page of registrations, in one batch read (ids come from the sheets)."""
        wanted = [
            {"PK": keys.registration_pk(tenant_id, r["registration_id"]), "SK": keys.participant_sk(pid)}
            for r in registrations
            for pid in r.get("participant_ids", [])
        ]
        out: dict[str, list[dict[str, Any]]] = {r["registration_id"]: [] for r in registrations}
        for item in self.table.batch_get(wanted):
            out.setdefault(item["registration_id"], []).append(body(item))
        for people in out.values():
            people.sort(key=lambda p: int(p.get("position", 0)))
        return out

    def links_of(self, tenant_id: str, user_sub: str) -> list[dict[str, Any]]:
        return UserLinks(self.table).of(tenant_id, user_sub)
