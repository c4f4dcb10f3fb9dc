"""Invoice documents in the invoice bucket (SSE-KMS, private): written once at issue, read through
short-lived presigned URLs."""

from __future__ import annotations

from typing import Literal

from botocore.exceptions import ClientError

from salon.kernel import aws, keys

Format = Literal["pdf", "facturx"]
EXTENSIONS: dict[Format, str] = {"pdf": "pdf", "facturx": "facturx.pdf"}
URL_SECONDS = 300


class InvoiceDocuments:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def key(self, tenant_id: str, year: int, invoice_id: str, format_: Format) -> str:
        return keys.invoice_document(tenant_id, year, invoice_id, EXTENSIONS[format_])

    def put(self, key: str, content: bytes, filename: str) -> None:
        aws.s3().put_object(
            Bucket=self.bucket,
            Key=key,
            Body=content,
            ContentType="application/pdf",
            ContentDisposition=f'attachment; filename="{filename}"',
        )

    def exists(self, key: str) -> bool:
        try:
            aws.s3().head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def url(self, key: str) -> str:
        url: str = aws.s3().generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=URL_SECONDS
        )
        return url
