"""The cost curve as pytest-benchmark benchmarks: one solve per solver, size and seed, each in a
fresh process (bench/curve.py says how it is measured). `python -m bench.curve` runs this file and
writes the tables into bench/README.md. Needs the `bench` extra (highspy, pyscipopt)."""

from __future__ import annotations

import pytest

from .curve import FULL_UP_TO, SEEDS, SIZES, SOLVERS, run_child

CASES = [(solver, units, seed) for units in SIZES for seed in SEEDS for solver in SOLVERS
         if not (solver == "roc-full" and units > FULL_UP_TO)]


@pytest.mark.parametrize(("solver", "units", "seed"), CASES, ids=[f"{s}-{u}-{k}" for s, u, k in CASES])
def test_curve(benchmark, solver, units, seed):
    if solver in ("highs", "scip"):
        pytest.importorskip({"highs": "highspy", "scip": "pyscipopt"}[solver])
    found = benchmark.pedantic(run_child, args=(solver, units, seed), rounds=1, iterations=1)
    benchmark.extra_info.update(found)
    # a solve that is not proven within the limit is a measurement too (the tables say so); a solve
    # with no solution at all is not
    assert found["status"] in ("optimal", "not proven") and found["glh"] is not None and found["glh"] > 0, found
