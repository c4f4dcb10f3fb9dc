"""New registrations: the sheet, its participants and one e-mail claim each, in one transaction.

Apart from ``registrations_repo`` because an e-mail claim is keyed by the person key (a secret): only
the submitting code (the register function) reaches it, and only that function's role may read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from salon.kernel import keys
from salon.kernel.dynamo import Check, Put, TransactionCancelled, backoff_seconds
from salon.kernel.errors import Conflict, DuplicateEmail, ErasedPerson, FieldError
from salon.kernel.person_key import person_key
from salon.registration.adapters.registrations_repo import RegistrationsRepository


class RegistrationExists(Exception):
    """The registration id is already stored (an idempotent retry resumes from it)."""


class SubmissionsRepository(RegistrationsRepository):
    """Every write of registrations, and storing new ones."""

    def create(
        self,
        tenant_id: str,
        registration: dict[str, Any],
        participants: list[dict[str, Any]],
        also: Sequence[Put] = (),
    ) -> None:
        """One transaction: the sheet, its participants, one e-mail claim each (indexed by person, the
        person index a data-subject request walks), a check that no e-mail belongs to a person erased
        at their request (tombstone), and ``also`` (e.g. the outbox item announcing it)."""
        rid, eid = registration["registration_id"], registration["event_id"]
        pk = keys.registration_pk(tenant_id, rid)
        absent = "attribute_not_exists(PK)"
        ops: list[Put | Check] = [
            Put(
                {
                    "PK": pk,
                    "SK": keys.REGISTRATION_SK,
                    "GSI1PK": keys.registrations_index(tenant_id, eid),
                    "GSI1SK": f"{registration['created_at']}#{rid}",
                    "item_type": "registration",
                    "tenant_id": tenant_id,
                    **registration,
                },
                absent,
            )
        ]
        for participant in participants:
            pid = participant["participant_id"]
            ops.append(
                Put(
                    {
                        "PK": pk,
                        "SK": keys.participant_sk(pid),
                        "GSI2PK": keys.participant_index(tenant_id, pid),
                        "GSI2SK": keys.participant_sk(pid),
                        **(
                            keys.contact_verified_keys(participant["last_verified_at"], tenant_id, rid, pid)
                            if "last_verified_at" in participant
                            else {}
                        ),
                        "item_type": "participant",
                        "tenant_id": tenant_id,
                        **participant,
                    },
                    absent,
                )
            )
        hashes = [person_key(tenant_id, participant["email"]) for participant in participants]
        for participant, hashed in zip(participants, hashes, strict=True):
            ops.append(
                Put(
                    {
                        "PK": keys.event_pk(tenant_id, eid),
                        "SK": keys.email_sk(hashed),
                        "GSI1PK": keys.person_pk(tenant_id, hashed),
                        "GSI1SK": keys.claim_sort(eid),
                        "item_type": "email_claim",
                        "tenant_id": tenant_id,
                        **(
                            {"expires_at": registration["expires_at"]} if "expires_at" in registration else {}
                        ),
                        "email_hash": hashed,
                        "participant_id": participant["participant_id"],
                        "registration_id": rid,
                        "event_id": eid,
                    },
                    absent,
                )
            )
        ops.extend(
            Check(
                {"PK": keys.person_pk(tenant_id, hashed), "SK": keys.TOMBSTONE_SK}, "attribute_not_exists(PK)"
            )
            for hashed in hashes
        )
        ops.extend(also)
        for attempt in range(4):
            try:
                self.table.transact([*ops])
                return
            except TransactionCancelled as exc:
                if "ConditionalCheckFailed" in exc.reasons or attempt == 3:
                    self._explain(exc, rid, len(participants))
                # Two registrations claiming the same e-mail at once conflict: back off and retry
                # (the retry then fails on the claim's condition and explains the duplicate).
                self.table.sleep(backoff_seconds(attempt + 1))

    @staticmethod
    def _explain(exc: TransactionCancelled, rid: str, n: int) -> NoReturn:
        """Turn the cancellation reasons (one per operation, in order) into a domain error."""
        failed = [i for i, code in enumerate(exc.reasons) if code == "ConditionalCheckFailed"]
        if 0 in failed:
            raise RegistrationExists(rid) from exc
        dupes = [i - 1 - n for i in failed if 1 + n <= i < 1 + 2 * n]
        if dupes:
            raise DuplicateEmail(
                "an e-mail address is already registered for this event",
                errors=[
                    FieldError(f"participants[{i}].email", "already registered for this event") for i in dupes
                ],
            ) from exc
        erased = [i - 1 - 2 * n for i in failed if 1 + 2 * n <= i < 1 + 3 * n]
        if erased:
            raise ErasedPerson(
                "a person was erased at their request: a fresh consent is needed to register them again",
                errors=[
                    FieldError(f"participants[{i}].email", "erased at the person's request") for i in erased
                ],
            ) from exc
        raise Conflict("the registration could not be stored; retry") from exc
