"""The run's JSON documents in the schedule bucket, always under the tenant's prefix: reading them
(publishing needs no more); `document_writer` writes them."""

from __future__ import annotations

import json
import os
from typing import Any

from salon.kernel import aws, keys

PROBLEM, SCHEDULE, KEY = "problem.json", "schedule.json", "key.json"


class Documents:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def get(self, tenant_id: str, run_id: str, name: str) -> Any:
        key = keys.run_prefix(tenant_id, run_id) + name
        return json.loads(aws.s3().get_object(Bucket=self.bucket, Key=key)["Body"].read())


def documents() -> Documents:
    return Documents(os.environ.get("SCHEDULE_BUCKET", ""))
