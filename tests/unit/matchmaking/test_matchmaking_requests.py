"""Meeting requests, pure: windows, send rules, caps as data, transitions, weights and exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError
from salon.kernel.errors import (
    DuplicateRequest,
    InvalidTransition,
    LimitReached,
    ValidationFailed,
    WindowClosed,
)
from salon.kernel.spreadsheets import to_csv, to_xlsx
from salon.matchmaking.domain.request_commands import RequestView
from salon.matchmaking.domain.requests import (
    TRANSITIONS,
    Actor,
    Company,
    Counts,
    LiveRequest,
    MeetingRequest,
    RequestInput,
    RequestLimits,
    SendContext,
    check_send,
    check_window,
    mutual_or_duplicate,
    next_state,
)
from salon.matchmaking.domain.requests_export import Directory, rows
from salon.matchmaking.domain.weights import MAX_BOOST, weight
from salon.registration.domain.events import KeyDates

NOW = datetime(2026, 5, 10, 12, tzinfo=UTC)
DATES = KeyDates(
    catalogue_opens_at=NOW - timedelta(days=5),
    requests_deadline_at=NOW + timedelta(days=5),
    answers_deadline_at=NOW + timedelta(days=10),
)
BUYER = Company("reg_a", "evt", "buyer", "validated", {"par_a1": "active", "par_a2": "deactivated"})
SUPPLIER = Company("reg_b", "evt", "supplier", "validated", {"par_b1": "pending"})


def context(**changes: object) -> SendContext:
    base: dict[str, object] = {
        "now": NOW,
        "key_dates": DATES,
        "sender": BUYER,
        "receiver": SUPPLIER,
        "counts": Counts(),
        "limits": RequestLimits(),
    }
    base.update(changes)
    return SendContext(**base)  # type: ignore[arg-type]


def test_a_valid_request_passes_every_rule() -> None:
    check_send(
        context(), RequestInput(to_registration_id="reg_b", from_participant_ids=["par_a1"], priority=1)
    )


@pytest.mark.parametrize(
    ("dates", "detail"),
    [
        (KeyDates(), "catalogue_opens_at"),
        (DATES.model_copy(update={"catalogue_opens_at": NOW + timedelta(seconds=1)}), "catalogue_opens_at"),
        (DATES.model_copy(update={"requests_deadline_at": NOW}), "requests_deadline_at"),
    ],
)
def test_requests_are_sent_only_while_the_catalogue_is_open_and_before_the_deadline(
    dates: KeyDates, detail: str
) -> None:
    with pytest.raises(WindowClosed) as caught:
        check_send(context(key_dates=dates), RequestInput(to_registration_id="reg_b"))
    assert detail in caught.value.detail


def test_answers_close_at_their_own_deadline() -> None:
    after_requests = NOW + timedelta(days=7)
    check_window("approve", DATES, after_requests)
    check_window("cancel", DATES, after_requests)
    with pytest.raises(WindowClosed):
        check_window("send", DATES, after_requests)
    with pytest.raises(WindowClosed):
        check_window("refuse", DATES, NOW + timedelta(days=10))


def test_every_broken_rule_is_reported_with_its_field() -> None:
    stranger = Company("reg_a", "other-evt", "buyer", "submitted", {})
    body = RequestInput(
        to_registration_id="reg_a", from_participant_ids=["par_a2", "par_x"], to_participant_ids=["par_zz"]
    )
    with pytest.raises(ValidationFailed) as caught:
        check_send(context(receiver=stranger), body)
    fields = [(e.field, e.message) for e in caught.value.errors]
    assert ("to_registration_id", "a company cannot request a meeting with itself") in fields
    assert ("to_registration_id", "not a company of this event") in fields
    assert ("to_registration_id", "that company is not validated") in fields
    assert [f for f, _ in fields if "participant" in f] == [
        "from_participant_ids[0]",
        "from_participant_ids[1]",
        "to_participant_ids[0]",
    ]
    assert type(caught.value) is ValidationFailed


def test_caps_are_data_of_the_type() -> None:
    limits = RequestLimits(max_requests_sent=5, max_priority_one=2)
    check_send(
        context(limits=limits, counts=Counts(4, 2)), RequestInput(to_registration_id="reg_b", priority=2)
    )
    with pytest.raises(LimitReached) as caught:
        check_send(
            context(limits=limits, counts=Counts(4, 2)), RequestInput(to_registration_id="reg_b", priority=1)
        )
    assert [e.field for e in caught.value.errors] == ["priority"]
    with pytest.raises(LimitReached) as caught:
        check_send(context(limits=limits, counts=Counts(5, 0)), RequestInput(to_registration_id="reg_b"))
    assert [e.field for e in caught.value.errors] == ["to_registration_id"]


def test_input_bounds() -> None:
    with pytest.raises(ValidationError):
        RequestInput(to_registration_id="reg_b", message="x" * 1001)
    for priority in (0, 4):
        with pytest.raises(ValidationError):
            RequestInput(to_registration_id="reg_b", priority=priority)
    with pytest.raises(ValidationError):
        RequestInput(to_registration_id="reg_b", to_participant_ids=["p", "p"])


def test_only_a_sent_request_moves() -> None:
    assert next_state("sent", "approve") == "approved"
    assert next_state("sent", "refuse") == "refused"
    assert next_state("sent", "cancel") == "cancelled"
    assert next_state("sent", "expire") == "expired"
    for state in ("approved", "refused", "cancelled", "expired"):
        for action in ("approve", "refuse", "cancel", "expire"):
            assert (state, action) not in TRANSITIONS
            with pytest.raises(InvalidTransition):
                next_state(state, action)  # type: ignore[arg-type]


def request(**changes: object) -> MeetingRequest:
    base: dict[str, object] = {
        "request_id": "mr_1",
        "tenant_id": "t",
        "event_id": "evt",
        "from_registration_id": "reg_a",
        "to_registration_id": "reg_b",
        "from_participant_ids": ["par_a1"],
        "to_participant_ids": [],
        "priority": 2,
        "state": "sent",
        "sent_by": Actor(sub="u1", role="participant", participant_id="par_a1"),
        "created_at": NOW,
        "updated_at": NOW,
    }
    base.update(changes)
    return MeetingRequest.model_validate(base)


def test_an_unanswered_request_reads_as_expired_after_the_answers_deadline() -> None:
    deadline = DATES.answers_deadline_at
    assert deadline is not None
    assert request().effective_state(DATES, deadline - timedelta(seconds=1)) == "sent"
    assert request().effective_state(DATES, deadline) == "expired"
    assert request(state="approved").effective_state(DATES, deadline) == "approved"


def test_asking_a_company_that_asked_me_approves_theirs_anything_else_is_a_duplicate() -> None:
    mutual_or_duplicate(LiveRequest("mr_1", "reg_b", "sent"), "reg_a")
    for live in (LiveRequest("mr_1", "reg_a", "sent"), LiveRequest("mr_1", "reg_b", "approved")):
        with pytest.raises(DuplicateRequest):
            mutual_or_duplicate(live, "reg_a")


def test_weights_order_mutual_then_priorities_and_boost_lifts_a_pair() -> None:
    def w(mutual: bool, priority: int, boost: int = 0) -> int:
        return weight(state="approved", mutual=mutual, priority=priority, boost=boost)

    assert w(True, 3) > w(False, 1) > w(False, 2) > w(False, 3) > 0
    assert w(True, 1) == w(True, 3)
    assert w(False, 3, boost=MAX_BOOST) == w(True, 3)
    assert w(False, 2, boost=1) > w(False, 2)
    assert weight(state="sent", mutual=True, priority=1) == 0
    with pytest.raises(ValueError):
        w(False, 1, boost=MAX_BOOST + 1)


def views() -> list[RequestView]:
    first = request(
        message='=HYPERLINK("x")', state="approved", mutual=True, answered_at=NOW + timedelta(hours=1)
    )
    second = request(
        request_id="mr_2", to_registration_id="reg_c", state="refused", refusal_reason="Pas le bon moment"
    )
    return [
        RequestView(**r.model_dump(exclude={"tenant_id", "updated_at", "ended_at", "version"}), weight=w)
        for r, w in ((first, 40), (second, 0))
    ]


NAMES = Directory({"reg_a": "Émballages Dupont", "reg_b": "Acme", "reg_c": "Zeta"}, {"par_a1": "Zoé Martin"})


def test_csv_export_has_a_bom_names_local_dates_and_the_chosen_separator() -> None:
    data = to_csv(rows(views(), NAMES, "Europe/Paris", "fr"), ";")
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Demande", "Société demandeuse", "Participants demandeurs"]
    assert table[1][1:6] == ["Émballages Dupont", "Zoé Martin", "Acme", "", "acceptée"]
    assert table[1][7:9] == ["oui", "40"]
    assert table[1][9] == '\'=HYPERLINK("x")'  # never a formula
    assert table[1][11:13] == ["2026-05-10 14:00", "2026-05-10 15:00"]  # UTC+2 in May
    assert table[2][3] == "Zeta" and table[2][5] == "refusée" and table[2][10] == "Pas le bon moment"
    default = list(csv.reader(io.StringIO(to_csv(rows(views(), NAMES, "UTC", "en")).decode("utf-8-sig"))))
    assert default[1][5] == "approved" and default[1][11] == "2026-05-10 12:00"


def test_xlsx_export_reads_back() -> None:
    data = to_xlsx(rows(views(), NAMES, "Europe/Paris", "en"))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Request" and len(values) == 3
    assert values[1][1] == "Émballages Dupont" and values[1][6] == 2 and values[1][8] == 40
    assert values[2][5] == "refused"
