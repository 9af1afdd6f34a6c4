"""One pair of tests per rule kind, as the specification words it: a set that keeps the rule and a
set that breaks it, each through `check` (evaluating the registry) and through the compiler
(`plan` with the set forced): both must agree on the verdict and name the same rule key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models import Qualification, RuleKind
from solver import check, plan

from ..strategies import unit_ref

A, B, C = unit_ref(1), unit_ref(2), unit_ref(3)


def qualification(units: dict[str, tuple[int, str]], **rules) -> Qualification:
    """Units as {ref: (credits, level)}, GLH 10 each, and the rules given."""
    return Qualification.model_validate({
        "number": "601/4404/X", "title": "rule kinds", "awarder": "test", "level": "L1",
        "source": {"document": "tests"},
        "units": [{"ref": ref, "title": f"unit {ref}", "level": level, "credits": credits, "glh": 10}
                  for ref, (credits, level) in units.items()],
        **rules})


SMALL = {A: (3, "L1"), B: (2, "L1"), C: (1, "L1")}
CASES = {
    # "Minimum credits: 5"
    RuleKind.credits: (qualification(SMALL, credits={"min": 5}), [A, B], [A], "credits"),
    # "a minimum of 4 credits must be taken from group G"
    RuleKind.group_credits: (qualification(SMALL, groups=[{"id": "G", "units": [A, B], "credits": {"min": 4}}]),
                             [A, B], [A, C], "group G credits"),
    # "no more than 2 units from group G"
    RuleKind.group_count: (qualification(SMALL, groups=[{"id": "G", "units": [A, B, C], "count": {"max": 2}}]),
                           [A, B], [A, B, C], "group G count"),
    # "learners must take the mandatory unit"
    RuleKind.mandatory: (qualification(SMALL, groups=[{"id": "M", "units": [A], "mandatory": True}]),
                         [A], [B], f"group M mandatory {A}"),
    # "2 credits must be at Level 2 or above"
    RuleKind.level_quota: (qualification({A: (3, "L2"), B: (2, "L1"), C: (1, "L1")},
                                         level_quotas=[{"id": "Q", "credits": {"min": 2}, "levels": {"min": "L2"}}]),
                           [A], [B, C], "level quota Q"),
    # "A may not be taken with B"
    RuleKind.barred: (qualification(SMALL, barred=[[A, B]]), [A], [A, B], f"barred {A} {B}"),
}


@pytest.mark.parametrize("kind", list(CASES), ids=lambda k: k.value)
def test_check_keeps_and_breaks_each_rule_kind(kind):
    qual, keeps, breaks, key = CASES[kind]
    assert check(qual, keeps).valid
    broken = check(qual, breaks)
    assert not broken.valid
    assert [(v.rule, v.kind) for v in broken.violations] == [(key, kind)]


@pytest.mark.parametrize("kind", list(CASES), ids=lambda k: k.value)
def test_the_compiled_rule_keeps_and_breaks_each_rule_kind(kind):
    qual, keeps, breaks, key = CASES[kind]
    others = lambda chosen: [u for u in (A, B, C) if u not in chosen]  # noqa: E731
    kept = plan(qual, include=keeps, exclude=others(keeps))
    assert kept.status.value == "optimal" and sorted(kept.units) == sorted(keeps)
    refused = plan(qual, include=breaks, exclude=others(breaks))
    assert refused.status.value == "infeasible"
    assert key in [item.rule for item in refused.conflict]


def test_the_registry_walks_the_specification_in_order_with_unique_keys():
    qual = qualification(SMALL, credits={"min": 1}, groups=[{"id": "M", "units": [A], "mandatory": True},
                                                             {"id": "G", "units": [B, C], "credits": {"min": 1}}],
                         level_quotas=[{"credits": {"min": 1}, "levels": {"min": "L1"}}], barred=[[B, C], [B, C]])
    keys = [rule.key for rule in qual.rules]
    assert keys == ["credits", f"group M mandatory {A}", "group M credits", "group M count", "group G credits",
                    "group G count", "level quota 1", f"barred {B} {C}"]  # the pair printed twice is one rule
    assert [r.path for r in qual.rules.linear] == ["credits", "groups[0].credits", "groups[0].count",
                                                   "groups[1].credits", "groups[1].count", "level_quotas[0].credits"]


def test_rule_keys_cannot_collide():
    # a quota with id "2" and an unnamed second quota would both be "level quota 2"
    with pytest.raises(ValidationError, match="level_quotas\\[1\\].*'level quota 2'"):
        qualification(SMALL, level_quotas=[{"id": "2", "credits": {"min": 1}, "levels": {"min": "L1"}},
                                           {"credits": {"min": 1}, "levels": {"min": "L1"}}])
