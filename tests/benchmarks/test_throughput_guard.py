"""Smoke guard: throughput per worker must not fall far below the recorded benchmark.

The measurement (benchmarks/guard.py) is a ratio against pyarrow writing the same journal
table in the same run, so machine speed cancels out. ``python -m benchmarks`` records the
same ratios at the same scale in benchmarks/results/suite.json; this fails when one falls
below a third of its record: a regression no machine noise explains.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.guard import measure_ratios

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "suite.json"
TOLERANCE = 3.0


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict:
    return measure_ratios(tmp_path_factory.mktemp("guard"))


@pytest.mark.parametrize("kind,what", [
    ("generate", "generation alone (one thread, memory sink)"),
    ("end_to_end", "end to end to Parquet (one worker)"),
])
def test_throughput_per_worker_holds_against_pyarrow(measured, kind, what):
    recorded = json.loads(RESULTS.read_text())["guard"]
    assert recorded["entries"] == measured["entries"], "re-run python -m benchmarks"
    expected, ratio = recorded[kind], measured[kind]
    assert ratio >= expected / TOLERANCE, (
        f"{what} ran at {ratio:.2f} x pyarrow's write speed in this run; the suite recorded "
        f"{expected:.2f} x at the same scale (benchmarks/results/suite.json), and the guard "
        f"allows down to {expected / TOLERANCE:.2f} x. Profile it before committing "
        f"(python -m cProfile -s cumtime -m benchmarks.cases generate --entries 1000000)")
