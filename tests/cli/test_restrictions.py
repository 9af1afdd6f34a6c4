"""Restrictions in a planner's terms, and what they cost against the unrestricted optimum."""

from __future__ import annotations

import pytest

from catalog import builtin
from models import Level
from tests.oracle import all_subsets, mandatory, violated_rules

QUAL = "601/4404/X"


def brute(qual, allowed) -> tuple[int | None, int]:
    """(minimum GLH, number of valid sets) over the sets of allowed units, by brute force."""
    banned = {u.ref.digits for u in qual.units if not allowed(u)}
    glh = {u.ref.digits: u.glh for u in qual.units}
    found = [s for s in all_subsets(qual, mandatory(qual)) if not (s & banned) and not violated_rules(qual, s)]
    return min((sum(glh[d] for d in s) for s in found), default=None), len(found)


def test_exclude_title_and_group_cost_what_brute_force_says(roc):
    qual = builtin().get(QUAL)
    data = roc("plan", QUAL, "--exclude-title", "CONTACT CENTRE", "--json").json()
    glh, sets = brute(qual, lambda u: "contact centre" not in u.title.lower())
    r = data["restriction"]
    assert data["glh"] == glh and r["cost"] == glh - 143 and r["valid_sets_left"] == sets
    assert sorted(r["ruled_out"]) == sorted(str(u.ref) for u in qual.units if "contact centre" in u.title.lower())
    text = roc("plan", QUAL, "--exclude-title", "contact centre").stdout
    assert f"your restrictions cost {glh - 143} GLH against the unrestricted optimum of 143 GLH; {sets} valid sets " \
           "remain" in " ".join(text.split())


def test_level_restrictions_and_lists_after_an_option(roc):
    qual = builtin().get("600/1686/3")
    data = roc("plan", "600/1686/3", "--exclude-level", "E3", "L2", "--json").json()
    glh, sets = brute(qual, lambda u: u.level not in (Level.E3, Level.L2))
    assert data["glh"] == glh and data["restriction"]["valid_sets_left"] == sets
    assert data["restriction"]["restrictions"] == ["no unit at Entry 3", "no unit at Level 2"]
    top = roc("plan", "600/1686/3", "--max-level", "E3", "--json").json()
    assert all(Level.parse(u["level"]) <= Level.E3 for u in top["detail"]) or top["status"] == "infeasible"
    listed = roc("plan", QUAL, "--exclude", "F/503/0392", "F/503/0361", "--json").json()
    assert listed["exclude"] == ["F/503/0392", "F/503/0361"]


def test_restrictions_that_leave_no_set_say_so_and_name_a_conflict(roc):
    result = roc("plan", QUAL, "--exclude-group", "C", "--max-level", "L1")
    assert result.code == 1 and "no valid set meets them" in result.stdout and "cannot all hold" in result.stdout


def test_an_unknown_group_is_named_with_the_groups_there_are(roc):
    result = roc("plan", QUAL, "--exclude-group", "Z")
    assert result.code == 2 and "no group 'Z' in 601/4404/X (groups: A, B, C)" in result.stderr


def test_a_planned_hours_target_with_an_objective_on_another_measure(roc):
    qual = builtin().get(QUAL)
    figures = {u.ref.digits: (u.glh, u.tqt) for u in qual.units}
    found = [s for s in all_subsets(qual, mandatory(qual)) if not violated_rules(qual, s)]
    reach = [s for s in found if sum(figures[d][0] for d in s) >= 150]
    best_tqt = min(sum(figures[d][1] for d in s) for s in reach)
    data = roc("plan", QUAL, "--glh-at-least", "150", "--minimise", "tqt", "--json").json()
    assert data["status"] == "optimal" and data["tqt"] == best_tqt and data["glh"] >= 150
    assert data["targets"] == ["target glh at least 150"]
    assert "with total glh at least 150" in roc("plan", QUAL, "--glh-at-least", "150").stdout
    beyond = roc("plan", QUAL, "--glh-at-least", "400", "--json")
    assert beyond.code == 1 and beyond.json()["conflict"][0]["rule"] == "target glh at least 400"
    both = roc("plan", QUAL, "--glh-at-least", "10", "--glh-at-most", "5")
    assert both.code == 2 and "min 10 is above max 5" in both.stderr


