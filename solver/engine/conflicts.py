"""Minimal conflicts: a smallest-by-inclusion set of rules and choices that cannot all hold.

Every rule and choice is compiled under its own enforcement literal (`track=True`). CP-SAT, solving
with all of them as assumptions, returns a sufficient subset
(`sufficient_assumptions_for_infeasibility`), which a deletion filter then reduces until dropping
any one member makes the rest satisfiable. Assumptions are passed to each solve, never stored.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .compile import CompiledModel, PostedRule
from .edits import ProtoEdit
from .parameters import SolveOptions, new_solver


def _infeasible_core(compiled: CompiledModel, rules: list[PostedRule],
                     options: SolveOptions) -> list[PostedRule] | None:
    """None when `rules` can all hold; else the subset CP-SAT says is enough for infeasibility."""
    solver = new_solver(options, options.time_limit)
    with ProtoEdit(compiled) as edit:
        edit.assume([r.literal for r in rules if r.literal is not None], instead=True)
        code = solver.solve(compiled.model)
    if code != cp_model.INFEASIBLE:
        return None
    by_literal = {r.literal: r for r in rules}
    core = [by_literal[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_literal]
    return core or rules


def minimal_conflict(compiled: CompiledModel, options: SolveOptions = SolveOptions()) -> list[PostedRule]:
    """A minimal infeasible subset of the compiled rules and choices, in the order they were
    posted (empty when they can all hold). `compiled` must be compiled with `track=True`."""
    tracked = [r for r in compiled.posted if r.literal is not None]
    core = _infeasible_core(compiled, tracked, options)
    if core is None:
        return []
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1:]
        smaller = _infeasible_core(compiled, trial, options)
        if smaller is None:
            i += 1  # core[i] is needed
        else:
            keep = {r.literal for r in smaller}
            core = [r for r in trial if r.literal in keep]
            # members before i were each shown to be needed in a superset; keep checking from i
            i = min(i, len(core))
    order = {rule.key: n for n, rule in enumerate(compiled.posted)}
    return sorted(core, key=lambda r: order[r.key])
