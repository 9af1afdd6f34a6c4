"""The engine against a brute-force enumerator on thousands of random small rule sets, every rule
kind, every objective, feasible and infeasible."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import solver.engine.lexicographic as lexicographic
from models import Status
from solver import plan

from .. import oracle
from ..strategies import full_and_sample, qualifications

OBJECTIVES = [("minimise", "glh"), ("maximise", "glh"), ("minimise", "tqt"), ("minimise", "credits"),
              ("maximise", "credits")]
SETTINGS = settings(max_examples=1500, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def _agrees(qual, include=(), exclude=()) -> bool:
    feasible = None
    for sense, name in OBJECTIVES:
        expected = oracle.best(qual, sense, name, include, exclude)
        result = plan(qual, f"{sense} {name}", include, exclude)
        if expected is None:
            assert result.status is Status.infeasible, (sense, name, result)
            assert result.units == []
        else:
            assert result.status is Status.optimal, (sense, name, result)
            assert sorted(result.units) == expected, (sense, name)
            units = [qual.unit(r) for r in result.units]
            assert result.glh == sum(u.glh for u in units)
            assert result.tqt == sum(u.tqt for u in units)
            assert result.credits == sum(u.credits for u in units)
        feasible = expected is not None
    return bool(feasible)


@pytest.fixture
def monkeypatch_budget(monkeypatch):
    monkeypatch.setattr(lexicographic, "BUDGET", 2)


def _agrees_on(qual) -> None:
    _agrees(qual)


test_engine_matches_brute_force, test_engine_matches_brute_force_sample = full_and_sample(
    _agrees_on, (qualifications(),), 1500, 80)


@pytest.mark.slow
@settings(max_examples=500, deadline=None, derandomize=True)
@given(qualifications(), st.data())
def test_engine_matches_brute_force_with_choices(qual, data):
    refs = [str(u.ref) for u in qual.units]
    include = data.draw(st.lists(st.sampled_from(refs), max_size=2, unique=True))
    exclude = data.draw(st.lists(st.sampled_from(refs), max_size=2, unique=True))
    _agrees(qual, include, exclude)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(qual=qualifications())
def test_staged_tie_break_matches_single_solve(monkeypatch_budget, qual):
    # A tiny budget puts every lexicographic level in a solve of its own: same answers.
    _agrees(qual)


@pytest.fixture
def large_model_settings(monkeypatch):
    import solver.engine.parameters as parameters

    monkeypatch.setattr(lexicographic, "SEPARATE_FROM", 0)
    monkeypatch.setattr(parameters, "LB_TREE_FROM", 0)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(qual=qualifications())
def test_large_model_settings_give_the_same_answers(large_model_settings, qual):
    # What a model of 3,000 units or more gets: every tier a solve of its own, and the lower-bound
    # tree search on later value tiers. Same answers, tie-breaks included.
    _agrees(qual)


@pytest.mark.slow  # a check of the generator, not of roc: the full suite runs it
def test_random_sets_cover_both_outcomes():
    """The generator must produce feasible and infeasible rule sets, or the oracle test proves little."""
    outcomes = {"feasible": 0, "infeasible": 0}

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(qualifications())
    def count(qual):
        outcomes["feasible" if oracle.valid_sets(qual) else "infeasible"] += 1

    count()
    assert outcomes["feasible"] > 50 and outcomes["infeasible"] > 50, outcomes