def test_targets_in_the_python_api_and_in_what_if_scenarios(tmp_path):
    import json

    from models import Target
    from solver import plan
    from solver.whatif import run_batch

    qual = builtin().get(QUAL)
    api = plan(qual, "minimise tqt", targets=[Target(measure="glh", min=150)])
    scenarios = tmp_path / "s.jsonl"
    scenarios.write_text(json.dumps({"id": "band", "qualification": QUAL, "objective": "minimise tqt",
                                     "targets": [{"measure": "glh", "min": 150}]}) + "\n")
    run_batch(scenarios, tmp_path / "r.jsonl")
    record = json.loads((tmp_path / "r.jsonl").read_text())
    assert record["status"] == "optimal" and record["tqt"] == api.tqt and record["glh"] >= 150


# -- --top and --all-optimal honour every restriction and target -----------------------------------------
def brute_ranked(qual, allowed, glh_at_least=None):
    """Every valid set of allowed units (reaching `glh_at_least`), by GLH then size then reference
    order: the order --top ranks in."""
    banned = {u.ref.digits for u in qual.units if not allowed(u)}
    glh = {u.ref.digits: u.glh for u in qual.units}
    found = [s for s in all_subsets(qual, mandatory(qual)) if not (s & banned) and not violated_rules(qual, s)
             and (glh_at_least is None or sum(glh[d] for d in s) >= glh_at_least)]
    return sorted(found, key=lambda s: (sum(glh[d] for d in s), len(s), sorted(s)))


def digits_of(plan_json) -> set[str]:
    from models import UnitRef

    return {UnitRef.parse(ref).digits for ref in plan_json["units"]}


RESTRICTED = [
    (["--max-level", "E3"], lambda u: u.level <= Level.E3, None),
    (["--exclude-level", "E3"], lambda u: u.level != Level.E3, None),
    (["--exclude-group", "B"], None, None),
    (["--exclude-title", "customer"], lambda u: "customer" not in u.title.lower(), None),
    (["--glh-at-least", "150"], lambda u: True, 150),
    (["--exclude-title", "telephone", "--glh-at-least", "120"], lambda u: "telephone" not in u.title.lower(), 120),
]


@pytest.mark.parametrize("number", [pytest.param("600/1684/X", marks=pytest.mark.slow), "600/1686/3"])
def test_top_and_all_optimal_honour_every_restriction_and_target(roc, number):
    """The K best and every optimum, under each restriction and target, equal brute force's: the
    same GLH in order, every set valid and within the restrictions, the optima exactly (the
    larger Ascentis certificate in the full suite only)."""
    qual = builtin().get(number)
    for args, allowed, floor in RESTRICTED:
        if allowed is None:  # a group: its units
            group = {r.digits for r in qual.group_by_id["B"].units} if "B" in qual.group_by_id else set()
            allowed = lambda u, group=group: u.ref.digits not in group  # noqa: E731
        ranked = brute_ranked(qual, allowed, floor)
        glh = {u.ref.digits: u.glh for u in qual.units}
        top = roc("plan", number, "--top", "4", *args, "--json")
        assert top.code == (0 if ranked else 1), (number, args, top.stderr)
        got = top.json()["plans"]
        assert [p["glh"] for p in got] == [sum(glh[d] for d in s) for s in ranked[:4]], (number, args)
        assert all(digits_of(p) in [set(s) for s in ranked] for p in got), (number, args)
        every = roc("plan", number, "--all-optimal", *args, "--json").json()
        optima = [set(s) for s in ranked if ranked and sum(glh[d] for d in s) == sum(glh[d] for d in ranked[0])]
        assert sorted(map(sorted, map(digits_of, every["plans"]))) == sorted(map(sorted, optima)), (number, args)


def test_a_group_is_found_in_any_case_and_a_title_word_that_matches_nothing_is_said(roc):
    lower = roc("plan", QUAL, "--exclude-group", "c", "--json").json()
    upper = roc("plan", QUAL, "--exclude-group", "C", "--json").json()
    assert lower == {**upper, "solve_seconds": lower["solve_seconds"]}
    assert "nothing from group C" in lower["restriction"]["restrictions"]
    shown = roc("plan", QUAL, "--exclude-title", "zzz")
    assert shown.code == 0 and "no title containing 'zzz' (no unit's title has it: nothing ruled out)" in shown.stdout
    said = roc("plan", QUAL, "--exclude-title", "contact centre").stdout
    assert "nothing ruled out" not in said
