"""The request's documents in the DSAR bucket (KMS-encrypted at rest, expired after 7 days): the
access archive (a JSON document and a CSV file per store) and the certificate (JSON and PDF)."""

from __future__ import annotations

import os

from salon.kernel import aws


class Documents:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def put(self, key: str, body: bytes, content_type: str) -> None:
        aws.s3().put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)

    def body(self, key: str) -> bytes:
        return bytes(aws.s3().get_object(Bucket=self.bucket, Key=key)["Body"].read())


def documents() -> Documents:
    return Documents(os.environ.get("DSAR_BUCKET", ""))
