"""Data-subject requests over HTTP (the organiser's DPO). Thin: routes -> services (salon.dsar)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salon.dsar import examples
from salon.dsar.domain.requests import DsarInput, VerifyInput
from salon.dsar.services import requests, retention, tenant_export, tombstones
from salon.dsar.services.requests import DsarCreated, DsarOut, DsarPage, DsarQuery
from salon.dsar.services.retention import ReportsPage, ReportsQuery
from salon.dsar.services.tenant_export import ExportStarted, TenantExportOut
from salon.dsar.services.tombstones import Lifted, LiftInput
from salon.kernel import logs
from salon.kernel.caller import Caller
from salon.kernel.http import Router
from salon.kernel.routes import DSAR

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logs.configure()
router = Router(DSAR)


@router.route("POST /dsar", response=DsarCreated, status=201, body=DsarInput, example=examples.REQUEST)
def submit(caller: Caller, body: DsarInput) -> DsarCreated:
    return requests.submit(caller, body)


@router.route("POST /dsar/{dsar_id}/verify", response=DsarOut, body=VerifyInput, example=examples.VERIFY)
def verify(caller: Caller, dsar_id: str, body: VerifyInput) -> DsarOut:
    return requests.verify(caller, dsar_id, body)


@router.route("GET /dsar/{dsar_id}", response=DsarOut)
def get(caller: Caller, dsar_id: str) -> DsarOut:
    return requests.get(caller, dsar_id)


@router.route("GET /dsar", response=DsarPage, query=DsarQuery)
def list_requests(caller: Caller, query: DsarQuery) -> DsarPage:
    return requests.list_requests(caller, query)


@router.route("POST /tombstones/lift", response=Lifted, body=LiftInput, example=examples.LIFT)
def lift_tombstone(caller: Caller, body: LiftInput) -> Lifted:
    return tombstones.lift(caller, body)


@router.route("GET /retention-reports", response=ReportsPage, query=ReportsQuery)
def retention_reports(caller: Caller, query: ReportsQuery) -> ReportsPage:
    return retention.reports(caller, query)


@router.route("POST /tenant/export", response=ExportStarted, status=202)
def export_tenant(caller: Caller) -> ExportStarted:
    return tenant_export.request_export(caller)


@router.route("GET /tenant/exports/{export_id}", response=TenantExportOut)
def get_tenant_export(caller: Caller, export_id: str) -> TenantExportOut:
    return tenant_export.get(caller, export_id)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return router.handle(event)
