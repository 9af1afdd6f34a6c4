"""A compiled model is left as it was found by every solve: tie-break stages, top-K cuts, the
objective-value equality of all-optimal, what-if edits, conflict assumptions."""

from __future__ import annotations

from catalog import builtin
from models import Objective, Scenario
from solver.engine import (
    ProtoEdit,
    compile_qualification,
    enumerate_sets,
    k_best,
    lexicographic,
    minimal_conflict,
    solve_lexicographic,
)
from solver.whatif import Template


def snapshot(compiled) -> tuple:
    proto = compiled.model.proto
    constraints = [str(c) for c in proto.constraints]
    return (constraints, [list(v.domain) for v in proto.variables], proto.has_objective(),
            list(proto.assumptions), proto.has_solution_hint())


def same_model(before: tuple, after: tuple) -> bool:
    """The same constraints and variables; slots added by edits are blank (constraints) or fixed
    at 0 (variables), and no objective, assumption or hint is left behind."""
    constraints, domains, objective, assumptions, hint = after
    n, m = len(before[0]), len(before[1])
    return (constraints[:n] == before[0] and all(c == "" for c in constraints[n:])
            and domains[:m] == before[1] and all(d == [0, 0] for d in domains[m:])
            and (objective, assumptions, hint) == before[2:])


def test_every_solve_leaves_the_model_as_it_found_it(monkeypatch):
    qual = builtin().get("600/1684/X")
    compiled = compile_qualification(qual, track=True)
    before = snapshot(compiled)
    monkeypatch.setattr(lexicographic, "BUDGET", 2)  # one stage a tier: holds, assumptions and hints
    staged = solve_lexicographic(compiled, Objective.parse("minimise glh"))
    assert staged.values is not None and same_model(before, snapshot(compiled))
    monkeypatch.undo()
    best, complete = k_best(compiled, Objective.parse("minimise glh"), 4)
    assert complete and len(best) == 4 and same_model(before, snapshot(compiled))
    assert enumerate_sets(compiled, equal=([u.glh for u in compiled.units], 109)).sets
    assert same_model(before, snapshot(compiled))
    assert minimal_conflict(compiled) == [] and same_model(before, snapshot(compiled))
    # the same answer as a fresh model, after all that
    again = solve_lexicographic(compiled, Objective.parse("minimise glh"))
    assert again.values == solve_lexicographic(compile_qualification(qual), Objective.parse("minimise glh")).values


def test_slots_are_reused_so_the_model_does_not_grow():
    compiled = compile_qualification(builtin().get("601/4404/X"))
    for _ in range(3):
        k_best(compiled, Objective.parse("maximise glh"), 3)
    size = len(compiled.model.proto.constraints)
    for _ in range(3):
        k_best(compiled, Objective.parse("maximise glh"), 3)
    assert len(compiled.model.proto.constraints) == size


def test_what_if_edits_are_undone():
    template = Template(builtin().get("601/3972/9"))
    before = snapshot(template.compiled)
    unit = str(template.compiled.units[0].ref)
    scenario = Scenario(id="s", qualification="601/3972/9", units={unit: {"credits": 5, "glh": 1}},
                        rules=[{"rule": "credits", "min": 24}], withdraw=[str(template.compiled.units[1].ref)])
    assert template.solve(scenario).status.value in ("optimal", "infeasible")
    assert same_model(before, snapshot(template.compiled))


def test_an_edit_is_undone_when_the_block_raises():
    compiled = compile_qualification(builtin().get("600/7736/0"))
    before = snapshot(compiled)
    try:
        with ProtoEdit(compiled) as edit:
            edit.set_variable_bounds(compiled.x_indices[0], 0, 0)
            edit.add_linear(compiled.x_indices, [1] * len(compiled.x), 1, 1)
            edit.set_objective(compiled.x_indices, [1] * len(compiled.x))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert same_model(before, snapshot(compiled))
