"""The archive writer the exports share, and how a tenant export groups its items."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

from salon.dsar.adapters import archive
from salon.dsar.services.tenant_export_run import by_item_type


def test_the_archive_holds_each_member_and_csv_flattens_nested_values() -> None:
    rows = [{"name": "Ada", "tags": ["a", "b"]}, {"name": "Bob", "count": 2}]
    body = archive.zip_bytes({"people.json": archive.json_bytes(rows), "people.csv": archive.csv_bytes(rows)})
    zipped = zipfile.ZipFile(io.BytesIO(body))
    assert zipped.namelist() == ["people.json", "people.csv"]
    assert json.loads(zipped.read("people.json")) == rows
    lines = zipped.read("people.csv").decode().splitlines()
    assert lines[0] == "count,name,tags"
    assert lines[1] == ',Ada,"[""a"", ""b""]"'
    assert lines[2] == "2,Bob,"


def test_a_tenant_export_groups_by_item_type_without_storage_keys_or_untyped_markers() -> None:
    items = [
        {"PK": "T#t#E#e", "SK": "R#1", "GSI1PK": "x", "item_type": "registration", "registration_id": "r1"},
        {"PK": "T#t#E#e", "SK": "EVENT", "item_type": "event", "event_id": "e"},
        {"PK": "T#t#E#e", "SK": "R#2", "item_type": "registration", "registration_id": "r2"},
        {"PK": "T#t#E#e", "SK": "COUNTER", "count": 3},
    ]
    grouped = by_item_type(items)
    assert list(grouped) == ["event", "registration"]
    assert grouped["registration"] == [
        {"item_type": "registration", "registration_id": "r1"},
        {"item_type": "registration", "registration_id": "r2"},
    ]


def test_dynamodb_numbers_are_written_as_json_numbers() -> None:
    rows = [{"gross_cents": Decimal(60000), "lines": [{"rate": Decimal("5.5"), "quantity": Decimal(2)}]}]

    assert json.loads(archive.json_bytes(rows)) == [
        {"gross_cents": 60000, "lines": [{"rate": 5.5, "quantity": 2}]}
    ]
    assert archive.csv_bytes(rows).decode().splitlines()[1] == '60000,"[{""rate"": 5.5, ""quantity"": 2}]"'
