"""State machine, key-date order, taxonomy, visibility, event patching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from salon.kernel.errors import InvalidTransition
from salon.registration.domain.events import (
    Event,
    EventCreate,
    EventPatch,
    KeyDates,
    apply_patch,
    dates_changed,
    key_date_errors,
)
from salon.registration.domain.participation_types import (
    ParticipationTypeCreate,
    may_request,
    may_see,
    visible_types,
)
from salon.registration.domain.registrations import TRANSITIONS, DecisionInput, RegistrationCreate, next_state
from salon.registration.domain.taxonomy import TaxonomyNode, taxonomy_errors

T0 = datetime(2027, 6, 10, 8, tzinfo=UTC)
L = {"fr": "x", "en": "x"}


@pytest.mark.parametrize(
    ("state", "decision", "target"),
    [("submitted", "validate", "validated"), ("submitted", "refuse", "refused")],
)
def test_allowed_transitions(state: str, decision: str, target: str) -> None:
    assert next_state(state, decision) == target


@pytest.mark.parametrize("state", ["validated", "refused", "unknown"])
@pytest.mark.parametrize("decision", ["validate", "refuse"])
def test_final_states_cannot_be_decided(state: str, decision: str) -> None:
    with pytest.raises(InvalidTransition):
        next_state(state, decision)


def test_every_state_is_declared() -> None:
    assert set(TRANSITIONS) == {"submitted", "validated", "refused"}


def test_refusal_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        DecisionInput.model_validate({"decision": "refuse"})
    assert DecisionInput.model_validate({"decision": "refuse", "reason": "full"}).reason == "full"


def test_registration_refuses_duplicate_emails_in_request() -> None:
    person = {"first_name": "A", "last_name": "B", "email": "a@b.example"}
    with pytest.raises(ValidationError):
        RegistrationCreate.model_validate(
            {
                "type": "buyer",
                "company": {"name": "X", "country": "FR"},
                "participants": [person, {**person, "email": "A@b.example"}],
            }
        )


def _dates(**offsets_days: int) -> KeyDates:
    return KeyDates.model_validate({k: T0 + timedelta(days=v) for k, v in offsets_days.items()})


def test_key_dates_in_order_pass() -> None:
    dates = _dates(
        registration_opens_at=-100,
        catalogue_opens_at=-60,
        requests_deadline_at=-20,
        answers_deadline_at=-10,
        agenda_published_at=-5,
        registration_closes_at=-1,
        sms_activation_at=-1,
    )
    assert key_date_errors(T0, T0 + timedelta(days=1), dates) == []


@pytest.mark.parametrize(
    ("offsets", "bad_field"),
    [
        ({"registration_opens_at": -10, "registration_closes_at": -20}, "key_dates.registration_closes_at"),
        ({"registration_opens_at": -10, "registration_closes_at": -10}, "key_dates.registration_closes_at"),
        ({"registration_closes_at": 5}, "key_dates.registration_closes_at"),
        ({"requests_deadline_at": -5, "answers_deadline_at": -6}, "key_dates.answers_deadline_at"),
        ({"agenda_published_at": 1}, "key_dates.agenda_published_at"),
        ({"agenda_published_at": -3, "sms_activation_at": -4}, "key_dates.sms_activation_at"),
        ({"registration_opens_at": -10, "catalogue_opens_at": -11}, "key_dates.catalogue_opens_at"),
    ],
)
def test_key_dates_out_of_order(offsets: dict[str, int], bad_field: str) -> None:
    errors = key_date_errors(T0, T0 + timedelta(days=1), _dates(**offsets))
    assert bad_field in {e.field for e in errors}


def test_start_before_end() -> None:
    assert [e.field for e in key_date_errors(T0, T0, KeyDates())] == ["ends_at"]


def _event_input(**extra: Any) -> dict[str, Any]:
    return {
        "name": {"fr": "Salon"},
        "starts_at": T0,
        "ends_at": T0 + timedelta(days=1),
        "time_zone": "Europe/Paris",
        **extra,
    }


def test_event_validation() -> None:
    assert EventCreate.model_validate(_event_input()).currency == "EUR"
    for bad in (
        {"time_zone": "Mars/Olympus"},
        {"currency": "eur"},
        {"vat_mode": "maybe"},
        {"locales": ["de"]},
        {"locales": ["en"]},
    ):
        with pytest.raises(ValidationError):
            EventCreate.model_validate(_event_input(**bad))
    with pytest.raises(ValidationError):
        EventCreate.model_validate({**_event_input(), "starts_at": "2027-06-10T08:00:00"})  # naive


def test_patch_merges_key_dates_and_revalidates() -> None:
    now = datetime.now(UTC)
    event = Event(
        event_id="e",
        tenant_id="t",
        created_at=now,
        updated_at=now,
        **EventCreate.model_validate(_event_input()).model_dump(),
    )
    merged, errors = apply_patch(
        event,
        EventPatch.model_validate({"key_dates": {"registration_opens_at": T0 + timedelta(days=3)}}),
        now,
    )
    assert [e.field for e in errors] == ["key_dates.registration_opens_at"]
    _, errors = apply_patch(event, EventPatch.model_validate({"key_dates": {"bogus": T0}}), now)
    assert errors[0].field == "key_dates.bogus"
    merged, errors = apply_patch(event, EventPatch.model_validate({"status": "published"}), now)
    assert errors == [] and merged.status == "published"


def test_only_a_change_of_dates_deadlines_or_time_zone_moves_the_event() -> None:
    now = datetime.now(UTC)
    event = Event(
        event_id="e",
        tenant_id="t",
        created_at=now,
        updated_at=now,
        **EventCreate.model_validate(_event_input()).model_dump(),
    )

    def patched(patch: dict[str, Any]) -> Event:
        merged, errors = apply_patch(event, EventPatch.model_validate(patch), now)
        assert errors == []
        return Event(event_id="e", tenant_id="t", created_at=now, updated_at=now, **merged.model_dump())

    assert not dates_changed(event, patched({"name": {"fr": "Autre", "en": "Other"}, "status": "published"}))
    assert not dates_changed(event, patched({"starts_at": event.starts_at}))  # the same date again
    assert dates_changed(event, patched({"starts_at": event.starts_at + timedelta(hours=1)}))
    assert dates_changed(event, patched({"time_zone": "America/New_York"}))
    assert dates_changed(
        event, patched({"key_dates": {"requests_deadline_at": event.starts_at - timedelta(days=9)}})
    )


def test_registration_open_window() -> None:
    now = datetime.now(UTC)
    data = EventCreate.model_validate(
        _event_input(
            status="published",
            key_dates={"registration_opens_at": T0 - timedelta(days=10), "registration_closes_at": T0},
        )
    ).model_dump()
    event = Event(event_id="e", tenant_id="t", created_at=now, updated_at=now, **data)
    assert event.registration_open(T0 - timedelta(days=1))
    assert not event.registration_open(T0)
    assert not event.registration_open(T0 - timedelta(days=11))
    assert not event.model_copy(update={"status": "draft"}).registration_open(T0 - timedelta(days=1))


def _node(code: str, parent: str | None = None) -> TaxonomyNode:
    return TaxonomyNode(code=code, parent=parent, labels=L)  # type: ignore[arg-type]


def test_taxonomy_three_levels_ok() -> None:
    assert taxonomy_errors([_node("A"), _node("A.1", "A"), _node("A.1.X", "A.1")]) == []


def test_taxonomy_errors() -> None:
    too_deep = [_node("A"), _node("B", "A"), _node("C", "B"), _node("D", "C")]
    assert [e.field for e in taxonomy_errors(too_deep)] == ["nodes[3].parent"]
    assert [e.field for e in taxonomy_errors([_node("A"), _node("A")])] == ["nodes[1].code"]
    assert [e.field for e in taxonomy_errors([_node("A", "Z")])] == ["nodes[0].parent"]
    cycle = taxonomy_errors([_node("A", "B"), _node("B", "A")])
    assert {e.message for e in cycle} == {"cycle in the taxonomy"}
    with pytest.raises(ValidationError):
        _node("lower")


def _type(code: str, see: list[str], request: list[str]) -> ParticipationTypeCreate:
    return ParticipationTypeCreate.model_validate(
        {"code": code, "labels": L, "can_see": see, "can_request": request}
    )


def test_visibility_rules() -> None:
    types = {
        "buyer": _type("buyer", ["supplier", "exhibitor"], ["supplier"]),
        "supplier": _type("supplier", ["buyer"], ["buyer"]),
        "visitor": _type("visitor", ["exhibitor"], []),
    }
    assert may_see("buyer", "exhibitor", types) and not may_request("buyer", "exhibitor", types)
    assert may_request("supplier", "buyer", types)
    assert not may_see("supplier", "supplier", types)
    assert not may_see("ghost", "buyer", types)
    assert visible_types("buyer", types) == {"supplier"}  # exhibitor not defined yet
    with pytest.raises(ValidationError):
        _type("x1", ["buyer"], ["supplier"])  # may not request what it cannot see
    with pytest.raises(ValidationError):
        _type("Bad Code", [], [])
