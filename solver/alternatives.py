"""More than one answer: the K best valid sets, every optimal set, and how many valid sets exist."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from models import Qualification, UnitRef

from .compile import CompiledModel, compile_qualification
from .results import Alternatives, Bucket, CountResult, Measure, Objective, Plan, Status
from .solve import SolveOptions, build_plan, new_solver, parse_objective, solve_lexicographic


def _forbid(compiled: CompiledModel, chosen: list[int]) -> None:
    """A no-good cut: never this exact set again."""
    taken = set(chosen)
    compiled.model.AddBoolOr([var.Not() if i in taken else var for i, var in enumerate(compiled.x)])


def top(qual: Qualification, objective: Objective | str, k: int,
        include: Sequence[str | UnitRef] = (), exclude: Sequence[str | UnitRef] = (),
        options: SolveOptions = SolveOptions()) -> Alternatives:
    """The K best distinct valid sets, in objective order (ties: fewer units, then references)."""
    objective = parse_objective(objective)
    compiled = compile_qualification(qual, include, exclude)
    plans: list[Plan] = []
    complete = True
    started = time.perf_counter()
    while len(plans) < k:
        left = None if options.time_limit is None else options.time_limit - (time.perf_counter() - started)
        if left is not None and left <= 0:
            complete = False
            break
        status, chosen, seconds = solve_lexicographic(compiled, objective, replace(options, time_limit=left))
        if chosen is None:
            complete = status is Status.infeasible  # no further set exists
            break
        plans.append(build_plan(qual, compiled, objective, status, chosen, seconds, include, exclude))
        if status is not Status.optimal:
            complete = False
            break
        _forbid(compiled, chosen)
    return Alternatives(qualification=str(qual.number), title=qual.title, goal=str(objective),
                        mode=f"top {k}", complete=complete, plans=plans)


class _Collector(cp_model.CpSolverSolutionCallback):
    def __init__(self, x: list[cp_model.IntVar], limit: int | None) -> None:
        super().__init__()
        self.x, self.limit, self.sets, self.truncated = x, limit, [], False

    def on_solution_callback(self) -> None:
        self.sets.append([i for i, var in enumerate(self.x) if self.BooleanValue(var)])
        if self.limit is not None and len(self.sets) >= self.limit:
            self.truncated = True
            self.StopSearch()


def _enumerate(compiled: CompiledModel, options: SolveOptions, limit: int | None = None):
    solver = new_solver(options, options.time_limit)
    solver.parameters.enumerate_all_solutions = True
    collector = _Collector(compiled.x, limit)
    code = solver.Solve(compiled.model, collector)
    exact = code in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and not collector.truncated
    return collector.sets, exact, solver.WallTime()


def all_optimal(qual: Qualification, objective: Objective | str,
                include: Sequence[str | UnitRef] = (), exclude: Sequence[str | UnitRef] = (),
                options: SolveOptions = SolveOptions(), limit: int = 10_000) -> Alternatives:
    """Every valid set with the optimal objective value, in tie-break order."""
    objective = parse_objective(objective)
    compiled = compile_qualification(qual, include, exclude)
    status, chosen, _ = solve_lexicographic(compiled, objective, replace(options, tie_break="none"))
    result = Alternatives(qualification=str(qual.number), title=qual.title, goal=str(objective),
                          mode="all optimal", complete=status in (Status.optimal, Status.infeasible),
                          plans=[])
    if chosen is None or status is not Status.optimal:
        return result
    coefs = [objective.measure.of(u) for u in compiled.units]
    best = sum(coefs[i] for i in chosen)
    compiled.model.ClearObjective()
    compiled.model.Add(sum(c * var for c, var in zip(coefs, compiled.x) if c) == best)
    sets, exact, seconds = _enumerate(compiled, options, limit)
    sets.sort(key=lambda s: (len(s), [compiled.units[i].ref.digits for i in s]))
    result.plans = [build_plan(qual, compiled, objective, Status.optimal, s, seconds, include, exclude)
                    for s in sets]
    result.complete = exact
    return result


def count(qual: Qualification, include: Sequence[str | UnitRef] = (),
          exclude: Sequence[str | UnitRef] = (), by: Measure | str | None = None,
          options: SolveOptions = SolveOptions()) -> CountResult:
    """How many valid unit sets there are (exactly, unless the time limit stops the enumeration),
    and how they spread over a measure."""
    measure = Measure(by) if by is not None else None
    compiled = compile_qualification(qual, include, exclude)
    sets, exact, seconds = _enumerate(compiled, options)
    distribution: list[Bucket] = []
    if measure is not None:
        values = [measure.of(u) for u in compiled.units]
        spread = Counter(sum(values[i] for i in s) for s in sets)
        distribution = [Bucket(value=v, count=n) for v, n in sorted(spread.items())]
    return CountResult(qualification=str(qual.number), title=qual.title, count=len(sets), exact=exact,
                       by=measure.value if measure else None, distribution=distribution,
                       solve_seconds=round(seconds, 6))
