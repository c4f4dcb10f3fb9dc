"""The search benchmark runs end to end on a small catalogue and prints its table."""

from __future__ import annotations

import pytest
from localcloud import bench_search


def test_the_search_benchmark_prints_every_measure(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_search.main(["--companies", "300", "--queries", "30"]) == 0
    out = capsys.readouterr().out
    for measure in ("text search", "facet browse", "suggestions"):
        row = next(line for line in out.splitlines() if line.startswith(f"| {measure}"))
        assert row.split("|")[2].strip() == "30"
    assert "cards/s in batches of 100" in out
