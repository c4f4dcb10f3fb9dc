"""The asynchronous start of a tenant's export: its own function, so the request answers 202 at once."""

from __future__ import annotations

import json
import os

from salon.kernel import aws


def start(tenant_id: str, export_id: str) -> None:
    """The export runs in its own function, invoked asynchronously (the request answers 202 at once)."""
    aws.lambda_().invoke(
        FunctionName=os.environ.get("TENANT_EXPORT_FUNCTION", ""),
        InvocationType="Event",
        Payload=json.dumps({"tenant_id": tenant_id, "export_id": export_id}).encode(),
    )
