"""Scheduler benchmark: `make bench-scheduler` (= `python -m salon_scheduler.bench`).

Runs the greedy baseline and the engine on the JAIR 2022 instances and on generated salons, each
run in a fresh subprocess (so its peak memory is its own), validates every schedule independently
and writes `results.md`, `results.csv` and one JSON per schedule to `bench-results/scheduler/`.

Environment: SCOPE=jair (the 20 originals) | crafted (the 120 JAIR variants) | generated (the
tiers) | unset (everything); `make bench-scheduler SCOPE=runs` runs localcloud.bench_runs instead
(scheduling runs end to end on the local cloud); TIME_LIMIT overrides the engine's
per-instance limit; JOBS runs that many instances at once (default 1: one solver on the machine,
as the targets assume); SALON_B2B_INSTANCES points at the JAIR data (default:
`../shared/anchors/b2b-instances` from the repository root); BENCH_OUT the output folder.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from salon_scheduler.dzn import read_dzn, write_dzn
from salon_scheduler.generator import TIERS, Tier, generate
from salon_scheduler.instance import Instance, Placement, Schedule
from salon_scheduler.validate import Report, validate

REPO_ROOT = Path(__file__).resolve().parents[3]
JAIR_TIME_LIMIT_S = 60.0
TIER_TIME_LIMIT_S = {"S": 60.0, "M": 60.0, "L": 120.0, "XL": 600.0}
SOLVERS = ("greedy", "engine")


def anchors_dir() -> Path:
    default = REPO_ROOT / ".." / "shared" / "anchors" / "b2b-instances"
    return Path(os.environ.get("SALON_B2B_INSTANCES", default))


@dataclass(frozen=True)
class Case:
    name: str
    dzn: Path | None  # a JAIR file, or None for a generated tier
    tier: Tier | None
    time_limit_s: float


def jair_cases(variants: str, time_limit_s: float | None) -> list[Case]:
    """variants: "original", "crafted" or "all"."""
    folder = anchors_dir() / "udg-noves"
    limit = time_limit_s or JAIR_TIME_LIMIT_S
    paths = sorted(folder.glob("*.dzn"))
    if variants != "all":
        paths = [p for p in paths if p.name.endswith(".original.dzn") == (variants == "original")]
    return [Case(path.name.removesuffix(".dzn"), path, None, limit) for path in paths]


def tier_cases(tiers: Sequence[Tier], time_limit_s: float | None) -> list[Case]:
    return [
        Case(f"gen-{t.name}-s0", None, t, time_limit_s or TIER_TIME_LIMIT_S.get(t.name, 60.0)) for t in tiers
    ]


def cases_for_scope(scope: str, time_limit_s: float | None) -> list[Case]:
    if scope == "jair":
        return jair_cases("original", time_limit_s)
    if scope == "crafted":
        return jair_cases("crafted", time_limit_s)
    if scope == "generated":
        return tier_cases(list(TIERS.values()), time_limit_s)
    if scope in ("", "all"):
        return jair_cases("all", time_limit_s) + tier_cases(list(TIERS.values()), time_limit_s)
    raise SystemExit(f"unknown SCOPE {scope!r}: use jair, crafted, generated or leave it unset")


# ---------------------------------------------------------------- one run, in its own process


def _stage_summary(schedule: Schedule) -> str:
    return " ".join(f"{stage.name}={stage.status.value}" for stage in schedule.stages) or "-"


def run_one(solver: str, dzn: Path, time_limit_s: float, out: Path) -> None:
    """Child process: solve one instance, write the raw schedule and this process's peak memory."""
    instance = read_dzn(dzn)
    started = time.perf_counter()
    if solver == "greedy":
        from salon_scheduler.greedy import greedy

        schedule = greedy(instance)
    else:
        from salon_scheduler.engine import solve  # type: ignore[attr-defined, unused-ignore]

        schedule = solve(instance, time_limit_s=time_limit_s, seed=0)
    wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # solver binaries, if any
    result = {
        "status": _stage_summary(schedule),
        "wall_s": wall,
        "peak_rss_mb": max(own, children) / 1024,  # Linux reports KiB
        "upper_bound": schedule.upper_bound,
        "placements": [[p.meeting, p.slot, p.table] for p in schedule.placements],
    }
    out.write_text(json.dumps(result))


@dataclass(frozen=True)
class Outcome:
    solver: str
    status: str
    wall_s: float  # the solve call alone
    process_s: float  # the whole subprocess: interpreter start, imports, reading the instance
    peak_rss_mb: float
    upper_bound: float | None
    placements: tuple[Placement, ...]
    report: Report | None  # None when the run failed


