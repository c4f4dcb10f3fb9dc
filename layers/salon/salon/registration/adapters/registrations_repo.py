"""Stored registrations, participants, profiles and user links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from salon.kernel import keys
from salon.kernel.dynamo import (
    ConditionFailed,
    Put,
    TransactionCancelled,
    Update,
)
from salon.kernel.dynamo_reads import body
from salon.kernel.errors import Conflict, InvalidTransition
from salon.registration.adapters.registrations_reader import Bundle, RegistrationsReader

__all__ = ["Bundle", "RegistrationsRepository", "body"]


class RegistrationsRepository(RegistrationsReader):
    """The reads (RegistrationsReader) and every write of stored registrations (new ones:
    ``submissions_repo``)."""

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
        also: Sequence[Put | Update] = (),
        remove: tuple[str, ...] = (),
    ) -> None:
        """Update a participant; with ``also``, in one transaction with those items."""
        update = Update(
            {
                "PK": keys.registration_pk(tenant_id, registration_id),
                "SK": keys.participant_sk(participant_id),
            },
            "participant",
            set=values,
            remove=remove,
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
