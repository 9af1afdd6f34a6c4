"""Lexicographic solves: the objective, then roc's deterministic tie-breaks, proven exactly.

Ties are broken in tiers: first the objective, then fewer units, then reference order (among equal
sets, the one whose sorted reference list comes first). Tiers are packed into as few CP-SAT
objectives as fit in 62 bits: for the seed qualifications, one solve. When a stage is solved, its
tiers are held at their optimum (an equality, and assumptions for reference order) for the next
stage, inside one `ProtoEdit`, so the compiled model is left as it was found.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from ortools.sat.python import cp_model

from models import Objective, Status

from .compile import CompiledModel
from .edits import ProtoEdit, negated
from .options import FEWEST_UNITS
from .parameters import (
    SEPARATE_FROM,
    STATUS,
    TIE_BREAK_FACTOR,
    TIE_BREAK_FLOOR,
    SolveOptions,
    TieBreak,
    new_solver,
)

BUDGET = 1 << 62  # the largest packed objective range (tests shrink it to force one stage a tier)


@dataclass(frozen=True)
class Tier:
    """One tier of a lexicographic objective: minimise sum(coefs * variables).

    An `order` tier prefers its variables set in order (the first, then the next, ...): reference
    order. It packs as a bitmask and is held by assumptions. `variables` are proto indices; tiers
    over the very same list object pack by position (the fast path)."""

    coefs: Sequence[int]
    variables: Sequence[int]
    order: bool = False
    name: str = ""  # what the tier minimises, in a person's words ("GLH", "fewest units")

    @cached_property
    def span(self) -> int:
        if self.order:
            return 1 << len(self.variables)
        return sum(abs(c) for c in self.coefs) + 1

    def part(self, start: int, stop: int) -> "Tier":
        if start == 0 and stop >= len(self.variables):
            return self  # keep the same variable list: lets the packing go by position
        return Tier((), self.variables[start:stop], order=True, name=self.name)

    def terms(self, weight: int) -> list[tuple[int, int]]:
        if self.order:
            n = len(self.variables)
            return [(variable, -(weight << (n - 1 - j))) for j, variable in enumerate(self.variables)]
        return [(variable, weight * c) for c, variable in zip(self.coefs, self.variables) if c]


class Stage(NamedTuple):
    """One solve of a lexicographic answer: the tiers it settled (by name), how it ended, seconds."""

    tiers: tuple[str, ...]
    status: Status
    seconds: float


class Outcome(NamedTuple):
    """How a solve ended, the values of the watched variables (None when no solution), seconds.
    `status` is the whole answer's: optimal only when every stage was proven. `stages` says how
    each stage ended (a tie-break stage may stop on its budget after the objective was proven)."""

    status: Status
    values: list[int] | None
    seconds: float
    stages: tuple[Stage, ...] = ()

    @property
    def objective_status(self) -> Status:
        """How the first tier (the objective) ended: optimal when it was proven, whatever the
        tie-breaks after it did."""
        if self.stages and self.stages[0].status is Status.optimal:
            return Status.optimal
        return self.status


def measure_tier(variables: Sequence[int], values: Sequence[int], sign: int, name: str = "") -> Tier:
    """Minimise sign * sum(values * variables)."""
    return Tier([sign * v for v in values], variables, name=name)


def order_tiers(variables: Sequence[int], name: str = "reference order") -> list[Tier]:
    """Reference order: prefer the first variable set, then the next, ..."""
    return [Tier((), variables, order=True, name=name)] if len(variables) else []


def standard_tiers(compiled: CompiledModel, objective: Objective, ties: TieBreak,
                   values: Sequence[int] | None = None) -> list[Tier]:
    """The objective, then fewer units, then reference order, over the units of the set.
    `values` overrides each unit's measure (a what-if scenario's revised figures)."""
    x = compiled.x_indices
    if values is None:
        values = [objective.measure.of(u) for u in compiled.units]
    tiers = [measure_tier(x, values, objective.sign, objective.measure.value)]
    if ties in (TieBreak.full, TieBreak.count):
        tiers.append(Tier([1] * len(x), x, name=FEWEST_UNITS))
    if ties is TieBreak.full:
        tiers += order_tiers(x)
    return tiers


def stages(tiers: list[Tier], separate: bool = False) -> list[list[Tier]]:
    """Group consecutive tiers so each group's packed objective stays inside BUDGET; an order tier
    too wide for what is left is split over stages. `separate`: every tier (and every part of an
    order tier) a stage of its own."""
    found: list[list[Tier]] = []
    current: list[Tier] = []
    size = 1
    for tier in tiers:
        if not tier.order and not any(tier.coefs):
            continue
        if tier.order:
            start = 0
            while start < len(tier.variables):
                room = (BUDGET // size).bit_length() - 1  # variables that still fit
                if room < 1 or (separate and current):
                    found.append(current)
                    current, size = [], 1
                    continue
                part = tier.part(start, start + room)
                current.append(part)
                size *= part.span
                start += len(part.variables)
            continue
        if current and (separate or size * tier.span > BUDGET):
            found.append(current)
            current, size = [], 1
        current.append(tier)
        size *= tier.span
    if current:
        found.append(current)
    return found


def packed_objective(stage: list[Tier]) -> tuple[list[int], list[int]]:
    """A stage's tiers as one objective (variables, coefficients), the first tier weighing most."""
    weight = 1
    first = stage[0].variables if stage else []
    if all(tier.variables is first for tier in stage):  # the usual case: every tier over the units
        n = len(first)
        coefs = [0] * n
        for tier in reversed(stage):
            if tier.order:
                for j in range(n):
                    coefs[j] -= weight << (n - 1 - j)
            else:
                for j, c in enumerate(tier.coefs):
                    if c:
                        coefs[j] += weight * c
            weight *= tier.span
        pairs = [(variable, c) for variable, c in zip(first, coefs) if c]
    else:
        merged: dict[int, int] = {}
        for tier in reversed(stage):
            for variable, c in tier.terms(weight):
                merged[variable] = merged.get(variable, 0) + c
            weight *= tier.span
        pairs = [(variable, c) for variable, c in merged.items() if c]
    return [variable for variable, _ in pairs], [c for _, c in pairs]


