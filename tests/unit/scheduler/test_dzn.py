import csv
import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from salon_scheduler.dzn import DznError, dzn_text, instance_from_fields, parse_dzn, read_dzn, write_dzn
from salon_scheduler.instance import Instance, Meeting, Mode, Placement, Slot, Table

ANCHORS = Path(
    os.environ.get("SALON_B2B_INSTANCES", Path(__file__).parents[3] / ".." / "shared/anchors/b2b-instances")
)

TINY = """
nBusiness = 3;
nMeetings = 3;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2,1,
|2, 3,2,
|3, 1,3,
|];
meetingsxBusiness = [{1,2,4},{1,2,3},{1,3,4}];
nMeetingsBusiness = [2,2,2];
forbidden = [{0},{},{2,4}];
fixed = [0,3,0];
precedences = [{},{1},{1..2}];
"""


def test_reads_the_jair_fields_zero_based(tmp_path: Path) -> None:
    path = tmp_path / "tiny.original.dzn"
    path.write_text(TINY)
    instance = read_dzn(path)
    assert instance.name == "tiny.original"
    assert instance.participant_company == (0, 1, 2)
    assert [s.session for s in instance.slots] == [0, 0, 1, 1]
    assert {s.day for s in instance.slots} == {0}
    assert instance.tables == (Table(0), Table(1))
    first, second, third = instance.meetings
    assert first == Meeting(0, companies=(0, 1), participants=(0, 1), sessions=frozenset({0}))
    assert second.sessions == frozenset({1}) and second.fixed_slot == 2
    assert third.participants == (2, 0) and third.sessions is None and third.fixed_slot is None
    assert instance.forbidden == {2: frozenset({1, 3})}
    assert sorted(instance.precedences) == [(0, 1), (0, 2), (1, 2)]
    assert instance.break_fairness == 2


def test_written_jair_part_reads_like_an_original() -> None:
    fields = parse_dzn(TINY)
    instance = read_dzn_text(TINY)
    rewritten = parse_dzn("\n".join(line for line in dzn_text(instance).splitlines() if "%" not in line))
    for key in (
        "nBusiness",
        "nMeetings",
        "nTables",
        "nTotalSlots",
        "requested",
        "meetingsxBusiness",
        "fixed",
    ):
        assert rewritten[key] == fields[key]
    assert read_dzn_text(dzn_text(instance)) == instance


def test_rejects_garbage() -> None:
    with pytest.raises(DznError):
        parse_dzn("nBusiness = ;")
    with pytest.raises(DznError):
        read_dzn_text("nBusiness = 1;")


def read_dzn_text(text: str) -> Instance:
    return instance_from_fields(parse_dzn(text), "tiny")


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    n_companies = draw(st.integers(1, 4))
    company = tuple(draw(st.lists(st.integers(0, n_companies - 1), min_size=2, max_size=8)))
    n_persons = len(company)
    n_slots = draw(st.integers(1, 6))
    slots = tuple(
        Slot(
            index=s, day=s // 3, session=draw(st.integers(0, 2)), label=draw(st.sampled_from(["", "9:00 %"]))
        )
        for s in range(n_slots)
    )
    slot_ids = st.integers(0, n_slots - 1)
    tables = tuple(
        Table(
            index=t,
            capacity=draw(st.integers(2, 4)),
            dedicated_company=draw(st.none() | st.integers(0, n_companies - 1)),
            unavailable_slots=draw(st.frozensets(slot_ids, max_size=2)),
        )
        for t in range(draw(st.integers(1, 3)))
    )
    meetings = []
    for m in range(draw(st.integers(0, 6))):
        people = draw(st.lists(st.integers(0, n_persons - 1), min_size=2, max_size=3, unique=True))
        existing = draw(
            st.none() | st.builds(Placement, st.just(m), slot_ids, st.integers(0, len(tables) - 1))
        )
        meetings.append(
            Meeting(
                index=m,
                companies=(company[people[0]], company[people[1]]),
                participants=tuple(people),
                weight=draw(st.integers(1, 5)),
                sessions=draw(st.none() | st.frozensets(st.integers(0, 2))),
                required=draw(st.booleans()),
                fixed_slot=draw(st.none() | slot_ids),
                existing=existing,
            )
        )
    pairs = st.tuples(st.integers(0, len(meetings) - 1), st.integers(0, len(meetings) - 1))
    persons = st.integers(0, n_persons - 1)
    return Instance(
        name=draw(st.sampled_from(["gen-S-1", 'odd "name"'])),
        participant_company=company,
        slots=slots,
        tables=tables,
        meetings=tuple(meetings),
        forbidden=draw(st.dictionaries(persons, st.frozensets(slot_ids, min_size=1))),
        max_meetings=draw(st.dictionaries(persons, st.integers(0, 9))),
        min_meetings=draw(st.dictionaries(persons, st.integers(0, 9))),
        company_max_meetings=draw(st.dictionaries(st.integers(0, max(company)), st.integers(0, 9))),
        precedences=tuple(sorted(set(draw(st.lists(pairs, max_size=4))))) if meetings else (),
        mode=draw(st.sampled_from(list(Mode))),
        break_fairness=draw(st.none() | st.integers(0, 3)),
    )


def canonical(instance: Instance) -> Instance:
    """What the format keeps: precedences as a set (the file groups them per meeting)."""
    return replace(instance, precedences=tuple(sorted(instance.precedences, key=lambda p: (p[1], p[0]))))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_round_trip(instance: Instance) -> None:
    assert read_dzn_text(dzn_text(instance)) == canonical(instance)


def test_write_then_read_file(tmp_path: Path) -> None:
    instance = read_dzn_text(TINY)
    write_dzn(instance, tmp_path / "x.dzn")
    assert read_dzn(tmp_path / "x.dzn") == instance


needs_anchors = pytest.mark.skipif(not (ANCHORS / "udg-noves").is_dir(), reason="JAIR instances not present")


@needs_anchors
@pytest.mark.parametrize("stem", ["tic-12.original", "forum-13.prec15", "ticf-14crafa.fixed040-Forb"])
def test_real_originals_match_the_summary(stem: str) -> None:
    with (ANCHORS / "instances_summary.csv").open() as handle:
        row = next(r for r in csv.DictReader(handle) if r["file"] == stem + ".dzn")
    instance = read_dzn(ANCHORS / "udg-noves" / f"{stem}.dzn")
    assert instance.name == stem
    assert instance.n_participants == int(row["nBusiness"])
    assert len(instance.meetings) == int(row["nMeetings"])
    assert len(instance.slots) == int(row["nTotalSlots"])
    assert sum(s.session == 0 for s in instance.slots) == int(row["nMorningSlots"])
    assert len(instance.tables) == int(row["nTables"])
    assert sum(m.sessions == frozenset({0}) for m in instance.meetings) == int(row["meetings_morning_only"])
    assert sum(m.sessions is None for m in instance.meetings) == int(row["meetings_any_session"])
    assert sum(len(s) for s in instance.forbidden.values()) == int(row["forbidden_participant_slots"])
    assert sum(m.fixed_slot is not None for m in instance.meetings) == int(row["fixed_meetings"])
    assert len(instance.precedences) == int(row["precedence_arcs"])
    active = {p for m in instance.meetings for p in m.participants}
    assert len(active) == int(row["active_participants"])
    assert read_dzn_text(dzn_text(instance)) == instance
