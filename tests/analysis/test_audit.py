"""check, explain, top-K, all-optimal and count against the brute-force enumerator."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog import builtin
from models import Status
from solver import all_optimal, check, count, explain, plan, top

from .. import oracle
from ..strategies import full_and_sample, qualifications, unit_ref

SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _check_agrees_on(qual, data) -> None:
    refs = [str(u.ref) for u in qual.units]
    chosen = data.draw(st.lists(st.sampled_from(refs), unique=True))
    outsider = [unit_ref(999_998)] if data.draw(st.booleans()) else []
    result = check(qual, chosen + outsider)
    expected = oracle.violated_rules(qual, {qual.unit(r).ref.digits for r in chosen})
    expected |= {f"not in qualification {r}" for r in outsider}
    assert {v.rule for v in result.violations} == expected
    assert result.valid == (not expected)
    for v in result.violations:  # the numbers: difference is how far outside its bounds
        if v.actual is not None:
            assert v.difference == (v.actual - v.min if v.min is not None and v.actual < v.min
                                    else v.actual - v.max)


test_check_agrees_on_validity_and_on_the_broken_rules, test_check_agrees_sample = full_and_sample(
    _check_agrees_on, (qualifications(), st.data()), 600, 80)


@pytest.mark.slow  # the full run has it; the fast loop keeps the check oracle
@settings(max_examples=300, **SETTINGS)
@given(qualifications(max_units=7), st.integers(1, 6), st.sampled_from(
    [("minimise", "glh"), ("maximise", "glh"), ("minimise", "tqt"), ("minimise", "credits")]))
def test_top_k_agrees_exactly(qual, k, goal):
    sense, name = goal
    result = top(qual, f"{sense} {name}", k)
    expected = oracle.ranked(qual, sense, name)[:k]
    assert [sorted(p.units) for p in result.plans] == expected
    assert result.complete and all(p.status is Status.optimal for p in result.plans)


def _all_optimal_agrees_on(qual, name: str, maximise: bool) -> None:
    sense = "maximise" if maximise else "minimise"
    ranked = oracle.ranked(qual, sense, name)
    best_value = None
    if ranked:
        best_value = sum(oracle.measure(qual.unit(r), name) for r in ranked[0])
    optimal = [s for s in ranked if sum(oracle.measure(qual.unit(r), name) for r in s) == best_value]
    assert [sorted(p.units) for p in all_optimal(qual, f"{sense} {name}").plans] == optimal
    counted = count(qual, by=name)
    assert counted.exact and counted.count == len(ranked)
    spread = Counter(sum(oracle.measure(qual.unit(r), name) for r in s) for s in ranked)
    assert {(b.value, b.count) for b in counted.distribution} == set(spread.items())


test_all_optimal_and_count_agree_exactly, test_all_optimal_and_count_agree_sample = full_and_sample(
    _all_optimal_agrees_on, (qualifications(max_units=7), st.sampled_from(["glh", "tqt", "credits"]), st.booleans()),
    300, 50)


@pytest.mark.slow  # the full run has it; the fast loop keeps the check oracle
@settings(max_examples=400, **SETTINGS)
@given(qualifications(max_units=7), st.data())
def test_every_conflict_is_infeasible_and_minimal(qual, data):
    refs = [str(u.ref) for u in qual.units]
    include = data.draw(st.lists(st.sampled_from(refs), max_size=3, unique=True))
    exclude = data.draw(st.lists(st.sampled_from(refs), max_size=3, unique=True))
    feasible = bool(oracle.valid_sets(qual, include, exclude))
    conflict = {c.rule for c in explain(qual, include, exclude)}
    if feasible:
        assert conflict == set()
        return
    assert conflict, "an infeasible request must be explained"
    assert not oracle.satisfiable(qual, conflict, include, exclude)
    for member in conflict:
        assert oracle.satisfiable(qual, conflict - {member}, include, exclude), member


def test_plan_reports_the_conflict_when_infeasible():
    result = plan(builtin().get("600/1686/3"), "minimise glh", include=["A/601/6047", "R/601/6068"])
    assert result.status is Status.infeasible
    assert {c.rule for c in result.conflict} == {
        "barred A/601/6047 R/601/6068", "include A/601/6047", "include R/601/6068"}


# -- the seed qualifications ---------------------------------------------------------------------
@pytest.mark.parametrize("number", [pytest.param("600/1686/3", marks=pytest.mark.slow),
                                    pytest.param("600/1684/X", marks=pytest.mark.slow),
                                    "601/3972/9", "601/4404/X", "600/7736/0"])
def test_seed_counts_are_exact(number):
    qual = builtin().get(number)
    expected = sum(1 for s in oracle.all_subsets(qual, oracle.mandatory(qual))
                   if not oracle.violated_rules(qual, s))
    result = count(qual)
    assert result.exact and result.count == expected


def test_ocnlr_has_110_valid_sets_two_at_the_minimum_glh():
    result = count(builtin().get("601/4404/X"), by="glh")
    assert result.count == 110
    assert (result.distribution[0].value, result.distribution[0].count) == (143, 2)
    assert result.distribution[-1].value == 178


def test_check_matches_references_by_digits_and_names_the_numbers():
    result = check(builtin().get("600/1684/X"),
                   ["R/601/6071", "A/601/6047", "R/601/6068", "X/123/4567", "m/601/6075"])
    assert not result.valid
    messages = [v.message for v in result.violations]
    assert "unit X/123/4567 is not part of 600/1684/X" in messages
    assert "group B: 6 credits, needs at least 8 — short by 2" in messages
    assert "barred: A/601/6047 may not be taken with R/601/6068" in messages
    assert "K/601/6075" in result.units
    assert any("should be K" in n.message for n in result.notes)


def test_the_minimum_glh_plan_checks_valid():
    for qual in builtin():
        best = plan(qual, "minimise glh")
        assert check(qual, best.units).valid
