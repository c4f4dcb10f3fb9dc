"""A tenant's closure, its pure parts: the confirmation, the export it follows, the due date, the
verdict and the certificate; and its coverage: every store of the registry has a closure handler,
every store it deletes in is named to its steps, and every handler it counts with can delete."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from localcloud.template import load_template
from salon.dsar.adapters.closure_erasers import ERASERS
from salon.dsar.adapters.closure_stores import (
    BY_KIND,
    BY_STORE,
    PrefixedObjects,
    TableItems,
    TenantAccounts,
    TenantStore,
    handler_for,
    searched_stores,
)
from salon.dsar.domain.closure import (
    ClosureInput,
    ResidueFound,
    certificate,
    certificate_text,
    check_confirmation,
    due_at,
    export_to_follow,
    verify,
)
from salon.dsar.domain.findings import StoreCount
from salon.kernel.errors import Conflict, ValidationFailed
from salon.kernel.registry import Erasure
from salon.kernel.stores import STORES
from salon.kernel.values import iso

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
NAMED = (TableItems, PrefixedObjects, TenantAccounts)  # the handlers that reach a store by its name
STEPS = ("ClosureInventoryFunction", "ClosureEraseFunction", "ClosureVerifyFunction")


@pytest.mark.parametrize("confirm", ["", "tenant-b", " tenant-a-x", "TENANT-A"])
def test_a_missing_or_wrong_confirmation_is_refused_naming_the_field(confirm: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_confirmation("tenant-a", ClosureInput(confirm=confirm))
    assert [e.field for e in refused.value.errors] == ["confirm"]


def test_the_tenant_id_typed_again_confirms() -> None:
    check_confirmation("tenant-a", ClosureInput(confirm=" tenant-a "))  # blanks stripped


def test_everything_is_due_ten_days_after_the_request() -> None:
    assert due_at(NOW) == NOW + timedelta(days=10)


def _export(status: str, completed_days_ago: float | None = None, export_id: str = "tex_1") -> dict[str, Any]:
    done = None if completed_days_ago is None else iso(NOW - timedelta(days=completed_days_ago))
    return {"export_id": export_id, "status": status, "completed_at": done}


def test_the_closure_follows_the_newest_completed_export_of_the_last_seven_days() -> None:
    exports = [_export("failed"), _export("completed", 1, "tex_new"), _export("completed", 2, "tex_old")]
    assert export_to_follow(exports, False, NOW) == "tex_new"


@pytest.mark.parametrize(
    "exports",
    [[], [_export("failed")], [_export("completed", 7.5)]],
    ids=["none", "failed", "archive expired"],
)
def test_without_a_usable_export_the_closure_needs_the_acknowledgement(exports: list[dict[str, Any]]) -> None:
    with pytest.raises(Conflict, match="without_export"):
        export_to_follow(exports, False, NOW)
    assert export_to_follow(exports, True, NOW) is None


def test_a_running_export_refuses_the_closure_even_with_the_acknowledgement() -> None:
    with pytest.raises(Conflict, match="running"):
        export_to_follow([_export("running"), _export("completed", 1)], True, NOW)


def _count(target: str, before: int | None, after: int | None, rule: Erasure = Erasure.DELETE) -> StoreCount:
    return StoreCount(target=target, rule=rule, before=before, after=after)


def test_a_residue_fails_loudly_naming_the_store() -> None:
    counts = [_count("SalonTable", 40, 0), _count("UserPool", 3, 1), _count("ApiAccessLogs", None, None)]
    with pytest.raises(ResidueFound, match="UserPool: 1"):
        verify(counts)


def test_the_certificate_says_what_left_each_store_and_whether_the_due_date_was_met() -> None:
    closure = {
        "closure_id": "tcl_1",
        "tenant_id": "tenant-a",
        "requested_by": "sub-organizer",
        "requested_at": iso(NOW),
        "due_at": iso(due_at(NOW)),
        "export_id": "tex_1",
    }
    counts = [_count("SalonTable", 40, 0), _count("UserPool", 3, 0), _count("ApiAccessLogs", None, None)]
    verify(counts)

    on_time = certificate(closure, counts, iso(NOW + timedelta(hours=1)))
    late = certificate(closure, counts, iso(NOW + timedelta(days=11)))

    assert on_time["deleted"] == 43 and on_time["due_date_met"] is True and late["due_date_met"] is False
    assert [s["target"] for s in on_time["stores"]] == ["SalonTable", "UserPool", "ApiAccessLogs"]
    assert on_time["requested_by"] == "sub-organizer" and on_time["residue"] == 0


def test_the_certificate_s_e_mail_lists_the_stores_deleted_in_by_ids_and_counts() -> None:
    closure = {
        "closure_id": "tcl_1",
        "tenant_id": "tenant-a",
        "requested_by": "sub-organizer",
        "requested_at": iso(NOW),
        "due_at": iso(due_at(NOW)),
    }
    counts = [_count("SalonTable", 40, 0), _count("ApiAccessLogs", None, None, Erasure.EXPIRE)]
    subject, text = certificate_text(certificate(closure, counts, iso(NOW)))

    assert "tenant-a" in subject and "tcl_1" in subject
    assert "SalonTable: 40 before, 0 after" in text and "ApiAccessLogs" not in text
    assert "residue 0" in text and "sub-organizer" in text


def test_every_store_of_the_registry_has_a_closure_handler_with_a_rule() -> None:
    for store in STORES.values():
        handler = handler_for(store)
        assert handler.rule in (Erasure.DELETE, Erasure.EXPIRE, Erasure.NOT_PERSONAL), store.logical_id
        if handler.rule is not Erasure.DELETE:
            assert handler.note, f"{store.logical_id}: a store the closure does not delete in says why"


def test_every_table_bucket_pool_and_index_of_the_registry_is_deleted_in() -> None:
    deleted = set(searched_stores())
    for store in STORES.values():
        if store.kind in BY_KIND:
            assert store.logical_id in deleted, store.logical_id
    assert set(BY_STORE) <= deleted
    assert searched_stores()[:2] == ["SalonTable", "AuditTable"]  # nothing to re-derive the rest from


def test_every_handler_the_closure_counts_with_can_delete() -> None:
    for kind in {*BY_KIND.values(), *BY_STORE.values()}:
        assert kind in ERASERS and issubclass(kind, TenantStore), kind


def _named(function: str) -> dict[str, str]:
    variables = load_template()["Resources"][function]["Properties"]["Environment"]["Variables"]
    substituted = variables["CLOSURE_STORES"]["Fn::Sub"]
    return dict(json.loads(re.sub(r"\$\{(\w+)\}", r"\1", substituted)))


@pytest.mark.parametrize("function", (*STEPS, "TenantExportFunction"))
def test_the_steps_name_every_store_they_reach_by_name(function: str) -> None:
    # The tenant's export reads by the closure's enumeration: the same stores, named the same way.
    needed = {s.logical_id for s in STORES.values() if isinstance(handler_for(s), NAMED)}
    named = _named(function)

    assert needed and set(named) == needed
    assert all(key == value for key, value in named.items())  # each name is its own resource's