def run_in_subprocess(solver: str, dzn: Path, instance: Instance, time_limit_s: float) -> Outcome:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "result.json"
        command = [sys.executable, "-m", "salon_scheduler.bench", "--run-one", solver, str(dzn)]
        command += ["--time-limit", str(time_limit_s), "--out", str(out)]
        started = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=2 * time_limit_s + 120)
            failure = "" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["failed"])[-1]
        except subprocess.TimeoutExpired:
            failure = "killed: ran past twice its time limit"
        process_s = time.perf_counter() - started
        if failure or not out.exists():
            return Outcome(solver, f"error: {failure[:120]}", process_s, process_s, 0.0, None, (), None)
        raw: dict[str, Any] = json.loads(out.read_text())
    placements = tuple(Placement(m, s, t) for m, s, t in raw["placements"])
    return Outcome(
        solver=solver,
        status=str(raw["status"]),
        wall_s=float(raw["wall_s"]),
        process_s=process_s,
        peak_rss_mb=float(raw["peak_rss_mb"]),
        upper_bound=float(raw["upper_bound"]),
        placements=placements,
        report=validate(instance, placements),
    )


# ---------------------------------------------------------------- published JAIR numbers


@dataclass(frozen=True)
class Published:
    breaks: int | None
    proven: bool  # an exact solver finished within the time-out
    infeasible: bool

    def describe(self) -> str:
        if self.infeasible:
            return "infeasible"
        if self.breaks is None:
            return "no solution"
        return f"{self.breaks}" if self.proven else f"{self.breaks} (unproven)"


def published_breaks(fairness: int = 2) -> dict[str, Published]:
    """Best JAIR 2022 result per instance: the best proven value, else the best unproven one."""
    path = anchors_dir() / "jair2022_results_long.csv"
    if not path.exists():
        return {}
    proven: dict[str, int] = {}
    unproven: dict[str, int] = {}
    infeasible: set[str] = set()
    with path.open() as handle:
        for row in csv.DictReader(handle):
            if int(row["fairness_d"]) != fairness:
                continue
            name = f"{row['instance']}.{row['variant']}"
            value = row["best_total_breaks_or_dash_unsat"].strip()
            finished = row["time_s_or_TO"].strip() != "TO"
            if value == "-" and finished:
                infeasible.add(name)
            elif value.isdigit():
                target = proven if finished else unproven
                target[name] = min(int(value), target.get(name, int(value)))
    names = set(proven) | set(unproven) | infeasible
    return {
        name: Published(
            breaks=proven.get(name, unproven.get(name)),
            proven=name in proven,
            infeasible=name in infeasible and name not in proven,
        )
        for name in names
    }


# ---------------------------------------------------------------- outputs


def write_schedule_json(path: Path, name: str, outcome: Outcome) -> None:
    """1-based meeting, slot and table numbers, as in the .dzn file."""
    breaks = outcome.report.metrics.breaks_total if outcome.report else None
    header = {
        "instance": name,
        "solver": outcome.solver,
        "status": outcome.status,
        "wall_s": round(outcome.wall_s, 3),
        "breaks": breaks,
    }
    meetings = [
        json.dumps({"meeting": p.meeting + 1, "slot": p.slot + 1, "table": p.table + 1})
        for p in sorted(outcome.placements, key=lambda p: p.meeting)
    ]
    # One meeting per line: readable, diffable, and still plain JSON.
    head = json.dumps(header, indent=1)[:-2]
    listing = "[\n  " + ",\n  ".join(meetings) + "\n ]" if meetings else "[]"
    path.write_text(f'{head},\n "meetings": {listing}\n}}\n')


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None or denominator == 0:
        return ""
    return f"{numerator / denominator:.3f}"


def _share(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.3f}"


