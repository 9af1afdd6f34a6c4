"""The layered enumeration (numpy, no CP-SAT) against brute force and against CP-SAT's own
enumeration, with includes, excludes, tracked models and an objective-value equality."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import solver.engine.enumeration as enumeration
from catalog import builtin
from solver.engine import compile_qualification, enumerate_sets
from solver.engine.enumeration import layered

from .. import oracle
from ..strategies import qualifications

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _digits(compiled, sets) -> list[frozenset[str]]:
    return sorted((frozenset(compiled.units[p].ref.digits for p in s) for s in sets), key=sorted)


def _by_cp_sat(compiled, **kwargs):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(enumeration, "layered", lambda *a, **k: None)
        return enumerate_sets(compiled, **kwargs)


@SETTINGS
@given(qualifications(max_units=8), st.data(), st.booleans())
def test_layered_lists_exactly_the_valid_sets(qual, data, track):
    refs = [str(u.ref) for u in qual.units]
    include = data.draw(st.lists(st.sampled_from(refs), max_size=2, unique=True))
    exclude = data.draw(st.lists(st.sampled_from(refs), max_size=2, unique=True))
    compiled = compile_qualification(qual, include, exclude, track=track)
    table = layered(compiled)
    assert table is not None  # every generated model is one it can enumerate
    found = {frozenset(compiled.units[p].ref.digits for p, v in enumerate(row) if v) for row in table}
    assert len(found) == len(table)  # no set twice
    assert found == {frozenset(s) for s in oracle.valid_sets(qual, include, exclude)}


@pytest.mark.slow  # the full run has it; the fast loop keeps the brute-force check above
@settings(SETTINGS, max_examples=300)
@given(qualifications(max_units=7), st.integers(0, 60))
def test_layered_agrees_with_cp_sat_under_an_equality(qual, value):
    compiled = compile_qualification(qual)
    costs = [u.glh for u in compiled.units]
    fast = enumerate_sets(compiled, equal=(costs, value))
    slow = _by_cp_sat(compiled, equal=(costs, value))
    assert fast.exact and slow.exact
    assert _digits(compiled, fast.sets) == _digits(compiled, slow.sets)
    assert all(sum(costs[p] for p in s) == value for s in fast.sets)


@pytest.mark.parametrize("number", ["601/4404/X", pytest.param("601/3972/9", marks=pytest.mark.slow),
                                    pytest.param("600/1684/X", marks=pytest.mark.slow)])
def test_seed_sets_agree_with_cp_sat(number):
    compiled = compile_qualification(builtin().get(number))
    fast, slow = enumerate_sets(compiled), _by_cp_sat(compiled)
    assert fast.exact and slow.exact and len(fast.sets) > 100
    assert _digits(compiled, fast.sets) == _digits(compiled, slow.sets)


def test_a_limit_truncates_and_says_so():
    compiled = compile_qualification(builtin().get("601/4404/X"))  # 110 valid sets
    found = enumerate_sets(compiled, limit=50)
    assert len(found.sets) == 50 and not found.exact
    assert enumerate_sets(compiled, limit=110).exact


def test_past_the_cap_cp_sat_enumerates_instead(monkeypatch):
    compiled = compile_qualification(builtin().get("601/4404/X"))
    assert layered(compiled, cap=5) is None
    monkeypatch.setattr(enumeration, "FRONTIER_CAP", 5)
    assert len(enumerate_sets(compiled).sets) == 110


def test_large_models_are_left_to_cp_sat():
    from bench.synthetic import synthetic_qualification

    compiled = compile_qualification(synthetic_qualification(units=80, groups=8, quotas=2, barred=10))
    assert layered(compiled) is None


@pytest.mark.parametrize("limit", [None, 1000])
def test_tally_counts_and_spreads_the_same_on_either_path(limit):
    from solver.engine import tally_sets

    compiled = compile_qualification(builtin().get("600/1684/X"))  # 3,832 sets
    glh = [u.glh for u in compiled.units]
    fast = tally_sets(compiled, limit=limit, values=glh)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(enumeration, "layered", lambda *a, **k: None)
        slow = tally_sets(compiled, limit=limit, values=glh)
    assert (fast.count, fast.exact) == (slow.count, slow.exact) == ((3832, True) if limit is None else (1000, False))
    assert sum(fast.totals.values()) == fast.count and sum(slow.totals.values()) == slow.count
    if limit is None:  # a truncated list holds whichever sets came first, so only complete spreads compare
        assert fast.totals == slow.totals and min(fast.totals) == 109
