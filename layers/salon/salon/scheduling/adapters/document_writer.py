"""Writing the run's JSON documents (the snapshot step), under the tenant's prefix."""

from __future__ import annotations

import json
import os
from typing import Any

from salon.kernel import aws, keys
from salon.scheduling.adapters.documents import Documents


class DocumentWriter(Documents):
    def put(self, tenant_id: str, run_id: str, name: str, document: Any) -> str:
        key = keys.run_prefix(tenant_id, run_id) + name
        aws.s3().put_object(
            Bucket=self.bucket, Key=key, Body=json.dumps(document).encode(), ContentType="application/json"
        )
        return key


def document_writer() -> DocumentWriter:
    return DocumentWriter(os.environ.get("SCHEDULE_BUCKET", ""))
