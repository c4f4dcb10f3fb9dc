"""The DSAR handlers of the notification stores against the local cloud's table: the person's delivery
log and mobile number are found and deleted (the number's locator with it); a suppression entry keeps
its keyed hash, so the opt-out outlives the person, and loses the participant id."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from salon.dsar.adapters.context import StoreContext
from salon.dsar.adapters.coverage import ITEM_HANDLERS
from salon.dsar.domain.person import Participation, Person
from salon.kernel import keys
from salon.kernel.dynamo import Table
from salon.notify.adapters.deliveries import SCOPE_ALL, Claim, DeliveryLog, Suppressions
from salon.notify.adapters.mobiles import Mobiles

pytestmark = pytest.mark.integration


def _no_catalogue() -> Any:
    raise AssertionError("the notification stores never read the catalogue")


def test_erasure_deletes_the_log_and_the_number_and_pseudonymises_the_suppression(cloud: Any) -> None:
    table = Table(cloud.resources.table_name)
    ctx = StoreContext(table=table, audit_table=table, user_pool_id="", catalogue=_no_catalogue)
    t, now = f"dsar-{uuid.uuid4().hex[:8]}", datetime.now(UTC)
    mine, other = f"par_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
    number = f"+3361{uuid.uuid4().int % 10**7:07d}"
    for pid in (mine, other):
        DeliveryLog(table).claim(Claim(t, pid, f"ml_1:{pid}", "evt_1", "mailing", "email", "ml_1"), now)
        Suppressions(table).add(t, "email", f"key-{pid}", SCOPE_ALL, "bounce", now, pid)
    Mobiles(table).start(t, mine, "evt_1", number, "hash", now)
    person = Person(t, "key-of-the-person", None, (Participation(mine, "reg_1", "evt_1"),))

    found = {
        name: ITEM_HANDLERS[name].find(ctx, person) or []
        for name in ("delivery", "suppression", "mobile_number")
    }
    assert {name: len(items) for name, items in found.items()} == {
        "delivery": 1,
        "suppression": 1,
        "mobile_number": 1,
    }
    assert ITEM_HANDLERS["delivery"].export(ctx, person)[0]["participant_id"] == mine
    for name, items in found.items():
        ITEM_HANDLERS[name].erase(ctx, person, items)

    assert all(ITEM_HANDLERS[name].find(ctx, person) == [] for name in found)
    assert Mobiles(table).holders(number) == []  # the locator left with the item
    assert Suppressions(table).scope_of(t, "email", f"key-{mine}") == SCOPE_ALL  # still never sent to
    kept = table.get(keys.suppression_pk(t), keys.suppression_sk("email", f"key-{mine}"))
    assert kept is not None and "participant_id" not in kept
    # The other participant's entries are untouched.
    assert DeliveryLog(table).of_participant(t, other) != []
    theirs = table.get(keys.suppression_pk(t), keys.suppression_sk("email", f"key-{other}"))
    assert theirs is not None and theirs["participant_id"] == other
