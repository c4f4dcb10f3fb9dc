"""Calendar feed items against the local cloud: a token finds its participant through the index, the
same participant keeps one feed, and a revoked (or replaced) token finds nothing at once."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from salon.kernel.dynamo import Put, Table
from salon.kernel.dynamo_reads import TableReads
from salon.scheduling.adapters.calendar_feed_store import CalendarFeedStore
from salon.scheduling.adapters.calendar_feeds import CalendarFeedReads

pytestmark = pytest.mark.integration
AT = "2027-03-01T08:00:00+00:00"


def test_a_token_finds_its_feed_until_revoked(cloud: Any) -> None:
    store = CalendarFeedStore(Table(cloud.resources.table_name))
    reads = CalendarFeedReads(TableReads(cloud.resources.table_name))
    t, event_id, pid = f"tenant-{uuid.uuid4().hex[:8]}", f"evt_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"

    created = store.create(t, event_id, "reg_1", pid, "first-token", AT)
    again = store.create(t, event_id, "reg_1", pid, "second-token", AT)

    assert again["token"] == created["token"] == "first-token"  # one feed per participant
    found = reads.by_token("first-token")
    assert found is not None
    assert (found["tenant_id"], found["event_id"], found["participant_id"]) == (t, event_id, pid)
    assert reads.by_token("second-token") is None
    store.revoke(t, event_id, pid)
    assert reads.by_token("first-token") is None
    assert store.of(t, event_id, pid) is None


def test_a_token_the_index_still_lists_but_the_item_no_longer_holds_finds_nothing(cloud: Any) -> None:
    table = Table(cloud.resources.table_name)
    store = CalendarFeedStore(table)
    t, event_id, pid = f"tenant-{uuid.uuid4().hex[:8]}", f"evt_{uuid.uuid4().hex}", f"par_{uuid.uuid4().hex}"
    item = store.create(t, event_id, "reg_1", pid, "old-token", AT)
    # The item now holds another token while the index, eventually consistent, could still list the
    # old one: simulated by rewriting the item with the old locator and a new token.
    table.put(Put({**item, "token": "new-token"}))

    assert store.by_token("old-token") is None
