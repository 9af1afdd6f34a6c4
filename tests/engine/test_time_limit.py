"""A solve stopped by its time limit says so: feasible (a valid set, not proven best) or unknown,
never optimal."""

from __future__ import annotations

import json

from bench.synthetic import synthetic_qualification
from models import Status
from solver import SolveOptions, plan


def test_time_limit_gives_feasible_not_optimal():
    qual = synthetic_qualification(units=4000, groups=200, barred=2000)  # about 6 s to prove
    result = plan(qual, "minimise glh", options=SolveOptions(time_limit=0.3), explain=False)
    assert result.status in (Status.feasible, Status.unknown)
    if result.status is Status.feasible:
        assert result.units and result.glh is not None


def test_cli_says_the_time_limit_stopped_the_proof(roc, tmp_path):
    path = tmp_path / "big.json"
    qual = synthetic_qualification(units=4000, groups=200, barred=2000)
    path.write_text(json.dumps(qual.model_dump(mode="json", exclude_none=True)))
    result = roc("plan", str(path), "--time-limit", "0.3")
    assert "optimal (proven)" not in result.stdout
    assert ("feasible: the time limit stopped the proof" in result.stdout and result.code == 0) or (
        "unknown" in result.stdout and result.code == 1)
