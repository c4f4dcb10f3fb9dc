import random

from salon_scheduler.engine.mip import Mip, MipResult
from salon_scheduler.instance import StageStatus


def _assignment_model(size: int, seed: int) -> Mip:
    """A dense assignment problem with random costs: HiGHS proves it in some hundreds of pivots."""
    rng = random.Random(seed)
    mip = Mip(maximize=True)
    x = [[mip.var(cost=float(rng.randint(1, 50))) for _ in range(size)] for _ in range(size)]
    for i in range(size):
        mip.row(x[i], [1.0] * size, -1.0, 1.0)
        mip.row([x[j][i] for j in range(size)], [1.0] * size, -1.0, 1.0)
    return mip


def test_a_proved_solve_is_charged_the_same_each_time_and_within_its_limit() -> None:
    first = _assignment_model(30, 1).solve(20.0, 0)
    again = _assignment_model(30, 1).solve(20.0, 0)
    assert first.status == again.status == StageStatus.OPTIMAL
    assert first.charged_s == again.charged_s
    assert 0.0 < first.charged_s < 20.0


def test_a_solve_not_ended_by_proof_is_charged_its_whole_limit() -> None:
    assert MipResult.charge(StageStatus.FEASIBLE_AT_LIMIT, 10, 1_000, 7.5) == 7.5
    assert MipResult.charge(StageStatus.HEURISTIC, 0, 1_000, 7.5) == 7.5


def test_a_proved_solve_is_charged_by_its_pivots_up_to_its_limit() -> None:
    small = MipResult.charge(StageStatus.OPTIMAL, 1_000, 10_000, 60.0)
    larger = MipResult.charge(StageStatus.INFEASIBLE, 3_000, 10_000, 60.0)
    assert 0.0 < small < larger < 60.0
    assert MipResult.charge(StageStatus.OPTIMAL, 10**9, 10**6, 60.0) == 60.0
