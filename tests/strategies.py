"""Hypothesis strategies: random small qualifications using every rule kind."""

from __future__ import annotations

from hypothesis import strategies as st

from models import Qualification
from models.refs import UNIT_CHECK_LETTERS, check_sum

LEVELS = ["E1", "E2", "E3", "L1", "L2", "L3"]


def unit_ref(number: int) -> str:
    digits = f"{100 + number % 900:03d}{(number * 7919) % 10000:04d}"
    return f"{UNIT_CHECK_LETTERS[check_sum(digits)]}/{digits[:3]}/{digits[3:]}"


@st.composite
def bounds(draw, high: int):
    low = draw(st.none() | st.integers(0, high))
    top = draw(st.none() | st.integers(low or 0, high))
    return {k: v for k, v in (("min", low), ("max", top)) if v is not None}


@st.composite
def qualifications(draw, max_units: int = 8) -> Qualification:
    n = draw(st.integers(1, max_units))
    numbers = draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n, unique_by=unit_ref))
    refs = [unit_ref(k) for k in numbers]
    units = [{"ref": ref, "title": f"unit {i}", "level": draw(st.sampled_from(LEVELS)),
              "credits": draw(st.integers(0, 5)), "glh": draw(st.integers(0, 30)),
              **({"tqt": draw(st.integers(0, 60))} if draw(st.booleans()) else {})}
             for i, ref in enumerate(refs)]
    total = sum(u["credits"] for u in units)
    groups = []
    for g in range(draw(st.integers(0, 3))):
        members = draw(st.lists(st.sampled_from(refs), min_size=1, max_size=n, unique=True))
        group = {"id": f"G{g}", "units": members}
        if draw(st.integers(0, 4)) == 0:
            group["mandatory"] = True
        if draw(st.booleans()):
            group["credits"] = draw(bounds(total + 1))
        if draw(st.booleans()):
            group["count"] = draw(bounds(len(members)))
        groups.append(group)
    quotas = []
    for _ in range(draw(st.integers(0, 2))):
        low = draw(st.none() | st.sampled_from(LEVELS))
        high = draw(st.none() | st.sampled_from([lv for lv in LEVELS
                                                  if low is None or LEVELS.index(lv) >= LEVELS.index(low)]))
        scope = draw(st.none() | st.lists(st.sampled_from([g["id"] for g in groups]), min_size=1,
                                           unique=True)) if groups else None
        quotas.append({"credits": draw(bounds(total + 1)),
                       "levels": {k: v for k, v in (("min", low), ("max", high)) if v},
                       **({"groups": scope} if scope else {})})
    outsider = unit_ref(999_999)
    barred = draw(st.lists(st.tuples(st.sampled_from(refs + [outsider]), st.sampled_from(refs))
                           .filter(lambda pair: pair[0] != pair[1]), max_size=3))
    return Qualification.model_validate({
        "number": "601/4404/X", "title": "random", "awarder": "hypothesis", "level": "L1",
        "source": {"document": "generated"}, "credits": draw(bounds(total + 1)),
        "units": units, "groups": groups, "level_quotas": quotas,
        "barred": [list(pair) for pair in barred],
    })


def full_and_sample(body, strategies: tuple, full: int, sample: int):
    """Two hypothesis tests of `body` over `strategies`: `full` examples, marked slow (the full
    suite runs it), and `sample` examples, the fast loop's share."""
    import functools

    import pytest
    from hypothesis import HealthCheck, given, settings

    def make(examples: int):
        @settings(max_examples=examples, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
        @given(*strategies)
        @functools.wraps(body)
        def test(*args, **kwargs):
            body(*args, **kwargs)

        return test

    return pytest.mark.slow(make(full)), make(sample)
