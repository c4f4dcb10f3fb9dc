"""A tenant's export (offboarding), invoked asynchronously by ``POST /tenant/export`` with
{"tenant_id", "export_id"}: the whole tenant's data in one archive."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from salon.dsar.services import tenant_export_run

logger = Logger()


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.info("tenant export", extra={"tenant_id": event["tenant_id"], "export_id": event["export_id"]})
    done = tenant_export_run.run(str(event["tenant_id"]), str(event["export_id"]))
    logger.info("tenant exported", extra={"item_types": len(done["counts"])})
    return done
