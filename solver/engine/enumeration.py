"""More than one answer: enumerate valid sets, and the K best sets by no-good cuts.

Both work inside a `ProtoEdit`, so the cuts and the objective-value equality they add are gone
when they return: the compiled model can be solved again as it was.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from ortools.sat.python import cp_model

from models import Objective, Status

from .compile import CompiledModel
from .edits import ProtoEdit, negated
from .lexicographic import Outcome, solve_lexicographic
from .parameters import SolveOptions, new_solver


class Enumeration(NamedTuple):
    sets: list[list[int]]  # each a list of unit positions
    exact: bool  # False when a time or size limit stopped the enumeration
    seconds: float


class _Collector(cp_model.CpSolverSolutionCallback):
    def __init__(self, x: list[cp_model.IntVar], limit: int | None) -> None:
        super().__init__()
        self.x, self.limit, self.sets, self.truncated = x, limit, [], False

    def on_solution_callback(self) -> None:
        self.sets.append([i for i, var in enumerate(self.x) if self.boolean_value(var)])
        if self.limit is not None and len(self.sets) >= self.limit:
            self.truncated = True
            self.stop_search()


def enumerate_sets(compiled: CompiledModel, options: SolveOptions = SolveOptions(), limit: int | None = None,
                   equal: tuple[Sequence[int], int] | None = None) -> Enumeration:
    """Every valid set (each as unit positions), up to `limit`. `equal` = (costs, value) keeps
    only the sets whose sum of unit costs is `value`."""
    solver = new_solver(options, options.time_limit)
    solver.parameters.enumerate_all_solutions = True
    collector = _Collector(compiled.x, limit)
    with ProtoEdit(compiled) as edit:
        if equal is not None:
            costs, value = equal
            edit.add_linear(compiled.x_indices, costs, value, value)
        code = solver.solve(compiled.model, collector)
    exact = code in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and not collector.truncated
    return Enumeration(collector.sets, exact, solver.wall_time)


def k_best(compiled: CompiledModel, objective: Objective, k: int,
           options: SolveOptions = SolveOptions()) -> tuple[list[Outcome], bool]:
    """The K best distinct valid sets, each proven in its place (outcomes with unit positions),
    and whether the list is complete (K sets, or every set there is)."""
    found: list[Outcome] = []
    started = time.perf_counter()
    with ProtoEdit(compiled) as edit:
        while len(found) < k:
            left = None if options.time_limit is None else options.time_limit - (time.perf_counter() - started)
            if left is not None and left <= 0:
                return found, False
            outcome = solve_lexicographic(compiled, objective, replace(options, time_limit=left))
            if outcome.values is None:
                return found, outcome.status is Status.infeasible  # no further set exists
            found.append(outcome)
            if outcome.status is not Status.optimal:
                return found, False
            taken = set(outcome.values)  # a no-good cut: never this exact set again
            edit.add_bool_or([negated(v) if i in taken else v for i, v in enumerate(compiled.x_indices)])
    return found, True
