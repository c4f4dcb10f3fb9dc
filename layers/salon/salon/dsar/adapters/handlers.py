"""How each kind of store finds, exports and erases a person's data.

A handler is bound to one target of the registry walk (``salon.dsar.domain.targets``) by an entry in
``salon.dsar.adapters.coverage``. ``find`` returns the person's items (``None``: the store cannot be
searched by person, ``note`` says why), ``export`` the rows an access request hands over, ``erase``
applies the registry rule and returns how many items left the partitions it touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from salon.dsar.adapters.context import StoreContext
from salon.dsar.domain.person import Participation, Person
from salon.kernel import aws, keys
from salon.kernel.dynamo import Item, Table, Update
from salon.kernel.registry import Erasure
from salon.registration.domain.registrations import search_text

_KEY_FIELDS = frozenset({"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "expires_at", "task_token"})


def _row(item: Item) -> dict[str, Any]:
    return {k: v for k, v in sorted(item.items()) if k not in _KEY_FIELDS}


@dataclass(frozen=True)
class Handler:
    rule: Erasure
    note: str = ""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        return None

    def export(self, ctx: StoreContext, person: Person) -> list[dict[str, Any]]:
        return [_row(i) for i in self.find(ctx, person) or []]

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        return 0


@dataclass(frozen=True)
class NotSearchable(Handler):
    """Nothing to find by person: not personal, ids only, or gone by expiry (``note``)."""


KeyOf = Callable[[Person, Participation], tuple[str, str] | None]


def _delete(table: Table, items: Iterable[Item]) -> int:
    n = 0
    for item in items:
        table.delete(item["PK"], item["SK"])
        n += 1
    return n


@dataclass(frozen=True)
class KeyedItems(Handler):
    """Items at keys that follow from each participation (e.g. the participant, its profile)."""

    key_of: KeyOf = field(default=lambda person, p: None)
    audit: bool = False

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        wanted = {k for p in person.participations if (k := self.key_of(person, p)) is not None}
        table = ctx.audit_table if self.audit else ctx.table
        return table.batch_get([{"PK": pk, "SK": sk} for pk, sk in sorted(wanted)])

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        return _delete(ctx.table, found) if self.rule is Erasure.DELETE else 0


@dataclass(frozen=True)
class PersonItems(Handler):
    """Items of the person's own partition (keyed by the keyed hash of the e-mail)."""

    sk_prefix: str = ""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        pk = keys.person_pk(person.tenant_id, person.person_key)
        return ctx.table.query_all(Key("PK").eq(pk) & Key("SK").begins_with(self.sk_prefix), consistent=True)

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        return _delete(ctx.table, found) if self.rule is Erasure.DELETE else 0


@dataclass(frozen=True)
class ProcessingFlags(Handler):
    """Restriction and objection flags, in the person's registration partitions."""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        return [
            i
            for r in person.registration_ids
            for i in ctx.table.query_all(
                Key("PK").eq(keys.registration_pk(person.tenant_id, r))
                & Key("SK").begins_with(keys.FLAG_PREFIX),
                consistent=True,
            )
            if i["participant_id"] in person.participant_ids
        ]

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        return _delete(ctx.table, found)


@dataclass(frozen=True)
class HeldSheets(Handler):
    """Registrations held for an erased person's fresh consent that name the person (their e-mail
    claims lead to them): the person's own entry is exported, never a colleague's; erasure deletes the
    held sheet (nothing of it was stored yet; its link then answers 404)."""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        wanted = [
            {"PK": keys.registration_pk(person.tenant_id, r), "SK": keys.HELD_REGISTRATION_SK}
            for r in person.registration_ids
        ]
        return ctx.table.batch_get(wanted)

    def export(self, ctx: StoreContext, person: Person) -> list[dict[str, Any]]:
        return [
            {
                "registration_id": held["registration_id"],
                "event_id": held["event_id"],
                "company_name": held["held_sheet"].get("company_name"),
                "due_at": held["due_at"],
                "held_participants": [
                    p for p in held["held_participants"] if p["participant_id"] in person.participant_ids
                ],
            }
            for held in self.find(ctx, person) or []
        ]

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        return _delete(ctx.table, found)


@dataclass(frozen=True)
class EmailClaims(Handler):
    """The person index: one query finds the claims of every event of the tenant."""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        pk = keys.person_pk(person.tenant_id, person.person_key)
        return ctx.table.query_all(Key("GSI1PK").eq(pk), index="GSI1")

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        return _delete(ctx.table, found)


