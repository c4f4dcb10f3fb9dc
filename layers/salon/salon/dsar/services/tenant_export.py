"""Tenant offboarding, its export: the organiser asks for the whole tenant's data (202), a function
writes it as one archive (a JSON document and a CSV file per item type, through the archive writer
of the subject-access export) in the DSAR bucket (expired after 7 days); the organiser reads the
state and a presigned URL. The archive is written by ``tenant_export_run``."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from salon.dsar import deps
from salon.dsar.adapters.closure_records import ClosureRecords
from salon.dsar.adapters.links import link
from salon.dsar.adapters.tenant_export_start import start
from salon.dsar.adapters.tenant_exports import TenantExports
from salon.kernel.caller import Caller, require
from salon.kernel.errors import Conflict, NotFound
from salon.kernel.principal import CONFIGURE
from salon.kernel.values import iso


class ExportStarted(BaseModel):
    export_id: str
    status: str


class TenantExportOut(BaseModel):
    export_id: str
    status: str
    requested_at: str
    completed_at: str | None = None
    counts: dict[str, int] = {}
    export_url: str | None = None
    failure: str | None = None


def _exports() -> TenantExports:
    return TenantExports(deps.get().platform.table)


def request_export(caller: Caller) -> ExportStarted:
    principal = require(caller, CONFIGURE)
    if ClosureRecords(deps.get().platform.table).closing(principal.tenant_id):
        raise Conflict("the tenant is being closed: its data can no longer be exported")
    export_id = f"tex_{uuid.uuid4().hex}"
    _exports().create(principal.tenant_id, export_id, principal.sub, iso(deps.get().clock()))
    start(principal.tenant_id, export_id)
    return ExportStarted(export_id=export_id, status="running")


def get(caller: Caller, export_id: str) -> TenantExportOut:
    principal = require(caller, CONFIGURE)
    found = _exports().get(principal.tenant_id, export_id)
    if found is None:
        raise NotFound("no such tenant export")
    url = link(found["export_key"]) if found.get("export_key") else None
    return TenantExportOut.model_validate({**found, "export_url": url})