def result_row(
    case: Case, instance: Instance, outcomes: dict[str, Outcome], published: Published | None
) -> dict[str, str]:
    row: dict[str, str] = {
        "instance": case.name,
        "persons": str(instance.n_participants),
        "requested": str(len(instance.meetings)),
        "weight_requested": str(sum(m.weight for m in instance.meetings)),
        "published_breaks_d2": published.describe() if published else "",
        "time_limit_s": f"{case.time_limit_s:g}",
    }
    for solver, outcome in outcomes.items():
        metrics = outcome.report.metrics if outcome.report else None
        row[f"{solver}_status"] = outcome.status
        row[f"{solver}_violations"] = str(len(outcome.report.problems)) if outcome.report else ""
        row[f"{solver}_placed"] = str(metrics.meetings_placed) if metrics else ""
        row[f"{solver}_weight"] = str(metrics.weight_placed) if metrics else ""
        row[f"{solver}_upper_bound"] = f"{outcome.upper_bound:g}" if outcome.upper_bound is not None else ""
        row[f"{solver}_breaks"] = str(metrics.breaks_total) if metrics else ""
        row[f"{solver}_share_min"] = f"{metrics.share_min:.3f}" if metrics else ""
        row[f"{solver}_spread"] = str(metrics.breaks_spread) if metrics else ""
        row[f"{solver}_fair"] = str(metrics.fairness_respected) if metrics else ""
        row[f"{solver}_unavoidable_breaks_max"] = str(metrics.breaks_unavoidable_max) if metrics else ""
        row[f"{solver}_dedicated_honoured"] = _share(metrics.dedicated_honour_rate) if metrics else ""
        row[f"{solver}_table_changes"] = str(metrics.table_changes_total) if metrics else ""
        row[f"{solver}_wall_s"] = f"{outcome.wall_s:.2f}"
        row[f"{solver}_process_s"] = f"{outcome.process_s:.2f}"
        row[f"{solver}_peak_mb"] = f"{outcome.peak_rss_mb:.0f}"
    greedy, engine = outcomes.get("greedy"), outcomes.get("engine")
    if greedy and engine and greedy.report and engine.report:
        g, e = greedy.report.metrics, engine.report.metrics
        row["weight_ratio_vs_greedy"] = _ratio(e.weight_placed, g.weight_placed)
        row["breaks_ratio_vs_greedy"] = _ratio(e.breaks_total, g.breaks_total)
        row["wall_ratio_vs_greedy"] = _ratio(engine.wall_s, greedy.wall_s)
    return row


def _published_value(row: dict[str, str]) -> int | None:
    first = row.get("published_breaks_d2", "").split(" ")[0]
    return int(first) if first.isdigit() else None


def _complete_and_valid(row: dict[str, str]) -> bool:
    return row.get("engine_placed") == row["requested"] and row.get("engine_violations") == "0"


def _fair_and_in_time(row: dict[str, str]) -> bool:
    wall, limit = row.get("engine_wall_s", ""), row.get("time_limit_s", "")
    in_time = bool(wall and limit) and float(wall) <= float(limit)
    return row.get("engine_fair") == "True" and in_time


def _cell(row: dict[str, str], key: str) -> str:
    return row.get(key, "") or "-"


def _both(row: dict[str, str], metric: str) -> str:
    return f"{_cell(row, 'engine_' + metric)} / {_cell(row, 'greedy_' + metric)}"


