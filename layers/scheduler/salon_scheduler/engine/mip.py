"""A thin, typed layer over highspy: build a MIP row by row, solve it, read status and bound honestly."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from ..instance import StageStatus

INF = math.inf
# What stands in for a solve's time where the time itself must not be read (see MipResult.charged_s):
# simplex iterations times matrix nonzeros. A slow core gets through 4e7 a second in the slowest
# solves measured, root cuts and heuristics included; PRESOLVE_ITERATIONS covers work before pivoting.
NONZERO_PIVOTS_PER_SECOND = 4e7
PRESOLVE_ITERATIONS = 1_000


@dataclass(frozen=True)
class MipResult:
    status: StageStatus
    objective: float | None
    bound: float | None
    values: list[float] | None
    seconds: float
    charged_s: float  # a solve's time as later budgets must count it: reproducible, never under the real one

    @staticmethod
    def charge(status: StageStatus, iterations: int, nonzeros: int, time_limit_s: float) -> float:
        """The time limit, unless the solve ended by proof: then an estimate from its pivots, which
        HiGHS repeats exactly for the same model and seed (its clock would differ from run to run)."""
        if status not in (StageStatus.OPTIMAL, StageStatus.INFEASIBLE):
            return time_limit_s
        return min(time_limit_s, (iterations + PRESOLVE_ITERATIONS) * nonzeros / NONZERO_PIVOTS_PER_SECOND)

    @property
    def has_solution(self) -> bool:
        return self.values is not None


class Mip:
    """Variables and rows kept in Python lists, handed to HiGHS in one CSR block."""

    def __init__(self, maximize: bool) -> None:
        self.maximize = maximize
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.integer: list[bool] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.row_start: list[int] = [0]
        self.row_index: list[int] = []
        self.row_value: list[float] = []

    @property
    def n_vars(self) -> int:
        return len(self.cost)

    def var(self, lower: float = 0.0, upper: float = 1.0, cost: float = 0.0, integer: bool = True) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(cost)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, index: Sequence[int], value: Sequence[float], lower: float, upper: float) -> None:
        self.row_index.extend(index)
        self.row_value.extend(value)
        self.row_start.append(len(self.row_index))
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def solve(
        self,
        time_limit_s: float,
        seed: int,
        start: Mapping[int, float] | None = None,
        relative_gap: float = 1e-6,
        node_limit: int | None = None,
    ) -> MipResult:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", 1)
        highs.setOptionValue("random_seed", seed % 2_147_483_647)
        highs.setOptionValue("time_limit", max(0.05, time_limit_s))
        highs.setOptionValue("mip_rel_gap", relative_gap)
        if node_limit is not None:
            highs.setOptionValue("mip_max_nodes", node_limit)
        lp = highspy.HighsLp()
        lp.num_col_ = self.n_vars
        lp.num_row_ = len(self.row_lower)
        lp.col_cost_ = np.array(self.cost, dtype=np.float64)
        lp.col_lower_ = np.array(self.lower, dtype=np.float64)
        lp.col_upper_ = np.array(self.upper, dtype=np.float64)
        lp.row_lower_ = np.array(self.row_lower, dtype=np.float64)
        lp.row_upper_ = np.array(self.row_upper, dtype=np.float64)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = self.n_vars
        lp.a_matrix_.num_row_ = len(self.row_lower)
        lp.a_matrix_.start_ = np.array(self.row_start, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(self.row_index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(self.row_value, dtype=np.float64)
        lp.sense_ = highspy.ObjSense.kMaximize if self.maximize else highspy.ObjSense.kMinimize
        if any(self.integer):
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
                for flag in self.integer
            ]
        highs.passModel(lp)
        iterations = self._warm_start(highs, start, time_limit_s) if start else 0
        highs.run()
        iterations += int(highs.getInfo().simplex_iteration_count)
        charge = (iterations, len(self.row_index), time_limit_s)
        return _read_result(highs, self.maximize, any(self.integer), charge)

    def _warm_start(self, highs: highspy.Highs, start: Mapping[int, float], time_limit_s: float) -> int:
        """Fix the given columns, let HiGHS complete the rest, then hand it the full vector. The
        completion gets a fifth of the time; the main solve gets what is left. Returns the
        completion's simplex iterations."""
        index = np.array(sorted(start), dtype=np.int32)
        value = np.array([start[i] for i in sorted(start)], dtype=np.float64)
        lower = np.array([self.lower[i] for i in index], dtype=np.float64)
        upper = np.array([self.upper[i] for i in index], dtype=np.float64)
        if np.any(value < lower - 1e-9) or np.any(value > upper + 1e-9):
            return 0
        highs.changeColsBounds(len(index), index, value, value)
        highs.setOptionValue("time_limit", max(0.05, 0.2 * time_limit_s))
        highs.run()
        iterations = int(highs.getInfo().simplex_iteration_count)
        spent = float(highs.getRunTime())
        highs.setOptionValue("time_limit", max(0.05, time_limit_s - spent))
        feasible = highs.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
        full = list(highs.getSolution().col_value) if feasible else None
        highs.changeColsBounds(len(index), index, lower, upper)
        highs.clearSolver()
        if full is not None:
            solution = highspy.HighsSolution()
            solution.col_value = full
            solution.value_valid = True
            highs.setSolution(solution)
        return iterations


def _read_result(
    highs: highspy.Highs, maximize: bool, is_mip: bool, work: tuple[int, int, float]
) -> MipResult:
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    seconds = float(highs.getRunTime())
    has_solution = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    values = list(highs.getSolution().col_value) if has_solution else None
    objective = float(info.objective_function_value) if has_solution else None
    bound: float | None = None
    if is_mip:
        raw_bound = float(info.mip_dual_bound)
        if math.isfinite(raw_bound):
            bound = raw_bound
    elif model_status == highspy.HighsModelStatus.kOptimal:
        bound = objective
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = StageStatus.OPTIMAL
        bound = objective if bound is None else bound
    elif model_status == highspy.HighsModelStatus.kInfeasible:
        status = StageStatus.INFEASIBLE
    elif has_solution:
        status = StageStatus.FEASIBLE_AT_LIMIT
    else:
        status = StageStatus.HEURISTIC
    if bound is not None and objective is not None:
        # HiGHS may report a bound a hair on the wrong side of the incumbent; clamp it.
        bound = max(bound, objective) if maximize else min(bound, objective)
    return MipResult(status, objective, bound, values, seconds, MipResult.charge(status, *work))