@dataclass(frozen=True)
class CompanySheets(Handler):
    """The registrations the person belongs to: deleted when the person was their only participant,
    else the person leaves the sheet's participant list and its search text."""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        wanted = [
            {"PK": keys.registration_pk(person.tenant_id, r), "SK": keys.REGISTRATION_SK}
            for r in person.registration_ids
        ]
        sheets = ctx.table.batch_get(wanted)
        return [s for s in sheets if person.participant_ids & set(s.get("participant_ids", []))]

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        deleted = 0
        for sheet in found:
            left = [p for p in sheet.get("participant_ids", []) if p not in person.participant_ids]
            if not left:
                ctx.table.delete(sheet["PK"], sheet["SK"])
                deleted += 1
                continue
            others = [
                i
                for i in ctx.table.query_all(
                    Key("PK").eq(sheet["PK"]) & Key("SK").begins_with("PARTICIPANT#"), consistent=True
                )
                if i["participant_id"] in left
            ]
            ctx.table.update(
                Update(
                    {"PK": sheet["PK"], "SK": sheet["SK"]},
                    "registration",
                    set={
                        "participant_ids": left,
                        "search_text": search_text(sheet, others),
                        # the erased person's re-qualification flag leaves the organiser's count
                        "requalification_overdue": sum(
                            1 for o in others if o.get("requalification_overdue_at")
                        ),
                    },
                    add={"version": 1},
                )
            )
        return deleted


ERASED_ACTOR = "erased"  # the sub an erased person's actions keep (who acted is gone, the role stays)


@dataclass(frozen=True)
class ParticipantLists(Handler):
    """Items of two companies naming the person's participant id in lists (meeting requests,
    meetings) or as the actor of a step: the other company's item stays, the person's ids leave it."""

    item_type: str = ""
    lists: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # attributes holding {"sub", "role", "participant_id"?}
    locate: Callable[[Table, Person], list[Item]] = field(default=lambda table, person: [])

    def _acted(self, person: Person, actor: Any) -> bool:
        return isinstance(actor, dict) and (
            actor.get("participant_id") in person.participant_ids or actor.get("sub") in person.user_subs
        )

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        ids = person.participant_ids
        return [
            i
            for i in self.locate(ctx.table, person)
            if any(ids & set(i.get(a, [])) for a in self.lists)
            or any(self._acted(person, i.get(a)) for a in self.actors)
        ]

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        ids = person.participant_ids
        for item in found:
            values: dict[str, Any] = {
                a: [p for p in item.get(a, []) if p not in ids] for a in self.lists if a in item
            }
            values.update(
                {
                    a: {"sub": ERASED_ACTOR, "role": item[a]["role"]}
                    for a in self.actors
                    if self._acted(person, item.get(a))
                }
            )
            ctx.table.update(Update({"PK": item["PK"], "SK": item["SK"]}, self.item_type, set=values))
        return 0


def requests_of(table: Table, person: Person) -> list[Item]:
    """The meeting requests the person's companies sent (event index) or received (company index)."""
    t = person.tenant_id
    found: dict[str, Item] = {}
    for p in person.participations:
        sent = table.query_all(
            Key("GSI1PK").eq(keys.event_requests_index(t, p.event_id))
            & Key("GSI1SK").begins_with(f"FROM#{p.registration_id}#"),
            index="GSI1",
        )
        received = table.query_all(
            Key("GSI2PK").eq(keys.received_requests_index(t, p.registration_id)), index="GSI2"
        )
        found.update({i["PK"]: i for i in (*sent, *received)})
    return table.batch_get([{"PK": pk, "SK": keys.REQUEST_SK} for pk in sorted(found)])


def meetings_of(table: Table, person: Person) -> list[Item]:
    return [
        i
        for e in person.event_ids
        for i in table.query_all(
            Key("PK").eq(keys.event_pk(person.tenant_id, e)) & Key("SK").begins_with("MEETING#"),
            consistent=True,
        )
    ]


@dataclass(frozen=True)
class CompanyInvoices(Handler):
    """The invoices and credit notes of the person's companies (GSI2 by registration): the buyer is
    the company, kept for the accounting obligation."""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        return [
            i
            for r in person.registration_ids
            for i in ctx.table.query_all(
                Key("GSI2PK").eq(keys.registration_invoices_index(person.tenant_id, r)), index="GSI2"
            )
        ]


def orders_placed_by(table: Table, person: Person) -> list[Item]:
    """The orders of the person's companies that the person placed (GSI1 by registration)."""
    subs = set(person.user_subs)
    return [
        i
        for r in person.registration_ids
        for i in table.query_all(
            Key("GSI1PK").eq(keys.registration_orders_index(person.tenant_id, r)), index="GSI1"
        )
        if i.get("placed_by") in subs
    ]


