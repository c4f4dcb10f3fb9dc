"""Who to notify: participants of a company as recipients (address, first name, locale, company,
verified mobile), read from the table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import Table
from salon.notify.domain.mailings import UNMAILABLE_FLAGS, completeness_matches, unmailable
from salon.notify.domain.messages import Recipient
from salon.registration.adapters.registrations_reader import RegistrationsReader


class Directory:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.reader = RegistrationsReader(table)

    def company(
        self,
        tenant_id: str,
        registration_id: str,
        only: Iterable[str] = (),
        *,
        mobiles: bool = True,
        mailing: bool = False,
    ) -> tuple[str, list[Recipient], str | None]:
        """The company's name, its active participants (only those named, if any; for a mailing, not
        those under a restriction or objection) and the decision reason of its registration."""
        bundle = self.reader.bundle(tenant_id, registration_id)
        if bundle is None:
            return "", [], None
        wanted = set(only)
        skipped = unmailable(bundle.flags) if mailing else frozenset()
        company = str(bundle.registration.get("company_name", ""))
        people = [
            p
            for p in bundle.participants
            if p.get("account_status") != "deactivated"
            and (not wanted or p["participant_id"] in wanted)
            and p["participant_id"] not in skipped
        ]
        numbers = self.verified_mobiles(tenant_id, [p["participant_id"] for p in people]) if mobiles else {}
        recipients = [recipient(p, bundle.registration, numbers) for p in people if p.get("email")]
        return company, recipients, bundle.registration.get("decision_reason")

    def audience(
        self,
        tenant_id: str,
        event_id: str,
        states: list[str],
        types: list[str],
        completeness: str | None = None,
    ) -> list[Recipient]:
        """The active participants of the event's companies in these states (types, completeness), by
        id; not those under a restriction or objection (a mailing is direct marketing)."""
        sheets: list[dict[str, Any]] = []
        for state in states:
            cursor: str | None = None
            while True:
                page, cursor = self.reader.list_for_event(
                    tenant_id, event_id, state=state, type_=None, text=None, limit=200, cursor=cursor
                )
                sheets += [
                    s
                    for s in page
                    if (not types or s.get("type") in types) and completeness_matches(completeness, s)
                ]
                if cursor is None:
                    break
        people = self.reader.participants_of(tenant_id, sheets)
        skipped = self._flagged(tenant_id, sheets)
        out = [
            recipient(p, sheet, {})
            for sheet in sheets
            for p in people.get(sheet["registration_id"], [])
            if p.get("account_status") != "deactivated"
            and p.get("email")
            and p["participant_id"] not in skipped
        ]
        return sorted(out, key=lambda r: r.participant_id)

    def _flagged(self, tenant_id: str, sheets: list[dict[str, Any]]) -> frozenset[str]:
        """The sheets' participants under a flag that stops mailings (one batch read of their keys)."""
        wanted = [
            {"PK": keys.registration_pk(tenant_id, s["registration_id"]), "SK": keys.flag_sk(kind, pid)}
            for s in sheets
            for pid in s.get("participant_ids", [])
            for kind in UNMAILABLE_FLAGS
        ]
        flags: dict[str, set[str]] = {}
        for flag in self.table.batch_get(wanted):
            flags.setdefault(str(flag["kind"]), set()).add(str(flag["participant_id"]))
        return unmailable({k: frozenset(v) for k, v in flags.items()})

    def mailable(self, tenant_id: str, wanted: Iterable[tuple[str, str]]) -> dict[str, Recipient]:
        """Participant id -> recipient, for the (participant, registration) pairs still mailable: active,
        with an address, under no restriction or objection. One consistent batch read for them all."""
        registration_of = dict(wanted)
        reads = [
            {"PK": keys.registration_pk(tenant_id, rid), "SK": sk}
            for pid, rid in registration_of.items()
            for sk in (
                keys.REGISTRATION_SK,
                keys.participant_sk(pid),
                *(keys.flag_sk(kind, pid) for kind in UNMAILABLE_FLAGS),
            )
        ]
        sheets: dict[str, dict[str, Any]] = {}
        people: list[dict[str, Any]] = []
        flags: dict[str, set[str]] = {}
        for item in self.table.batch_get(list({(k["PK"], k["SK"]): k for k in reads}.values())):
            if item["item_type"] == "registration":
                sheets[str(item["registration_id"])] = item  # (the sheet holds its own id)
            elif item["item_type"] == "participant":
                people.append(item)
            elif item["item_type"] == "processing_flag":
                flags.setdefault(str(item["kind"]), set()).add(str(item["participant_id"]))
        skipped = unmailable({k: frozenset(v) for k, v in flags.items()})
        return {
            pid: recipient(p, sheets[registration_of[pid]], {})
            for p in people
            if (pid := str(p["participant_id"])) in registration_of
            and registration_of[pid] in sheets
            and p.get("account_status") != "deactivated"
            and p.get("email")
            and p["participant_id"] not in skipped
        }

    def registration_of(self, tenant_id: str, participant_id: str) -> str | None:
        items, _ = self.table.query(
            Key("GSI2PK").eq(keys.participant_index(tenant_id, participant_id)), index="GSI2", limit=20
        )
        found = next((i for i in items if i.get("item_type") == "participant"), None)
        return str(found["registration_id"]) if found else None

    def verified_mobiles(self, tenant_id: str, participant_ids: list[str]) -> dict[str, str]:
        if not participant_ids:
            return {}
        items = self.table.batch_get(
            [{"PK": keys.mobile_pk(tenant_id, pid), "SK": keys.MOBILE_SK} for pid in participant_ids]
        )
        return {str(i["participant_id"]): str(i["number"]) for i in items if i.get("verified_at")}


def recipient(person: Mapping[str, Any], sheet: Mapping[str, Any], mobiles: Mapping[str, str]) -> Recipient:
    """A participant as notifications see them (``mobiles``: verified numbers by participant)."""
    return Recipient(
        participant_id=person["participant_id"],
        email=person["email"],
        first_name=person.get("first_name", ""),
        locale="fr" if person.get("locale", sheet.get("locale")) == "fr" else "en",
        company=str(sheet.get("company_name", "")),
        mobile=mobiles.get(person["participant_id"]),
        last_name=person.get("last_name", ""),
        registration_id=str(sheet.get("registration_id", "")),
    )