def markdown_table(rows: list[dict[str, str]]) -> str:
    header = (
        "| instance | placed E / G / requested | weight E / G / UB | breaks E / G / JAIR best (d=2) "
        "| spread E / G (unavoidable E) | dedicated honoured E / G | table changes E / G "
        "| violations E / G | fair E / G | engine stages | wall s E / G | peak MB E / G "
        "| E/G weight | E/G breaks |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for row in rows:
        bound = "engine_upper_bound" if row.get("engine_upper_bound") else "greedy_upper_bound"
        cells = [
            row["instance"],
            f"{_both(row, 'placed')} / {row['requested']}",
            f"{_both(row, 'weight')} / {_cell(row, bound)}",
            f"{_both(row, 'breaks')} / {_cell(row, 'published_breaks_d2')}",
            f"{_both(row, 'spread')} ({_cell(row, 'engine_unavoidable_breaks_max')})",
            _both(row, "dedicated_honoured"),
            _both(row, "table_changes"),
            _both(row, "violations"),
            _both(row, "fair"),
            _cell(row, "engine_status"),
            _both(row, "wall_s"),
            _both(row, "peak_mb"),
            _cell(row, "weight_ratio_vs_greedy"),
            _cell(row, "breaks_ratio_vs_greedy"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_results(out_dir: Path, rows: list[dict[str, str]], notes: list[str]) -> None:
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    with (out_dir / "results.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    text = [
        "# Scheduler benchmark",
        "",
        "E = engine, G = greedy baseline (round robin over companies, heaviest request first, earliest "
        "feasible slot). Every schedule is checked by `salon_scheduler.validate`; *violations* counts "
        "the hard constraints it breaks (the fairness cap among them: JAIR's d = 2, the tiers' too); "
        "*fair* says whether the spread of breaks stays within it. Breaks follow JAIR 2022 (an idle "
        "run between two meetings of one person on one day); JAIR best = best value published at "
        "d = 2, proven unless marked. JAIR counts breaks only for schedules that place every meeting. "
        "Wall s is the solve call alone "
        "(results.csv also has the whole subprocess, startup included); peak MB is the solving "
        "subprocess's own peak resident memory. Spread is the most minus the fewest breaks over all "
        "persons; in brackets, the most breaks one person must have in any schedule, given the meetings "
        "placed for them and the slots those can take, so a cap d below it cannot be met. Dedicated "
        "honoured is the share of placed meetings of companies owning tables that sit at one of them "
        "(- when no company owns one); table changes count, over all persons, the moves to another "
        "table between two consecutive meetings of one day.",
        "",
        markdown_table(rows),
        "",
        *notes,
    ]
    (out_dir / "results.md").write_text("\n".join(text) + "\n")


# ---------------------------------------------------------------- driver


def run_bench(
    cases: Sequence[Case], out_dir: Path, solvers: Sequence[str] = SOLVERS, jobs: int = 1
) -> list[dict[str, str]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    published = published_breaks()
    load = os.getloadavg()[0]
    notes = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} CPU(s), "
        f"{jobs} instance(s) at a time, Python {sys.version.split()[0]}, load average {load:.1f} at "
        "the start (other work on the machine slows the engine down)."
    ]
    finished: dict[str, dict[str, str]] = {}

    def bench_case(case: Case) -> None:
        row = _run_case(case, out_dir, solvers, published.get(case.name))
        finished[case.name] = row
        # after every instance, so a long run can be read early
        write_results(out_dir, [finished[c.name] for c in cases if c.name in finished], notes)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(bench_case, cases))
    rows = [finished[c.name] for c in cases]
    notes.extend(summary_notes(rows))
    write_results(out_dir, rows, notes)
    return rows


def _run_case(
    case: Case, out_dir: Path, solvers: Sequence[str], published: Published | None
) -> dict[str, str]:
    if case.dzn is not None:
        dzn, instance = case.dzn, read_dzn(case.dzn)
    else:
        assert case.tier is not None
        instance = generate(case.tier, 0)
        dzn = out_dir / f"{case.name}.dzn"
        write_dzn(instance, dzn)
    outcomes: dict[str, Outcome] = {}
    for solver in solvers:
        outcome = run_in_subprocess(solver, dzn, instance, case.time_limit_s)
        outcomes[solver] = outcome
        suffix = "" if solver == "engine" else f".{solver}"
        write_schedule_json(out_dir / f"{case.name}{suffix}.json", case.name, outcome)
        print(f"{case.name:34s} {solver:6s} {outcome.status[:60]:60s} {outcome.wall_s:7.1f}s", flush=True)
    return result_row(case, instance, outcomes, published)


def summary_notes(rows: Sequence[dict[str, str]]) -> list[str]:
    """How many published optima the engine matched, counting only schedules placing every meeting."""
    notes: list[str] = []
    compared = [(r, value) for r in rows if (value := _published_value(r)) is not None]
    if compared:
        complete = [(r, value) for r, value in compared if _complete_and_valid(r)]
        matched = [r for r, value in complete if r.get("engine_breaks") == str(value)]
        better = [
            r["instance"]
            for r, value in complete
            if r.get("engine_breaks", "").isdigit() and int(r["engine_breaks"]) < value
        ]
        notes.append(
            f"Engine breaks equal to the published best on {len(matched)} of {len(compared)} instances"
            + (f"; below the published value on: {', '.join(better)}." if better else ".")
        )
        fair = [r for r in matched if _fair_and_in_time(r)]
        notes.append(
            f"Matched counting only schedules that are valid, fair (spread of breaks within the cap) and "
            f"solved within the time limit: {len(fair)} of {len(compared)} instances."
        )
    unproven = [r["instance"] for r in rows if "unproven" in r.get("published_breaks_d2", "")]
    if unproven:
        notes.append("Published best not proven optimal for: " + ", ".join(unproven) + ".")
    return notes


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--run-one", nargs=2, metavar=("SOLVER", "DZN"), help=argparse.SUPPRESS)
    parser.add_argument("--time-limit", type=float, default=60.0, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        solver, dzn = args.run_one
        run_one(solver, Path(dzn), args.time_limit, args.out)
        return
    override = os.environ.get("TIME_LIMIT")
    cases = cases_for_scope(os.environ.get("SCOPE", ""), float(override) if override else None)
    if not cases:
        raise SystemExit(f"no instances found (JAIR data expected in {anchors_dir()})")
    out_dir = Path(os.environ.get("BENCH_OUT", "bench-results/scheduler"))
    run_bench(cases, out_dir, jobs=int(os.environ.get("JOBS", "1")))
    print(f"wrote {out_dir / 'results.md'}")


if __name__ == "__main__":
    main()
