"""Registrations, participants, profiles, e-mail claims and user links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from salon.kernel import keys
from salon.kernel.dynamo import (
    ConditionFailed,
    Put,
    TransactionCancelled,
    Update,
    backoff_seconds,
)
from salon.kernel.errors import Conflict, DuplicateEmail, FieldError, InvalidTransition
from salon.kernel.person_key import person_key
from salon.registration.adapters.registrations_reader import Bundle, RegistrationsReader, body

__all__ = ["Bundle", "RegistrationExists", "RegistrationsRepository", "body"]


class RegistrationExists(Exception):
    """The registration id is already stored (an idempotent retry resumes from it)."""


class RegistrationsRepository(RegistrationsReader):
    """The reads (RegistrationsReader) and every write of registrations."""

    def create(
        self,
        tenant_id: str,
        registration: dict[str, Any],
        participants: list[dict[str, Any]],
        also: Sequence[Put] = (),
    ) -> None:
        """One transaction: the sheet, its participants, one e-mail claim each, and ``also`` (e.g. the
        outbox item announcing it)."""
        rid, eid = registration["registration_id"], registration["event_id"]
        pk = keys.registration_pk(tenant_id, rid)
        absent = "attribute_not_exists(PK)"
        ops: list[Put] = [
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
                        "item_type": "participant",
                        "tenant_id": tenant_id,
                        **participant,
                    },
                    absent,
                )
            )
        for participant in participants:
            hashed = person_key(tenant_id, participant["email"])
            ops.append(
                Put(
                    {
                        "PK": keys.event_pk(tenant_id, eid),
                        "SK": keys.email_sk(hashed),
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
        raise Conflict("the registration could not be stored; retry") from exc

    def decide(
        self,
        tenant_id: str,
        registration_id: str,
        expected: str,
        values: dict[str, Any],
        also: Sequence[Put] = (),
    ) -> None:
        """The state change, conditioned on the current state, in one transaction with ``also``."""
        decision = Update(
            {"PK": keys.registration_pk(tenant_id, registration_id), "SK": keys.REGISTRATION_SK},
            "registration",
            set=values,
            add={"version": 1},
            condition="#st = :expected",
            values={":expected": expected},
            names={"#st": "state"},
        )
        try:
            self.table.transact([decision, *also])
        except TransactionCancelled as exc:
            if exc.reasons[:1] == ["ConditionalCheckFailed"]:
                raise InvalidTransition(f"the registration is no longer {expected}") from exc
            raise Conflict("the decision could not be stored; retry") from exc

    def update_registration(
        self, tenant_id: str, registration_id: str, values: dict[str, Any], *, expected_version: int
    ) -> None:
        """Set ``values`` and bump the version, if the sheet is still at ``expected_version`` (else 409)."""
        try:
            self.table.update(
                Update(
                    {"PK": keys.registration_pk(tenant_id, registration_id), "SK": keys.REGISTRATION_SK},
                    "registration",
                    set=values,
                    add={"version": 1},
                    condition="version = :expected",
                    values={":expected": expected_version},
                )
            )
        except ConditionFailed as exc:
            raise Conflict("the registration was changed concurrently; retry") from exc

    def update_participant(
        self,
        tenant_id: str,
        registration_id: str,
        participant_id: str,
        values: dict[str, Any],
        also: Sequence[Put] = (),
    ) -> None:
        """Update a participant; with ``also``, in one transaction with those items."""
        update = Update(
            {
                "PK": keys.registration_pk(tenant_id, registration_id),
                "SK": keys.participant_sk(participant_id),
            },
            "participant",
            set=values,
            condition="attribute_exists(PK)",
        )
        if not also:
            self.table.update(update)
            return
        try:
            self.table.transact([update, *also])
        except TransactionCancelled as exc:
            raise Conflict("the participant could not be updated; retry") from exc

    def put_profile(
        self, tenant_id: str, registration_id: str, profile: dict[str, Any], also: Sequence[Put] = ()
    ) -> None:
        """Store a profile; with ``also``, in one transaction with those items."""
        put = Put(
            {
                "PK": keys.registration_pk(tenant_id, registration_id),
                "SK": keys.profile_sk(profile["participant_id"]),
                "item_type": "profile",
                "tenant_id": tenant_id,
                "registration_id": registration_id,
                **profile,
            }
        )
        if not also:
            self.table.put(put)
            return
        try:
            self.table.transact([put, *also])
        except TransactionCancelled as exc:
            raise Conflict("the profile could not be stored; retry") from exc

    def link_user(self, tenant_id: str, user_sub: str, participant: dict[str, Any]) -> None:
        self.table.put(
            Put(
                {
                    "PK": keys.user_pk(tenant_id, user_sub),
                    "SK": keys.participant_sk(participant["participant_id"]),
                    "item_type": "user_link",
                    "tenant_id": tenant_id,
                    **({"expires_at": participant["expires_at"]} if "expires_at" in participant else {}),
                    "user_sub": user_sub,
                    "participant_id": participant["participant_id"],
                    "registration_id": participant["registration_id"],
                    "event_id": participant["event_id"],
                }
            )
        )

    def unlink_user(self, tenant_id: str, user_sub: str, participant_id: str) -> None:
        self.table.delete(keys.user_pk(tenant_id, user_sub), keys.participant_sk(participant_id))
