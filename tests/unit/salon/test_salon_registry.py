"""The personal-data registry: complete, consistent, enforced on every write path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from salon.kernel.dynamo import Put, Table, Update
from salon.kernel.errors import UnregisteredItemType
from salon.kernel.registry import KEY_ATTRIBUTES, REGISTRY, Category, Erasure, check_item, personal_data_map

PACKAGE = Path(__file__).resolve().parents[3] / "layers" / "salon" / "salon"


def written_item_types() -> set[str]:
    """Every literal item type the code writes (``"item_type": "<x>"`` and ``Update(..., "<x>", ...)``)."""
    found: set[str] = set()
    for source in PACKAGE.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found.update(re.findall(r'"item_type":\s*"([a-z_]+)"', text))
        found.update(re.findall(r'Update\(\s*\{[^}]*\},\s*"([a-z_]+)"', text, flags=re.S))
    return found


def test_every_written_item_type_has_a_registry_entry() -> None:
    written = written_item_types()
    assert written, "the scan found no writes: the pattern is stale"
    missing = written - set(REGISTRY)
    assert not missing, f"item types written without a personal-data registry entry: {sorted(missing)}"


def test_entries_are_coherent() -> None:
    for spec in REGISTRY.values():
        assert not (spec.personal_names & spec.other), spec.item_type
        assert not (spec.personal_names & KEY_ATTRIBUTES), spec.item_type
        if spec.personal:
            assert spec.retention is not None and 0 < spec.retention.months <= 60, spec.item_type
            assert spec.erasure is not Erasure.NOT_PERSONAL, spec.item_type
        else:
            assert spec.erasure is Erasure.NOT_PERSONAL, spec.item_type
        for attribute in spec.personal:
            assert isinstance(attribute.category, Category) and attribute.purpose


def test_event_data_is_kept_36_months_at_most() -> None:
    for name in ("registration", "participant", "profile", "email_claim", "user_link"):
        retention = REGISTRY[name].retention
        assert retention is not None and retention.anchor == "event_end" and retention.months <= 36


def test_contact_data_is_declared() -> None:
    mapping = personal_data_map()
    assert mapping["participant"]["email"] == "contact"
    assert mapping["participant"]["last_name"] == "identity"


def test_unknown_item_type_or_attribute_is_refused() -> None:
    with pytest.raises(UnregisteredItemType):
        check_item({"PK": "T#t#X", "SK": "X", "item_type": "mystery"})
    with pytest.raises(UnregisteredItemType):
        check_item({"PK": "T#t#X", "SK": "X"})
    with pytest.raises(UnregisteredItemType):
        check_item({"PK": "T#t#X", "SK": "X", "item_type": "participant", "date_of_birth": "1970-01-01"})


def test_repository_write_paths_refuse_before_any_call() -> None:
    table = Table("never-called")  # no AWS access happens: the check runs first
    with pytest.raises(UnregisteredItemType):
        table.put(Put({"PK": "T#t#X", "SK": "X", "item_type": "mystery"}))
    with pytest.raises(UnregisteredItemType):
        table.transact([Put({"PK": "T#t#X", "SK": "X", "item_type": "mystery"})])
    with pytest.raises(UnregisteredItemType):
        table.update(Update({"PK": "T#t#X", "SK": "X"}, "participant", set={"shoe_size": 42}))
    with pytest.raises(UnregisteredItemType):
        table.update(Update({"PK": "T#t#X", "SK": "X"}, "audit", set={"purpose": "rewrite history"}))
