"""Break-holder probes: a probe finds the schedule in which only the named person has breaks, or
nothing when that person cannot hold them; the annealer reports who holds breaks near its best."""

import time

from salon_scheduler.engine.anneal import Annealer
from salon_scheduler.engine.breaks import count_breaks
from salon_scheduler.engine.holders import HolderBoard, probe_break_holders
from salon_scheduler.engine.prepare import prepare
from salon_scheduler.instance import Instance, Meeting, Slot, Table


def one_break_instance() -> Instance:
    """One table, four slots. Person 0 meets 1 and 2; person 1 also meets 3 and 4; person 2 can
    only come in slots 1-2. Person 1's three meetings cannot be consecutive without pushing the
    meeting with person 2 to slot 0 or 3, so the optimum is one break, and only person 1 can hold
    it."""
    pairs = ((0, 1), (0, 2), (1, 3), (1, 4))
    return Instance(
        name="one-break",
        participant_company=tuple(range(5)),
        slots=tuple(Slot(t) for t in range(4)),
        tables=(Table(0),),
        meetings=tuple(Meeting(i, companies=p, participants=p) for i, p in enumerate(pairs)),
        forbidden={2: frozenset({0, 3})},
    )


TWO_BREAKS = {2: 0, 1: 1, 3: 2, 0: 3}  # persons 0 and 1 each have one break


def probe(board: HolderBoard) -> list[dict[int, int]]:
    instance = one_break_instance()
    prep = prepare(instance)
    offered: list[dict[int, int]] = []
    best = [sum(count_breaks(prep, TWO_BREAKS))]

    def offer(schedule: dict[int, int]) -> None:
        offered.append(schedule)
        best[0] = min(best[0], sum(count_breaks(prep, schedule)))

    probe_break_holders(
        prep, frozenset(TWO_BREAKS), 2, board, 0.0, lambda: best[0], offer, time.monotonic() + 30, 10, 0
    )
    return offered


def test_the_board_puts_the_most_seen_untried_person_first() -> None:
    board = HolderBoard()
    board.note([4, 2])
    board.note([2, 7])
    board.note([7])
    assert board.most_seen(set()) == 2  # seen twice, like 7, and the smaller id
    assert board.most_seen({2}) == 7
    assert board.most_seen({2, 7}) == 4
    assert board.most_seen({2, 4, 7}) is None


def test_a_probe_on_the_right_holder_finds_the_optimum_after_refuting_the_wrong_one() -> None:
    board = HolderBoard()
    board.note([0])
    board.note([0, 1])  # person 0 is probed first and cannot hold the break
    offered = probe(board)
    assert len(offered) == 1
    prep = prepare(one_break_instance())
    assert count_breaks(prep, offered[0]) == [0, 1, 0, 0, 0]
    assert sorted(offered[0].values()) == [0, 1, 2, 3]  # one table: one meeting per slot
    assert offered[0][1] in (1, 2)  # person 2 comes in slots 1-2 only


def test_a_probe_offers_nothing_when_the_named_person_cannot_hold_the_breaks() -> None:
    board = HolderBoard()
    board.note([0])
    assert probe(board) == []


def test_the_annealer_reports_who_holds_breaks_near_its_best() -> None:
    instance = one_break_instance()
    prep = prepare(instance)
    heard: list[list[int]] = []
    annealer = Annealer(prep, TWO_BREAKS, 2, 0, 1000.0)
    annealer.run(time.monotonic() + 30, work=20_000, report_holders=heard.append)
    assert heard[0] == [0, 1]  # the start: both have a break, and it is the best so far
    assert all(set(persons) <= {0, 1} for persons in heard)
    assert annealer.best_cost == 1


def test_the_annealer_stops_when_told_to() -> None:
    prep = prepare(one_break_instance())
    annealer = Annealer(prep, TWO_BREAKS, 2, 0, 1000.0)
    annealer.run(time.monotonic() + 30, work=20_000, stop=lambda: True)
    assert annealer.slot_of == TWO_BREAKS and annealer.work == 0
