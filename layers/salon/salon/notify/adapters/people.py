"""Who to notify: participants of a company as recipients (address, first name, locale, company,
verified mobile), read from the table."""

from __future__ import annotations

from collections.abc import Iterable

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import Table
from salon.notify.domain.messages import Recipient
from salon.registration.adapters.registrations_reader import RegistrationsReader


class Directory:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.reader = RegistrationsReader(table)

    def company(
        self, tenant_id: str, registration_id: str, only: Iterable[str] = ()
    ) -> tuple[str, list[Recipient], str | None]:
        """The company's name, its active participants (only those named, if any) and the decision
        reason of its registration."""
        bundle = self.reader.bundle(tenant_id, registration_id)
        if bundle is None:
            return "", [], None
        wanted = set(only)
        company = str(bundle.registration.get("company_name", ""))
        people = [
            p
            for p in bundle.participants
            if p.get("account_status") != "deactivated" and (not wanted or p["participant_id"] in wanted)
        ]
        mobiles = self.verified_mobiles(tenant_id, [p["participant_id"] for p in people])
        recipients = [
            Recipient(
                participant_id=p["participant_id"],
                email=p["email"],
                first_name=p.get("first_name", ""),
                locale="fr" if p.get("locale", bundle.registration.get("locale")) == "fr" else "en",
                company=company,
                mobile=mobiles.get(p["participant_id"]),
            )
            for p in people
            if p.get("email")
        ]
        return company, recipients, bundle.registration.get("decision_reason")

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
