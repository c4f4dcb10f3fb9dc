"""The data dictionary of a real archive (a person's or a tenant's), checked against its CSV files."""

from __future__ import annotations

import csv
import io
import zipfile

LABELS = ("label_fr", "label_en", "description_fr", "description_en")


def covered_fields(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    """FIELDS.csv's rows, once checked to name every header of every CSV file of the archive, each
    with a label and a description in both languages."""
    fields = list(csv.DictReader(io.StringIO(archive.read("FIELDS.csv").decode())))
    headers = {
        (name, field)
        for name in archive.namelist()
        if name.endswith(".csv") and name != "FIELDS.csv"
        for field in next(csv.reader(io.StringIO(archive.read(name).decode())))
    }
    assert {(f["file"], f["field"]) for f in fields} == headers
    assert [f"{f['file']} {f['field']}" for f in fields if not all(f[c] for c in LABELS)] == []
    return fields
