"""Problem and schedule documents: a problem reads back into the same instance, every field at fault
is named, and the schedule document carries the validator's verdict."""

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from salon_scheduler.document import problem_document, read_problem, schedule_document
from salon_scheduler.engine import solve
from salon_scheduler.generator import Tier, generate
from salon_scheduler.instance import Instance, Meeting, Mode, Placement, Slot, Table

SAMPLE = Path(__file__).parents[3] / "events" / "schedule" / "problem.json"


def sample_instance() -> Instance:
    """The committed sample problem is this generated salon (regenerate it from here if it changes)."""
    return replace(generate(Tier("sample", 40, 120), 0), name="sample-40")


def small_document() -> dict[str, Any]:
    instance = Instance(
        name="small",
        participant_company=(0, 0, 1, 2),
        slots=(Slot(0, session=0), Slot(1, session=0), Slot(2, session=1), Slot(3, day=1, session=1)),
        tables=(Table(0), Table(1, capacity=3, dedicated_company=2, unavailable_slots=frozenset({0}))),
        meetings=(
            Meeting(0, (0, 1), (0, 2), weight=3, required=True),
            Meeting(1, (0, 2), (0, 1, 3), sessions=frozenset({1}), existing=Placement(1, 2, 1)),
            Meeting(2, (1, 2), (2, 3), fixed_slot=1),
        ),
        forbidden={3: frozenset({0})},
        max_meetings={0: 2},
        min_meetings={2: 1},
        company_max_meetings={2: 2},
        precedences=((2, 1),),
        mode=Mode.MOVING_ALLOWED,
        break_fairness=1,
    )
    return json.loads(json.dumps(problem_document(instance)))


def fields_at_fault(document: dict[str, Any]) -> dict[tuple[int | str, ...], str]:
    with pytest.raises(ValidationError) as caught:
        read_problem(document)
    return {tuple(error["loc"]): error["msg"] for error in caught.value.errors()}


def test_every_field_of_a_problem_reads_back_into_the_same_instance() -> None:
    document = small_document()
    instance = read_problem(document)
    assert problem_document(instance) == document
    assert instance.meetings[1].existing == Placement(1, 2, 1)
    assert instance.forbidden == {3: frozenset({0})} and instance.mode == Mode.MOVING_ALLOWED


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generated_salons_survive_the_round_trip_through_json(seed: int) -> None:
    instance = generate(Tier("round-trip", 60, 200, days=2), seed)
    assert read_problem(json.loads(json.dumps(problem_document(instance)))) == instance


def test_the_committed_sample_problem_is_the_generated_salon() -> None:
    assert read_problem(json.loads(SAMPLE.read_text())) == sample_instance()


def test_cross_references_are_checked_and_each_fault_is_named() -> None:
    document = small_document()
    document["meetings"][0]["participants"] = [0, 9]
    document["meetings"][1]["existing"] = {"slot": 7, "table": 5}
    document["meetings"][2]["companies"] = [2, 2]
    document["meetings"][2]["sessions"] = [4]
    document["tables"][1]["dedicated_company"] = 8
    document["forbidden"]["12"] = [1]
    document["min_meetings"]["0"] = 3
    document["precedences"] = [[1, 1], [0, 5]]
    document["slots"][3]["day"] = 0
    document["slots"][2]["day"] = 1
    faults = fields_at_fault(document)
    assert faults == {
        ("slots", 3, "day"): "slots must be listed day by day",
        ("tables", 1, "dedicated_company"): "no participant of this company",
        ("meetings", 0, "participants", 1): "no such participant",
        ("meetings", 1, "existing", "slot"): "no such slot",
        ("meetings", 1, "existing", "table"): "no such table",
        ("meetings", 2, "companies"): "a meeting is between two different companies",
        ("meetings", 2, "participants", 0): "belongs to neither company",
        ("meetings", 2, "sessions", 0): "no slot belongs to this session",
        ("forbidden", 12): "no such participant",
        ("min_meetings", 0): "above this participant's max_meetings",
        ("precedences", 0): "a meeting cannot precede itself",
        ("precedences", 1, 1): "no such meeting",
    }


def test_participants_must_come_from_the_meetings_two_companies() -> None:
    document = small_document()
    document["meetings"][0]["participants"] = [0, 3]  # person 3 works for company 2
    document["meetings"][1]["participants"] = [0, 1]  # both from company 0, none from company 2
    document["meetings"][2]["participants"] = [2, 2, 3]
    faults = fields_at_fault(document)
    assert faults == {
        ("meetings", 0, "participants", 1): "belongs to neither company",
        ("meetings", 1, "participants"): "each company needs a participant",
        ("meetings", 2, "participants"): "a participant is listed twice",
    }


def test_shape_errors_come_before_cross_references() -> None:
    document = small_document()
    document["meetings"][0]["weight"] = 0
    document["tables"][0]["colour"] = "red"
    del document["slots"]
    faults = fields_at_fault(document)
    assert set(faults) == {("meetings", 0, "weight"), ("tables", 0, "colour"), ("slots",)}


def test_the_schedule_document_carries_placements_reasons_stages_and_the_validators_verdict() -> None:
    instance = read_problem(small_document())
    schedule = solve(instance, 5.0, 0)
    document = json.loads(json.dumps(schedule_document(instance, schedule)))
    placed = {p["meeting"] for p in document["placements"]}
    assert placed | {u["meeting"] for u in document["unscheduled"]} == {0, 1, 2}
    assert [s["name"] for s in document["stages"]] == ["weight", "fairness", "breaks", "tables"]
    assert document["violations"] == []
    assert document["metrics"]["meetings_placed"] == len(placed)
    assert 0 in placed  # required
