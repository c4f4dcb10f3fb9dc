"""Applying a rectification to a participant: the change and its domain event in one transaction,
then the sheet's derived fields recomputed, as PATCH /me does (without the registration area's
account and e-mail-claim dependencies)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from salon.kernel import keys
from salon.kernel.domain_events import EventDetail
from salon.kernel.dynamo import Table, Update
from salon.kernel.outbox import dedupe_id, event_put
from salon.kernel.values import iso
from salon.registration.adapters.events_repo import EventsRepository
from salon.registration.adapters.registrations_reader import RegistrationsReader
from salon.registration.domain.registrations import derived_fields


class Rectifier:
    def __init__(self, table: Table) -> None:
        self.table = table

    def correct(self, detail: EventDetail, participant_id: str, values: dict[str, Any], at: datetime) -> None:
        t, rid = detail.tenant_id, str(detail.registration_id)
        change = Update(
            {"PK": keys.registration_pk(t, rid), "SK": keys.participant_sk(participant_id)},
            "participant",
            set=values,
            condition="attribute_exists(PK)",
        )
        self.table.transact([change, event_put("participant.updated", detail, at)])
        bundle = RegistrationsReader(self.table).bundle(t, rid)
        if bundle is None:
            return
        sheet = bundle.registration
        form = EventsRepository(self.table).get_form(t, sheet["event_id"])
        derived = derived_fields(form.fields, sheet, bundle.participants, bundle.profiles)
        self.table.update(
            Update(
                {"PK": keys.registration_pk(t, rid), "SK": keys.REGISTRATION_SK},
                "registration",
                set={**derived, "updated_at": iso(at)},
                add={"version": 1},
            )
        )


def participant_changed(
    tenant_id: str, event_id: str, registration_id: str, participant_id: str, actor_id: str, change: str
) -> EventDetail:
    return EventDetail(
        tenant_id=tenant_id,
        dedupe_id=dedupe_id(tenant_id, participant_id, change),
        event_id=event_id,
        registration_id=registration_id,
        participant_ids=(participant_id,),
        actor_id=actor_id,
    )
