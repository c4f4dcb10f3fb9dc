"""Presigned download links of the request's documents (the DPO's archive and certificate)."""

from __future__ import annotations

import os

from salon.kernel import aws

URL_SECONDS = 3600  # a presigned URL outlives the DPO's download, not the day


def link(key: str) -> str:
    return str(
        aws.s3().generate_presigned_url(
            "get_object",
            Params={"Bucket": os.environ.get("DSAR_BUCKET", ""), "Key": key},
            ExpiresIn=URL_SECONDS,
        )
    )
