"""Registrations held for an erased person's fresh consent: the held sheet and its consent requests,
in the registration's own partition (not in the organiser's index), each request found by the SHA-256
of its link's token. Releasing one stores it as a submission (``SubmissionsRepository``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import Key

from salon.kernel import keys
from salon.kernel.dynamo import Delete, Item, Put, TransactionCancelled, Update
from salon.kernel.errors import Conflict
from salon.kernel.person_key import person_key
from salon.registration.adapters.submissions_repo import SubmissionsRepository, claims, duplicates
from salon.registration.domain.consent import CONFIRMED, PENDING

_UNCHANGED = "version = :version"


class ConsentsRepository(SubmissionsRepository):
    def hold(self, held: dict[str, Any], requests: list[dict[str, Any]], also: Sequence[Put]) -> bool:
        """The held sheet, its e-mail claims (until it expires: the event's e-mails are taken as by any
        registration, so a second one of the same e-mail is refused the same way), one request per
        erased participant and ``also`` (their events), in one transaction; False when this
        registration is already held (an idempotent retry)."""
        tenant_id, rid = held["tenant_id"], held["registration_id"]
        pk = keys.registration_pk(tenant_id, rid)
        absent = "attribute_not_exists(PK)"
        people = held["held_participants"]
        hashes = [person_key(tenant_id, p["email"]) for p in people]
        ops = [
            Put(
                {"PK": pk, "SK": keys.HELD_REGISTRATION_SK, "item_type": "held_registration", **held}, absent
            ),
            *claims(tenant_id, held["held_sheet"], people, hashes, held["expires_at"]),
            *(
                Put(
                    {
                        "PK": pk,
                        "SK": keys.consent_sk(r["participant_id"]),
                        "GSI2PK": keys.consent_locator(r["token_hash"]),
                        "GSI2SK": keys.CONSENT_LOCATOR_SK,
                        "item_type": "consent_request",
                        "status": PENDING,
                        **r,
                    },
                    absent,
                )
                for r in requests
            ),
            *also,
        ]
        try:
            self.table.transact(ops)
        except TransactionCancelled as exc:
            failed = [i for i, code in enumerate(exc.reasons) if code == "ConditionalCheckFailed"]
            if 0 in failed:
                return False
            taken = [i - 1 for i in failed if 1 <= i <= len(people)]
            if taken:
                raise duplicates(taken) from exc
            raise Conflict("the registration could not be stored; retry") from exc
        return True

    def held(self, tenant_id: str, registration_id: str) -> Item | None:
        return self.table.get(keys.registration_pk(tenant_id, registration_id), keys.HELD_REGISTRATION_SK)

    def by_token_hash(self, token_hash: str) -> Item | None:
        """The request a link names, read again consistently (the index may lag behind a confirmation)."""
        found, _ = self.table.query(Key("GSI2PK").eq(keys.consent_locator(token_hash)), index="GSI2", limit=1)
        if not found:
            return None
        item = self.table.get(found[0]["PK"], found[0]["SK"])
        return item if item is not None and item.get("token_hash") == token_hash else None

    @staticmethod
    def _settle(request: Item, at: str) -> Update:
        return Update(
            {"PK": request["PK"], "SK": request["SK"]},
            "consent_request",
            set={"status": CONFIRMED, "consented_at": at, "updated_at": at},
            condition="#status = :pending",
            values={":pending": PENDING},
            names={"#status": "status"},
        )

    def record_consent(self, request: Item, held: Item, awaiting: list[str], at: str) -> None:
        """One erased participant consented, others not yet: the request settled and the held sheet
        told, in one transaction (409 if either changed since they were read)."""
        update = Update(
            {"PK": held["PK"], "SK": held["SK"]},
            "held_registration",
            set={
                "awaiting": awaiting,
                "consents": {**held.get("consents", {}), request["participant_id"]: at},
                "version": int(held["version"]) + 1,
            },
            condition=_UNCHANGED,
            values={":version": held["version"]},
        )
        try:
            self.table.transact([self._settle(request, at), update])
        except TransactionCancelled as exc:
            raise Conflict("the consent crossed another one; retry") from exc

    def release(
        self,
        request: Item,
        held: Item,
        participants: list[dict[str, Any]],
        lifted: Sequence[str],
        also: Sequence[Put],
        at: str,
    ) -> None:
        """The last consent: the request settled, the held sheet gone, the erased participants'
        tombstones (``lifted``, person keys) deleted and the registration stored as a submission with
        ``also`` (its event, the audit record of the lifting), all in one transaction."""
        release = Delete({"PK": held["PK"], "SK": held["SK"]}, _UNCHANGED, {":version": held["version"]})
        self.create(
            str(held["tenant_id"]),
            dict(held["held_sheet"]),
            participants,
            also=[self._settle(request, at), release, *also],
            lifted=lifted,
        )
