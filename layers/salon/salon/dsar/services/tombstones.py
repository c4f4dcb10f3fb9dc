"""The DPO lifts an erasure's tombstone: the person, erased at their request, may then be registered
again without the e-mailed fresh consent, when the DPO holds that consent otherwise (in writing, by
phone). The lifting and its audit record are one transaction. Organisers cannot lift a tombstone."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from salon.dsar import deps
from salon.kernel import audit, keys
from salon.kernel.caller import Caller, require
from salon.kernel.dynamo import Delete, TransactionCancelled
from salon.kernel.errors import NotFound
from salon.kernel.person_key import person_key
from salon.kernel.principal import DATA_SUBJECT_REQUESTS
from salon.kernel.values import Email, iso


class LiftInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email


class Lifted(BaseModel):
    """The erasure whose tombstone was lifted, and when."""

    model_config = ConfigDict(defer_build=True)

    dsar_id: str
    lifted_at: str


def lift(caller: Caller, body: LiftInput) -> Lifted:
    """404 when no erasure of this e-mail stands in the DPO's tenant."""
    principal = require(caller, DATA_SUBJECT_REQUESTS)
    tenant_id = principal.tenant_id
    table = deps.get().platform.table
    key = {"PK": keys.person_pk(tenant_id, person_key(tenant_id, body.email)), "SK": keys.TOMBSTONE_SK}
    tombstone = table.get(key["PK"], key["SK"])
    if tombstone is None:
        raise NotFound("no erasure of this e-mail stands in the tenant")
    dsar_id = str(tombstone["dsar_id"])
    record = audit.entry(
        caller,
        role="dpo",
        action="tombstone.lift",
        subjects=[dsar_id],
        item_types=["person_tombstone"],
        fields=[],
        purpose="the DPO holds the erased person's fresh consent",
    )
    try:
        table.transact([Delete(key, "attribute_exists(PK)"), *audit.puts(record)])
    except TransactionCancelled as exc:
        raise NotFound("no erasure of this e-mail stands in the tenant") from exc
    return Lifted(dsar_id=dsar_id, lifted_at=iso(record.at))
