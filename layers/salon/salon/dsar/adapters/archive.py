"""The archive writer shared by the exports (a person's, a tenant's): a JSON document and a CSV file
per part, zipped with an index document."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def _plain(value: Any) -> Any:
    """DynamoDB's numbers as JSON numbers (integral ones as integers, others as floats); else text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def _cell(value: Any) -> Any:
    return value if isinstance(value, str | int | float) else json.dumps(value, default=_plain)


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    fields = sorted({k for row in rows for k in row})
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue().encode()


def json_bytes(document: Any) -> bytes:
    return json.dumps(document, indent=1, default=_plain).encode()


def zip_bytes(members: Mapping[str, bytes]) -> bytes:
    """The members (name -> body) in one zip, in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()