@dataclass(frozen=True)
class PlacedOrders(Handler):
    """The orders the person placed for a company, or their payments and refunds (``item_type``):
    the buyer is the company, kept for the accounting obligation."""

    item_type: str = "order"

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        orders = orders_placed_by(ctx.table, person)
        if self.item_type == "order":
            return orders
        return [
            i
            for o in orders
            for i in ctx.table.query_all(Key("PK").eq(o["PK"]), consistent=True)
            if i["item_type"] == self.item_type
        ]


@dataclass(frozen=True)
class Deliveries(Handler):
    """The delivery log of each of the person's participants (its own partition; deleting an item
    takes its unsubscribe locator along)."""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        return [
            i
            for pid in sorted(person.participant_ids)
            for i in ctx.table.query_all(
                Key("PK").eq(keys.delivery_pk(person.tenant_id, pid)), consistent=True
            )
        ]

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        return _delete(ctx.table, found)


@dataclass(frozen=True)
class Suppressed(Handler):
    """The tenant's suppression entries naming the person's participants: erasure removes the
    participant id and keeps the keyed hash, so the opt-out outlives the person."""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        entries = ctx.table.query_all(Key("PK").eq(keys.suppression_pk(person.tenant_id)), consistent=True)
        return [i for i in entries if i.get("participant_id") in person.participant_ids]

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        for item in found:
            key = {"PK": item["PK"], "SK": item["SK"]}
            ctx.table.update(Update(key, "suppression", remove=("participant_id",)))
        return 0


@dataclass(frozen=True)
class AuditSubjects(Handler):
    """The audit trail names the person's participant ids (index items, then their records)."""

    records: bool = False

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        t = person.tenant_id
        subjects = [
            i
            for pid in sorted(person.participant_ids)
            for i in ctx.audit_table.query_all(Key("PK").eq(keys.audit_subject_pk(t, pid)), consistent=True)
        ]
        if not self.records:
            return subjects
        # One query per record: the audit trail's roles may query and append, nothing else.
        return [
            record
            for a in sorted({s["audit_id"] for s in subjects})
            for record in ctx.audit_table.query_all(Key("PK").eq(keys.audit_record_pk(t, a)), consistent=True)
        ]


@dataclass(frozen=True)
class DsarRecords(Handler):
    """The person's other data-subject requests (by the keyed hash: GSI2)."""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        pk = keys.person_pk(person.tenant_id, person.person_key)
        found = ctx.table.query_all(Key("GSI2PK").eq(pk), index="GSI2")
        return [i for i in found if i["dsar_id"] != person.request_id]


@dataclass(frozen=True)
class LoginAccounts(Handler):
    """The person's Cognito accounts: by the usernames the participants name, and the participant
    username of the e-mail (while the request holds it)."""

    def _usernames(self, person: Person) -> list[str]:
        from salon.kernel.usernames import participant_username

        names = [p.cognito_username for p in person.participations if p.cognito_username]
        if person.email:
            names.append(participant_username(person.tenant_id, person.email))
        return list(dict.fromkeys(names))

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        found: list[Item] = []
        for username in self._usernames(person):
            try:
                user = aws.cognito().admin_get_user(UserPoolId=ctx.user_pool_id, Username=username)
            except ClientError as exc:
                if exc.response["Error"]["Code"] == "UserNotFoundException":
                    continue
                raise
            attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
            found.append({"username": user["Username"], "enabled": user.get("Enabled"), **attributes})
        return found

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        for user in found:
            aws.cognito().admin_delete_user(UserPoolId=ctx.user_pool_id, Username=user["username"])
        return 0


@dataclass(frozen=True)
class CatalogueCards(Handler):
    """The search index's cards naming the person; erased by rebuilding each card from the table."""

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        from salon.matchmaking.domain.visibility import staff_viewer
        from salon.registration.adapters.events_repo import EventsRepository

        events = EventsRepository(ctx.table)
        index = ctx.catalogue()
        found: list[Item] = []
        for p in person.participations:
            types = [t.code for t in events.list_types(person.tenant_id, p.event_id)]
            card = index.card(p.registration_id, staff_viewer(person.tenant_id, p.event_id, types))
            if card is not None and any(x.participant_id == p.participant_id for x in card.people):
                found.append(card.model_dump(mode="json"))
        return found

    def erase(self, ctx: StoreContext, person: Person, found: list[Item]) -> int:
        from salon.matchmaking.services.indexing import reindex_registration

        for registration_id in {str(card["registration_id"]) for card in found}:
            reindex_registration(person.tenant_id, registration_id)
        return 0
