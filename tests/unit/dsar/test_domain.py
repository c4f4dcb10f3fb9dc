"""Deadlines, residue and the outcome's verdict of a data-subject request."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from salon.dsar.domain.findings import StoreCount, residue
from salon.dsar.domain.person import Participation, Person
from salon.dsar.domain.requests import DsarInput, Kind, due_at, overdue_soon
from salon.kernel.registry import Erasure


@pytest.mark.parametrize(
    ("kind", "received", "due"),
    [
        (Kind.ACCESS, datetime(2026, 1, 31, 9, tzinfo=UTC), datetime(2026, 2, 28, 9, tzinfo=UTC)),
        (Kind.PORTABILITY, datetime(2026, 12, 15, tzinfo=UTC), datetime(2027, 1, 15, tzinfo=UTC)),
        (Kind.ERASURE, datetime(2026, 12, 28, tzinfo=UTC), datetime(2027, 1, 7, tzinfo=UTC)),
    ],
)
def test_due_one_month_after_receipt_and_an_erasure_within_ten_days(
    kind: Kind, received: datetime, due: datetime
) -> None:
    assert due_at(kind, received) == due


def test_close_to_due_three_days_before() -> None:
    due = datetime(2026, 5, 10, tzinfo=UTC)
    assert overdue_soon(due, datetime(2026, 5, 7, tzinfo=UTC))
    assert not overdue_soon(due, datetime(2026, 5, 6, 23, tzinfo=UTC))


def test_residue_counts_only_where_the_registry_removes_data() -> None:
    counts = [
        StoreCount(target="SalonTable/participant", rule=Erasure.DELETE, before=1, after=1),
        StoreCount(target="SalonTable/meeting", rule=Erasure.PSEUDONYMISE, before=2, after=0),
        StoreCount(target="AuditTable/audit_record", rule=Erasure.KEEP_LEGAL, before=3, after=4),
        StoreCount(target="IdempotencyTable", rule=Erasure.EXPIRE),
    ]
    assert [(r.target, r.count) for r in residue(counts)] == [("SalonTable/participant", 1)]


def test_a_request_is_limited_to_its_events_and_keeps_what_it_found() -> None:
    a = Participation("p1", "r1", "e1", user_sub="sub-1")
    b = Participation("p2", "r2", "e2")
    person = Person("t", "key", "ada@example.com", (a, b))
    assert person.limited_to(["e2"]).participations == (b,)
    assert person.limited_to(None) is person
    after = Person("t", "key", None, ()).merged((a,))
    assert after.participant_ids == {"p1"} and after.user_subs == ("sub-1",)


def test_the_request_refuses_unknown_fields_and_bad_e_mails() -> None:
    with pytest.raises(ValueError, match="email"):
        DsarInput.model_validate({"kind": "access", "email": "not-an-email"})
    with pytest.raises(ValueError, match="extra"):
        DsarInput.model_validate({"kind": "access", "email": "a@example.com", "name": "Ada"})
