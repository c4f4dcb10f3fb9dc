"""The run's JSON documents in the schedule bucket, always under the tenant's prefix."""

from __future__ import annotations

import json
import os
from typing import Any

from salon.kernel import aws, keys


class Documents:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def put(self, tenant_id: str, run_id: str, name: str, document: Any) -> str:
        key = keys.run_prefix(tenant_id, run_id) + name
        aws.s3().put_object(
            Bucket=self.bucket, Key=key, Body=json.dumps(document).encode(), ContentType="application/json"
        )
        return key

    def get(self, tenant_id: str, run_id: str, name: str) -> Any:
        key = keys.run_prefix(tenant_id, run_id) + name
        return json.loads(aws.s3().get_object(Bucket=self.bucket, Key=key)["Body"].read())


def documents() -> Documents:
    return Documents(os.environ.get("SCHEDULE_BUCKET", ""))
