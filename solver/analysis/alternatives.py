"""More than one answer: the K best valid sets, every optimal set, and how many valid sets exist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from models import Measure, Objective, Qualification, Status, Target, UnitRef

from ..engine import (
    SolveOptions,
    TieBreak,
    compile_qualification,
    enumerate_sets,
    k_best,
    solve_lexicographic,
    tally_sets,
)
from .limits import ALL_OPTIMAL_LIMIT, COUNT_LIMIT
from .plan_result import build_plan
from .results import Alternatives, AlternativesMode, Bucket, CountResult


def top(qual: Qualification, objective: Objective | str, k: int,
        include: Sequence[str | UnitRef] = (), exclude: Sequence[str | UnitRef] = (),
        options: SolveOptions = SolveOptions(), targets: Sequence[Target] = ()) -> Alternatives:
    """The K best distinct valid sets, in objective order (ties: fewer units, then references),
    each proven in its place; every set within `targets`."""
    objective = Objective.parse(objective)
    compiled = compile_qualification(qual, include, exclude, targets=targets)
    outcomes, complete = k_best(compiled, objective, k, options)
    plans = [build_plan(qual, compiled.units, objective, o.status, o.values, o.seconds, include, exclude)
             for o in outcomes]
    return Alternatives(qualification=str(qual.number), title=qual.title, goal=str(objective),
                        mode=AlternativesMode.top, k=k, complete=complete, plans=plans)




def all_optimal(qual: Qualification, objective: Objective | str,
                include: Sequence[str | UnitRef] = (), exclude: Sequence[str | UnitRef] = (),
                options: SolveOptions = SolveOptions(), limit: int = ALL_OPTIMAL_LIMIT,
                targets: Sequence[Target] = ()) -> Alternatives:
    """Every valid set with the optimal objective value (up to `limit`) within `targets`, in
    tie-break order."""
    objective = Objective.parse(objective)
    compiled = compile_qualification(qual, include, exclude, targets=targets)
    best = solve_lexicographic(compiled, objective, replace(options, tie_break=TieBreak.none))
    plans, complete = [], best.status.proven
    if best.values is not None and best.status is Status.optimal:
        costs = [objective.measure.of(u) for u in compiled.units]
        sets, complete, seconds = enumerate_sets(compiled, options, limit,
                                                 equal=(costs, sum(costs[i] for i in best.values)))
        sets.sort(key=lambda s: (len(s), [compiled.units[i].ref.digits for i in s]))
        plans = [build_plan(qual, compiled.units, objective, Status.optimal, s, seconds, include, exclude) for s in sets]
    return Alternatives(qualification=str(qual.number), title=qual.title, goal=str(objective),
                        mode=AlternativesMode.all_optimal, complete=complete, plans=plans)




def count(qual: Qualification, include: Sequence[str | UnitRef] = (),
          exclude: Sequence[str | UnitRef] = (), by: Measure | str | None = None,
          options: SolveOptions = SolveOptions(), limit: int | None = COUNT_LIMIT) -> CountResult:
    """How many valid unit sets there are: exactly, unless `limit` sets are found first or the
    time limit stops the enumeration (then `exact` is False and the count a lower bound)."""
    measure = Measure(by) if by is not None else None
    compiled = compile_qualification(qual, include, exclude)
    values = [measure.of(u) for u in compiled.units] if measure is not None else None
    found, exact, totals, seconds = tally_sets(compiled, options, limit, values)
    stopped: Literal["set limit", "time limit"] | None = None
    if not exact:
        stopped = "set limit" if limit is not None and found >= limit else "time limit"
    distribution = [Bucket(value=v, count=n) for v, n in sorted(totals.items())]
    return CountResult(qualification=str(qual.number), title=qual.title, count=found, exact=exact,
                       stopped=stopped, limit=limit,
                       by=measure.value if measure else None, distribution=distribution,
                       solve_seconds=round(seconds, 6))
