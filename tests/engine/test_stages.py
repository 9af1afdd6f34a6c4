"""The default answer's status is per stage: the objective proven optimal is said to be so even
when a tie-break stage after it runs out of its time, and the tie-breaks are bounded."""

from __future__ import annotations

import json

import numpy as np
import pytest

import solver.engine.lexicographic as lexicographic
from bench.milp import build, solve_min_glh
from bench.synthetic import synthetic_qualification
from models import Status
from solver import SolveOptions, plan
from solver.analysis.results import Plan, PlanStage
from solver.report.words import stage_sentence

QUAL = synthetic_qualification(units=300, groups=15, quotas=3, barred=150, seed=4)


def _highs_glh(qual) -> int:
    found = solve_min_glh(build(qual))
    assert found.status == 0  # proven optimal by HiGHS
    return int(np.rint(found.fun))


@pytest.fixture
def staged(monkeypatch):
    monkeypatch.setattr(lexicographic, "SEPARATE_FROM", 0)  # every tier a solve, as from 3,000 units


def test_every_stage_proven_is_settled(staged):
    result = plan(QUAL, "minimise glh")
    assert result.status is Status.optimal and result.settled
    assert result.glh == _highs_glh(QUAL)
    assert [s.settles for s in result.stages] == [["glh"], ["fewest units"]]
    assert [s.status for s in result.stages] == [Status.optimal, Status.optimal]
    assert result.stages[0].value == result.glh and result.stages[1].value == len(result.units)
    assert stage_sentence(result) is None


def test_a_tie_break_out_of_time_leaves_the_objective_proven(staged, monkeypatch, roc, tmp_path):
    # No time at all for the tie-breaks: the objective's stage alone decides the set.
    monkeypatch.setattr(lexicographic, "TIE_BREAK_FACTOR", 0.0)
    monkeypatch.setattr(lexicographic, "TIE_BREAK_FLOOR", 0.0)
    result = plan(QUAL, "minimise glh")
    assert result.status is Status.optimal  # the goal's status: GLH is proven minimal
    assert result.glh == _highs_glh(QUAL)
    assert not result.settled
    assert result.stages[0].status is Status.optimal
    assert result.stages[1].status is Status.unknown and result.stages[1].seconds == 0
    sentence = stage_sentence(result)
    assert sentence == f"GLH {result.glh:,} proven minimal; fewest units: not tried (no time left)"

    path = tmp_path / "q.json"
    path.write_text(json.dumps(QUAL.model_dump(mode="json", exclude_none=True)))
    shown = roc("plan", str(path))
    assert shown.code == 0
    assert "optimal (proven)" in shown.stdout and f"GLH {result.glh:,} proven minimal" in shown.stdout
    answer = json.loads(roc("plan", str(path), "--json").stdout)
    assert answer["status"] == "optimal"
    assert [s["status"] for s in answer["stages"]] == ["optimal", "unknown"]


def test_the_tie_breaks_share_twice_the_objective_time(staged, monkeypatch):
    seen = []
    real = lexicographic._solver

    def spy(compiled, options, left, later):
        seen.append(left)
        return real(compiled, options, left, later)

    monkeypatch.setattr(lexicographic, "_solver", spy)
    result = plan(QUAL, "minimise glh")
    first = result.stages[0].seconds
    assert seen[0] is None  # the objective: no limit was given
    assert 0 < seen[1] <= max(2 * first, lexicographic.TIE_BREAK_FLOOR) + 1e-3
    # a generous limit from the caller does not lift the tie-breaks' budget
    seen.clear()
    result = plan(QUAL, "minimise glh", options=SolveOptions(time_limit=100))
    assert 90 < seen[0] <= 100
    assert 0 < seen[1] <= max(2 * result.stages[0].seconds, lexicographic.TIE_BREAK_FLOOR) + 1e-3


def test_the_sentence_for_a_tie_break_stopped_by_time():
    stages = [PlanStage(settles=["glh"], status=Status.optimal, value=15075, seconds=6.1),
              PlanStage(settles=["fewest units"], status=Status.feasible, value=1171, seconds=12.2)]
    result = Plan(qualification="601/4404/X", title="t", goal="minimise glh", status=Status.optimal,
                  objective=15075, units=[], glh=15075, tqt=0, credits=0, solve_seconds=18.3, stages=stages)
    assert stage_sentence(result) == ("GLH 15,075 proven minimal; fewest units among those: 1,171 found, "
                                      "not proven in 12.2 s")
    assert stage_sentence(result.model_copy(update={"goal": "maximise glh"})).startswith("GLH 15,075 proven maximal")
