"""Load on the web planner's plan endpoint (issue 12): requests/s and latency percentiles with 16
clients, from `bench.web_load` (a real `roc serve`, its own processes). Not a timed test: the
figures go into the benchmark's extra_info and bench/README.md."""

from __future__ import annotations

import pytest

from bench.web_load import run


@pytest.mark.parametrize("workers", [1, 2])
def test_web_plan_endpoint_under_16_clients(benchmark, workers):
    result = benchmark.pedantic(lambda: run(clients=16, seconds=10.0, workers=workers), rounds=1, iterations=1)
    benchmark.extra_info.update(result)
    assert set(result["statuses"]) == {200}  # every answer a plan, none an error
    assert result["requests"] > 0
