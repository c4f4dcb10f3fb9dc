"""Every store and item type of the personal-data registry is covered by a handler that applies the
registry's erasure rule: a new store without an entry in salon.dsar.adapters.coverage fails here."""

from __future__ import annotations

from dataclasses import replace

import pytest
from salon.dsar.adapters import coverage
from salon.dsar.adapters.handlers import Handler, NotSearchable
from salon.dsar.domain.targets import Target, targets
from salon.kernel.registry import REGISTRY, Erasure
from salon.kernel.stores import STORES, Store, StoreKind


def _handler(target: Target) -> Handler | None:
    return coverage.handler_for(target, STORES[target.store].kind)


def uncovered(walk: tuple[Target, ...], kinds: dict[str, StoreKind]) -> list[str]:
    """Targets without a handler, or whose handler applies another rule than the registry's."""
    problems = []
    for target in walk:
        handler = coverage.handler_for(target, kinds[target.store])
        if handler is None:
            problems.append(f"{target.name}: no handler (add one in salon.dsar.adapters.coverage)")
        elif handler.rule is not target.rule:
            problems.append(
                f"{target.name}: handler erases by {handler.rule}, the registry says {target.rule}"
            )
    return problems


def test_the_walk_covers_every_store_and_every_item_type_of_the_registry() -> None:
    walk = targets()
    assert {t.store for t in walk} == set(STORES)
    table_types = {t.item_type for t in walk if t.item_type}
    assert table_types == set(REGISTRY)


def test_every_target_has_a_handler_applying_the_registry_rule() -> None:
    assert uncovered(targets(), {s.logical_id: s.kind for s in STORES.values()}) == []


@pytest.mark.parametrize("target", targets(), ids=lambda t: t.name)
def test_a_handler_that_erases_personal_data_can_find_it(target: Target) -> None:
    """Delete and pseudonymise rules need a handler that searches by person (the outcome check
    counts the residue there); only expiring, kept or non-personal data may be unsearchable."""
    handler = _handler(target)
    assert handler is not None
    if target.rule in {Erasure.DELETE, Erasure.PSEUDONYMISE} and isinstance(handler, NotSearchable):
        # The exceptions say why in their note (ids only, removed by TTL, staff accounts only).
        assert handler.note, target.name


def test_a_new_store_without_a_handler_is_reported() -> None:
    bucket = Store(
        "InvoicesBucket", StoreKind.DOCUMENTS, "invoices", (), (), None, Erasure.KEEP_LEGAL, "kept 10 years"
    )
    walk = (*targets(), Target(bucket.logical_id, None, bucket.erasure))
    kinds = {**{s.logical_id: s.kind for s in STORES.values()}, bucket.logical_id: bucket.kind}
    assert uncovered(walk, kinds) == ["InvoicesBucket: no handler (add one in salon.dsar.adapters.coverage)"]


def test_a_new_item_type_without_a_handler_is_reported() -> None:
    walk = (*targets(), Target("SalonTable", "delivery_log", Erasure.DELETE))
    kinds = {s.logical_id: s.kind for s in STORES.values()}
    assert uncovered(walk, kinds) == [
        "SalonTable/delivery_log: no handler (add one in salon.dsar.adapters.coverage)"
    ]


def test_a_handler_applying_another_rule_than_the_registry_is_reported() -> None:
    participant = next(t for t in targets() if t.item_type == "participant")
    walk = (replace(participant, rule=Erasure.KEEP_LEGAL),)
    kinds = {s.logical_id: s.kind for s in STORES.values()}
    assert uncovered(walk, kinds) == [
        "SalonTable/participant: handler erases by delete, the registry says keep_legal"
    ]


def test_no_entry_names_a_store_or_item_type_the_registry_does_not_declare() -> None:
    """An entry for a store or item type the registry no longer declares is dead: remove it."""
    assert set(coverage.ITEM_HANDLERS) <= set(REGISTRY)
    assert set(coverage.STORE_HANDLERS) <= set(STORES)
    assert not {s for s in coverage.STORE_HANDLERS if STORES[s].kind is StoreKind.TABLE_ITEMS}
