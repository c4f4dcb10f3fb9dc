"""An HTTP response as a Lambda behind an HTTP API returns it (payload format 2.0)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reply:
    status_code: int
    body: str
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)
    base64_encoded: bool = False  # ``body`` is base64 (binary content); API Gateway decodes it

    def to_lambda(self) -> dict[str, Any]:
        return {
            "statusCode": self.status_code,
            "headers": {"Content-Type": self.content_type, **self.headers},
            "body": self.body,
            "isBase64Encoded": self.base64_encoded,
        }
