"""New registrations: the sheet, its participants and one e-mail claim each, in one transaction.

Apart from ``registrations_repo`` because an e-mail claim is keyed by the person key (a secret): only
the submitting code (the register function) reaches it, and only that function's role may read it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, NoReturn

from salon.kernel import keys
from salon.kernel.domain_events import EventDetail
from salon.kernel.dynamo import Check, Delete, Put, TransactionCancelled, Update, backoff_seconds
from salon.kernel.errors import Conflict, DuplicateEmail, FieldError
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.person_key import person_key
from salon.registration.adapters.registrations_repo import RegistrationsRepository


class RegistrationExists(Exception):
    """The registration id is already stored (an idempotent retry resumes from it)."""


def submitted_event(tenant_id: str, registration: dict[str, Any], at: datetime) -> Put:
    """The ``registration.submitted`` outbox item, to store with the registration it announces."""
    rid = registration["registration_id"]
    detail = EventDetail(
        tenant_id=tenant_id,
        dedupe_id=dedupe_id(tenant_id, rid, "submitted"),
        event_id=registration["event_id"],
        registration_id=rid,
        participant_ids=tuple(registration["participant_ids"]),
        type=registration["type"],
    )
    return event_put("registration.submitted", detail, at)


def claims(
    tenant_id: str,
    registration: dict[str, Any],
    participants: list[dict[str, Any]],
    hashes: list[str],
    expires: int | None,
) -> list[Put]:
    """One e-mail claim per participant (by the keyed hash of the e-mail), indexed by person. A claim
    of the same registration is its own: a held registration's claims pass to it once stored."""
    rid, eid = registration["registration_id"], registration["event_id"]
    return [
        Put(
            {
                "PK": keys.event_pk(tenant_id, eid),
                "SK": keys.email_sk(hashed),
                "GSI1PK": keys.person_pk(tenant_id, hashed),
                "GSI1SK": keys.claim_sort(eid),
                "item_type": "email_claim",
                "tenant_id": tenant_id,
                **({"expires_at": expires} if expires is not None else {}),
                "email_hash": hashed,
                "participant_id": participant["participant_id"],
                "registration_id": rid,
                "event_id": eid,
            },
            "attribute_not_exists(PK) OR registration_id = :rid",
            {":rid": rid},
        )
        for participant, hashed in zip(participants, hashes, strict=True)
    ]


def duplicates(positions: list[int]) -> DuplicateEmail:
    """The participants (positions) whose e-mail another registration of the event claims."""
    return DuplicateEmail(
        "an e-mail address is already registered for this event",
        errors=[
            FieldError(f"participants[{i}].email", "already registered for this event") for i in positions
        ],
    )


class ErasedParticipants(Exception):
    """Participants (their positions) whose e-mail belongs to a person erased at their request: the
    registration waits for their fresh consent (``salon.registration.domain.consent``)."""

    def __init__(self, positions: list[int]) -> None:
        super().__init__(f"erased participants at {positions}")
        self.positions = positions


class SubmissionsRepository(RegistrationsRepository):
    """Every write of registrations, and storing new ones."""

    def create(
        self,
        tenant_id: str,
        registration: dict[str, Any],
        participants: list[dict[str, Any]],
        also: Sequence[Put | Update | Delete] = (),
        lifted: Collection[str] = (),
    ) -> None:
        """One transaction: the sheet, its participants, one e-mail claim each (indexed by person, the
        person index a data-subject request walks), a check that no e-mail belongs to a person erased
        at their request (tombstone) but those whose fresh consent lifts it (``lifted``, person keys:
        their tombstone is deleted instead), and ``also`` (e.g. the outbox item announcing it)."""
        ops = self._writes(tenant_id, registration, participants, lifted)
        ops.extend(also)
        rid = registration["registration_id"]
        for attempt in range(4):
            try:
                self.table.transact(ops)
                return
            except TransactionCancelled as exc:
                if "ConditionalCheckFailed" in exc.reasons or attempt == 3:
                    self._explain(exc, rid, len(participants))
                # Two registrations claiming the same e-mail at once conflict: back off and retry
                # (the retry then fails on the claim's condition and explains the duplicate).
                self.table.sleep(backoff_seconds(attempt + 1))

    @staticmethod
    def _writes(
        tenant_id: str,
        registration: dict[str, Any],
        participants: list[dict[str, Any]],
        lifted: Collection[str],
    ) -> list[Put | Update | Check | Delete]:
        """The sheet, then each participant, each e-mail claim, each tombstone check (in that order:
        ``_explain`` reads the cancellation reasons by position)."""
        rid, eid = registration["registration_id"], registration["event_id"]
        pk = keys.registration_pk(tenant_id, rid)
        absent = "attribute_not_exists(PK)"
        ops: list[Put | Update | Check | Delete] = [
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
        ops.extend(claims(tenant_id, registration, participants, hashes, registration.get("expires_at")))
        for hashed in hashes:
            tombstone = {"PK": keys.person_pk(tenant_id, hashed), "SK": keys.TOMBSTONE_SK}
            ops.append(Delete(tombstone) if hashed in lifted else Check(tombstone, absent))
        return ops

    @staticmethod
    def _explain(exc: TransactionCancelled, rid: str, n: int) -> NoReturn:
        """Turn the cancellation reasons (one per operation, in order) into a domain error."""
        failed = [i for i, code in enumerate(exc.reasons) if code == "ConditionalCheckFailed"]
        if 0 in failed:
            raise RegistrationExists(rid) from exc
        dupes = [i - 1 - n for i in failed if 1 + n <= i < 1 + 2 * n]
        if dupes:
            raise duplicates(dupes) from exc
        erased = [i - 1 - 2 * n for i in failed if 1 + 2 * n <= i < 1 + 3 * n]
        if erased:
            raise ErasedParticipants(erased) from exc
        raise Conflict("the registration could not be stored; retry") from exc
