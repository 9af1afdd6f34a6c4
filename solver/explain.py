"""Explain an infeasible request: a minimal set of rules and choices that cannot all hold.

Every rule and choice is compiled under its own enforcement literal; CP-SAT, solving under all of
them as assumptions, returns a sufficient subset (`sufficient_assumptions_for_infeasibility`),
which a deletion filter then reduces until dropping any one member makes the rest satisfiable.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from models import Qualification, UnitRef

from .compile import CompiledModel, Rule, compile_qualification
from .results import ConflictRule
from .solve import SolveOptions, new_solver


def _infeasible_core(compiled: CompiledModel, rules: list[Rule], options: SolveOptions) -> list[Rule] | None:
    """None when `rules` can all hold; else the subset CP-SAT says is enough for infeasibility."""
    model = compiled.model
    model.ClearAssumptions()
    model.AddAssumptions([r.literal for r in rules])
    solver = new_solver(options, options.time_limit)
    code = solver.Solve(model)
    if code != cp_model.INFEASIBLE:
        return None
    by_index = {r.literal.Index(): r for r in rules}
    core = [by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in by_index]
    return core or rules


def minimal_conflict(compiled: CompiledModel, options: SolveOptions = SolveOptions()) -> list[Rule]:
    """A minimal infeasible subset of the compiled rules (empty when they can all hold)."""
    core = _infeasible_core(compiled, list(compiled.rules), options)
    if core is None:
        return []
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1:]
        smaller = _infeasible_core(compiled, trial, options)
        if smaller is None:
            i += 1  # core[i] is needed
        else:
            keep = {r.literal.Index() for r in smaller}
            core = [r for r in trial if r.literal.Index() in keep]
            # members before i were each shown to be needed in a superset; keep checking from i
            i = min(i, len(core))
    compiled.model.ClearAssumptions()
    order = {rule.key: n for n, rule in enumerate(compiled.rules)}
    return sorted(core, key=lambda r: order[r.key])


def explain(qual: Qualification, include: Sequence[str | UnitRef] = (),
            exclude: Sequence[str | UnitRef] = (), options: SolveOptions = SolveOptions()) -> list[ConflictRule]:
    compiled = compile_qualification(qual, include, exclude, track=True)
    return [ConflictRule(rule=r.key, message=r.text) for r in minimal_conflict(compiled, options)]
