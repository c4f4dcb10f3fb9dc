"""Finding a person of a tenant by e-mail: the person index (GSI1 over the e-mail claims, keyed by the
tenant's keyed hash), then the participant items it names; no scan of the tenant."""

from __future__ import annotations

from boto3.dynamodb.conditions import Key

from salon.dsar.domain.person import Participation, Person
from salon.kernel import keys
from salon.kernel.dynamo import Table


class People:
    def __init__(self, table: Table) -> None:
        self.table = table

    def find(self, tenant_id: str, person_key: str, email: str | None, request_id: str) -> Person:
        claims = self.table.query_all(Key("GSI1PK").eq(keys.person_pk(tenant_id, person_key)), index="GSI1")
        participants = self.table.batch_get(
            [
                {
                    "PK": keys.registration_pk(tenant_id, c["registration_id"]),
                    "SK": keys.participant_sk(c["participant_id"]),
                }
                for c in claims
            ]
        )
        by_id = {p["participant_id"]: p for p in participants}
        participations = tuple(
            Participation(
                participant_id=c["participant_id"],
                registration_id=c["registration_id"],
                event_id=c["event_id"],
                user_sub=by_id.get(c["participant_id"], {}).get("user_sub"),
                cognito_username=by_id.get(c["participant_id"], {}).get("cognito_username"),
                locale=by_id.get(c["participant_id"], {}).get("locale"),
            )
            for c in sorted(claims, key=lambda c: str(c["participant_id"]))
        )
        return Person(tenant_id, person_key, email, participations, request_id)
