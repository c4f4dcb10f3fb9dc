import csv
import json
from pathlib import Path

import pytest
from salon_scheduler.bench import Case, Published, anchors_dir, published_breaks, run_bench, summary_notes
from salon_scheduler.dzn import read_dzn
from salon_scheduler.generator import Tier, generate
from salon_scheduler.instance import Placement
from salon_scheduler.validate import validate


def test_harness_end_to_end_on_a_tiny_generated_salon(tmp_path: Path) -> None:
    tier = Tier("tiny", 16, 32, slots_per_day=6)
    rows = run_bench([Case("gen-tiny-s0", None, tier, 2.0)], tmp_path)

    assert read_dzn(tmp_path / "gen-tiny-s0.dzn") == generate(tier, 0)
    [row] = rows
    assert row["engine_violations"] == "0" and row["greedy_violations"] == "0"
    assert int(row["engine_weight"]) >= 1
    with (tmp_path / "results.csv").open() as handle:
        assert [r["instance"] for r in csv.DictReader(handle)] == ["gen-tiny-s0"]
    assert "| gen-tiny-s0 |" in (tmp_path / "results.md").read_text()
    for name in ("gen-tiny-s0.json", "gen-tiny-s0.greedy.json"):
        document = json.loads((tmp_path / name).read_text())
        assert document["instance"] == "gen-tiny-s0"
        assert {"status", "wall_s", "breaks", "meetings"} <= set(document)
        placed = document["meetings"]
        assert all(1 <= m["meeting"] <= 32 and 1 <= m["slot"] <= 6 for m in placed)
        assert len(placed) == int(row[f"{document['solver']}_placed"])
        schedule = tuple(Placement(m["meeting"] - 1, m["slot"] - 1, m["table"] - 1) for m in placed)
        metrics = validate(generate(tier, 0), schedule).metrics  # the tables objective, as validated
        assert row[f"{document['solver']}_table_changes"] == str(metrics.table_changes_total)


@pytest.mark.skipif(not (anchors_dir() / "jair2022_results_long.csv").exists(), reason="JAIR data absent")
def test_published_results_take_the_best_proven_value() -> None:
    published = published_breaks()
    assert published["forum-13.original"] == Published(0, proven=True, infeasible=False)
    assert published["forum-13crafb.original"] == Published(6, proven=True, infeasible=False)
    assert published["tic-14crafd.fixed040-Forb"].infeasible


def _row(
    name: str,
    published: str,
    breaks: str,
    placed: str = "10",
    violations: str = "0",
    fair: str = "True",
    wall: str = "30.00",
) -> dict[str, str]:
    return {
        "instance": name,
        "requested": "10",
        "published_breaks_d2": published,
        "time_limit_s": "60",
        "engine_placed": placed,
        "engine_violations": violations,
        "engine_breaks": breaks,
        "engine_fair": fair,
        "engine_wall_s": wall,
    }


def test_summary_counts_only_complete_valid_schedules_at_the_published_value() -> None:
    rows = [
        _row("a", "3", "3"),
        _row("b", "3", "4"),
        _row("c", "0", "0", placed="9"),
        _row("d", "2", "2", violations="1"),
        _row("e", "5 (unproven)", "4"),
        _row("f", "infeasible", ""),
    ]
    notes = summary_notes(rows)
    assert notes[0] == (
        "Engine breaks equal to the published best on 1 of 5 instances; below the published value on: e."
    )
    assert notes[1].endswith("within the time limit: 1 of 5 instances.")
    assert notes[2] == "Published best not proven optimal for: e."


def test_fairness_checked_count_needs_a_fair_schedule_within_its_time_limit() -> None:
    rows = [_row("a", "3", "3"), _row("b", "3", "3", fair="False"), _row("c", "3", "3", wall="61.50")]
    notes = summary_notes(rows)
    assert notes[0].startswith("Engine breaks equal to the published best on 3 of 3 instances")
    assert notes[1].endswith("within the time limit: 1 of 3 instances.")
