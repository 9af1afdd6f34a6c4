"""Plans: the valid unit set that is best for a goal, proven, and explained when there is none."""

from __future__ import annotations

from collections.abc import Sequence

from models import Objective, Qualification, Status, Target, UnitRef

from ..engine import (
    SolveOptions,
    compile_qualification,
    solve_lexicographic,
)
from .explain import explain as find_conflict
from .plan_result import build_plan
from .results import Plan


def plan(
    qual: Qualification,
    objective: Objective | str = Objective(),
    include: Sequence[str | UnitRef] = (),
    exclude: Sequence[str | UnitRef] = (),
    options: SolveOptions = SolveOptions(),
    explain: bool = True,
    targets: Sequence[Target] = (),
) -> Plan:
    """The valid unit set of `qual` that is best for `objective` (e.g. "minimise glh"), containing
    every unit in `include` and none in `exclude`, with proof status. Ties: fewer units, then
    reference order. `targets` bound other totals (`Target(measure="glh", min=150)`). When there is
    no set and `explain`, `conflict` names a minimal set of rules and choices that cannot all hold.
    Raises InputError for a bad objective or unit."""
    objective = Objective.parse(objective)
    compiled = compile_qualification(qual, include, exclude, targets=targets)
    outcome = solve_lexicographic(compiled, objective, options)
    conflict = (find_conflict(qual, include, exclude, options, targets)
                if outcome.status is Status.infeasible and explain else [])
    result = build_plan(qual, compiled.units, objective, outcome.objective_status, outcome.values, outcome.seconds,
                        include, exclude, conflict, outcome.stages)
    return result.model_copy(update={"targets": [t.key for t in targets]}) if targets else result
