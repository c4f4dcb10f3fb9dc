"""Who is asked to confirm their data, in which round, until when, and who is overdue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from salon.requalification.domain import rules

NOW = datetime(2027, 1, 1, 8, 0, tzinfo=UTC)  # 09:00 in Paris: the January pass


def contact(**values: str) -> dict[str, str]:
    return {"email": "a@example.com", "created_at": "2026-01-10T10:00:00.000Z", **values}


def test_six_calendar_months_before_clamps_to_the_end_of_the_month() -> None:
    assert rules.months_before(datetime(2027, 8, 31, 12, tzinfo=UTC), 6) == datetime(
        2027, 2, 28, 12, tzinfo=UTC
    )
    assert rules.stale_before(NOW) == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("verified", "due"),
    [
        ("2026-07-01T07:59:59.000Z", True),  # 6 months and a second
        ("2026-07-01T08:00:00.000Z", True),  # exactly 6 months
        ("2026-07-01T08:00:01.000Z", False),
        ("2026-12-20T00:00:00.000Z", False),
    ],
)
def test_a_contact_is_due_once_unverified_for_six_months(verified: str, due: bool) -> None:
    assert rules.is_due(contact(last_verified_at=verified), NOW) is due


def test_without_a_verified_date_a_contact_counts_from_its_creation() -> None:
    assert rules.is_due(contact(), NOW)
    assert not rules.is_due(contact(created_at="2026-09-01T00:00:00.000Z"), NOW)


def test_a_deactivated_participant_or_one_without_an_address_is_not_asked() -> None:
    assert not rules.is_due(contact(account_status="deactivated"), NOW)
    assert not rules.is_due({"created_at": "2025-01-01T00:00:00.000Z"}, NOW)


def test_rounds_are_half_years_in_paris_time() -> None:
    assert rules.round_of(NOW) == "2027-H1"
    assert rules.round_of(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "2027-H1"  # 00:30 in Paris
    assert rules.round_of(datetime(2027, 7, 1, 7, tzinfo=UTC)) == "2027-H2"


def test_a_request_is_not_repeated_in_its_round_and_an_overdue_flag_stands() -> None:
    assert rules.may_request(None, "2027-H1")
    assert rules.may_request({"status": "confirmed", "round": "2027-H1"}, "2027-H1")
    assert rules.may_request({"status": "pending", "round": "2026-H2"}, "2027-H1")
    assert not rules.may_request({"status": "pending", "round": "2027-H1"}, "2027-H1")
    assert not rules.may_request({"status": "overdue", "round": "2026-H2"}, "2027-H1")


def test_a_pending_request_is_overdue_from_its_due_date() -> None:
    due = rules.due_at(NOW, 30)
    request = {"status": "pending", "due_at": due.isoformat()}

    assert due == datetime(2027, 1, 31, 8, 0, tzinfo=UTC)
    assert not rules.is_overdue(request, datetime(2027, 1, 31, 7, 59, tzinfo=UTC))
    assert rules.is_overdue(request, due)
    assert not rules.is_overdue({**request, "status": "confirmed"}, due)
    assert not rules.is_overdue({**request, "status": "overdue"}, due)


def test_a_link_works_until_the_due_date() -> None:
    request = {"status": "pending", "due_at": "2027-01-31T08:00:00.000Z"}

    assert rules.link_is_valid(request, datetime(2027, 1, 31, 8, 0, tzinfo=UTC))
    assert not rules.link_is_valid(request, datetime(2027, 1, 31, 8, 1, tzinfo=UTC))


def test_the_link_token_is_a_keyed_hash_that_fits_a_path_id() -> None:
    token = rules.link_token(b"k" * 32, "t1", "reg_1", "par_1", "2027-H1")

    assert len(token) == 43 and token.replace("-", "").replace("_", "").isalnum()
    assert token == rules.link_token(b"k" * 32, "t1", "reg_1", "par_1", "2027-H1")
    assert token != rules.link_token(b"j" * 32, "t1", "reg_1", "par_1", "2027-H1")
    assert token != rules.link_token(b"k" * 32, "t1", "reg_1", "par_1", "2027-H2")
    assert rules.token_hash(token) != token and len(rules.token_hash(token)) == 64
