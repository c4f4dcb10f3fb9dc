"""An erased person's fresh consent: how long the link works, whose consent a held sheet still waits
for, what each participant carries once stored, and a link token that names one request only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from salon.registration.domain import consent
from salon.requalification.domain import rules

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
KEY = b"k" * 32


def test_the_link_works_for_seven_days_then_never() -> None:
    request = {"due_at": consent.due_at(NOW).isoformat()}

    assert consent.link_is_valid(request, NOW + timedelta(days=7))
    assert not consent.link_is_valid(request, NOW + timedelta(days=7, seconds=1))


def test_a_sheet_waits_for_every_erased_participant_but_the_one_consenting() -> None:
    held = {"awaiting": ["par_a", "par_b"]}

    assert consent.still_awaiting(held, "par_a") == ["par_b"]
    assert consent.still_awaiting({"awaiting": ["par_b"]}, "par_b") == []


def test_only_the_erased_participants_carry_their_consent_once_stored() -> None:
    people = [{"participant_id": "par_a", "email": "a@x.example"}, {"participant_id": "par_b"}]

    stored = consent.consented(people, {"par_a": "2027-03-02T10:00:00Z"})

    assert stored == [
        {"participant_id": "par_a", "email": "a@x.example", "consented_at": "2027-03-02T10:00:00Z"},
        {"participant_id": "par_b"},
    ]
    assert "consented_at" not in people[0]  # the held sheet is not changed in place


def test_a_token_names_one_request_of_one_tenant_and_is_never_a_requalification_token() -> None:
    token = consent.link_token(KEY, "t1", "reg_1", "par_1")

    assert len(token) == 43 and token == consent.link_token(KEY, "t1", "reg_1", "par_1")
    others = {
        consent.link_token(KEY, "t2", "reg_1", "par_1"),
        consent.link_token(KEY, "t1", "reg_1", "par_2"),
        consent.link_token(b"j" * 32, "t1", "reg_1", "par_1"),
        rules.link_token(KEY, "t1", "reg_1", "par_1", "fresh-consent"),
    }
    assert token not in others and len(others) == 4
    assert consent.token_hash(token) != token and len(consent.token_hash(token)) == 64