def _hold(edit: ProtoEdit, tier: Tier, solution: Sequence[int], assumed: list[int]) -> None:
    """Keep a solved tier at its optimum while later stages run."""
    if tier.order:
        assumed += [v if solution[v] else negated(v) for v in tier.variables]
    else:
        value = sum(c * solution[v] for c, v in zip(tier.coefs, tier.variables))
        edit.add_linear(tier.variables, tier.coefs, value, value)


def _solver(compiled: CompiledModel, options: SolveOptions, left: float | None, later: bool) -> cp_model.CpSolver:
    if left is not None:
        return new_solver(options, left, len(compiled.units), later)
    solver = compiled.solvers.get((options, later))  # no time limit: one solver object serves every solve
    if solver is None:
        solver = compiled.solvers[options, later] = new_solver(options, None, len(compiled.units), later)
    return solver


def _names(stage: list[Tier]) -> tuple[str, ...]:
    """What a stage settles, each tier's name once (an order tier split over stages keeps its name)."""
    return tuple(dict.fromkeys(t.name for t in stage))


def tie_break_budget(objective_seconds: float) -> float:
    """Seconds the tie-break stages may take together: twice what the objective's own stage took,
    and never less than TIE_BREAK_FLOOR (a caller's time limit may cut it shorter)."""
    return max(TIE_BREAK_FACTOR * objective_seconds, TIE_BREAK_FLOOR)


def solve_tiers(compiled: CompiledModel, tiers: list[Tier], watch: Sequence[int],
                options: SolveOptions = SolveOptions(), assumptions: Sequence[int] = ()) -> Outcome:
    """Minimise `tiers` lexicographically under `assumptions`. Returns the status, the values of
    the `watch` variables (None when there is no solution), the seconds and how each stage ended.
    Once the first stage is proven, the later stages (tie-breaks) share `tie_break_budget`, or what
    is left of the caller's time limit when that is less: a tie-break that runs out keeps the best
    set it found, and the answer says the objective was proven and the tie-break was not.
    The compiled model is left as it was found."""
    started = time.perf_counter()
    values: list[int] | None = None
    status = Status.unknown
    done: list[Stage] = []
    packed = stages(tiers, separate=len(compiled.units) >= SEPARATE_FROM) or [[]]
    deadline = None if options.time_limit is None else started + options.time_limit
    with ProtoEdit(compiled) as edit:
        assumed = list(assumptions)
        if assumed:
            edit.assume(assumed)
        for k, stage in enumerate(packed):
            names = _names(stage)
            stage_started = time.perf_counter()
            left = None if deadline is None else deadline - stage_started
            if left is not None and left <= 0:
                done.append(Stage(names, Status.unknown, 0.0))
                status = Status.feasible if values is not None else Status.unknown
                break
            edit.set_objective(*packed_objective(stage))
            # the lower-bound tree search helps a later value tier, and stalls on reference order
            solver = _solver(compiled, options, left, later=k > 0 and not any(t.order for t in stage))
            code = solver.solve(compiled.model)
            status = STATUS.get(code, Status.unknown)
            done.append(Stage(names, status, time.perf_counter() - stage_started))
            if not status.found:
                if values is not None:  # a later stage timed out: the earlier solution stands
                    status = Status.feasible
                break
            solution = solver.response_proto.solution
            values = [solution[i] for i in watch]
            if status is not Status.optimal or k == len(packed) - 1:
                break
            if k == 0:  # the tie-breaks: their budget, inside what is left of the caller's limit
                budget_end = time.perf_counter() + tie_break_budget(done[0].seconds)
                deadline = budget_end if deadline is None else min(deadline, budget_end)
            for tier in stage:  # hold this stage at its optimum, and hint the next stage
                _hold(edit, tier, solution, assumed)
            edit.assume(assumed)
            edit.hint(watch, values)
    for tier_stage in packed[len(done):]:  # stages never started
        done.append(Stage(_names(tier_stage), Status.unknown, 0.0))
    return Outcome(status, values, time.perf_counter() - started, tuple(done))


def solve_lexicographic(compiled: CompiledModel, objective: Objective,
                        options: SolveOptions = SolveOptions(), costs: Sequence[int] | None = None) -> Outcome:
    """The best set for `objective` with roc's tie-breaks. `values` (the outcome's) are the chosen
    unit positions, None when there is no set. `costs` override each unit's measure."""
    outcome = solve_tiers(compiled, standard_tiers(compiled, objective, options.ties(len(compiled.units)), costs),
                          compiled.x_indices, options)
    if outcome.values is None:
        return outcome
    return outcome._replace(values=[i for i, v in enumerate(outcome.values) if v])
