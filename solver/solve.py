"""Solve a compiled qualification: objective, deterministic tie-breaks, one place that calls CP-SAT.

Ties are broken lexicographically, exactly: first the objective, then fewer units, then the
reference order (among equal sets, the one whose sorted reference list comes first). These levels
are packed into as few CP-SAT objectives as fit in 62 bits: for the seed qualifications, one solve.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models import Finding, InputError, Qualification, Severity, UnitRef

from .compile import CompiledModel, compile_qualification
from .results import ChosenUnit, Measure, Objective, Plan, Sense, Status

_BUDGET = 1 << 62

_STATUS = {
    cp_model.OPTIMAL: Status.optimal,
    cp_model.FEASIBLE: Status.feasible,
    cp_model.INFEASIBLE: Status.infeasible,
    cp_model.UNKNOWN: Status.unknown,
}


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float | None = None  # seconds for the whole request
    workers: int = 1  # one CP-SAT worker: deterministic, and one per process in batch runs
    tie_break: str = "full"  # "full" (count, then reference order), "count", or "none"


def new_solver(options: SolveOptions, time_left: float | None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = 0
    if time_left is not None:
        solver.parameters.max_time_in_seconds = max(time_left, 0.001)
    return solver


@dataclass(frozen=True)
class _Level:
    """One level of the lexicographic objective: coefficients to minimise, and how to fix it."""

    coefs: list[int]
    name: str  # a measure ("glh", "count", ...) fixed through its variable, or "" for one unit
    unit: int = -1  # the unit position, for a reference-order level


def _levels(compiled: CompiledModel, objective: Objective, tie_break: str) -> list[_Level]:
    sign = 1 if objective.sense is Sense.minimise else -1
    n = len(compiled.units)
    levels = [_Level([sign * objective.measure.of(u) for u in compiled.units], objective.measure.value)]
    if tie_break in ("full", "count"):
        levels.append(_Level([1] * n, "count"))  # fewer units
    if tie_break == "full":
        # Reference order: prefer the earliest reference, then the next, ... (each a 0/1 level).
        levels += [_Level([-1 if j == i else 0 for j in range(n)], "", i) for i in range(n)]
    return [level for level in levels if any(level.coefs)]


def _span(level: _Level) -> int:
    return sum(abs(c) for c in level.coefs) + 1


def _stages(levels: list[_Level]) -> list[list[_Level]]:
    """Group consecutive levels so each group's packed objective stays inside the budget."""
    stages: list[list[_Level]] = []
    current: list[_Level] = []
    size = 1
    for level in levels:
        if current and size * _span(level) > _BUDGET:
            stages.append(current)
            current, size = [], 1
        current.append(level)
        size *= _span(level)
    if current:
        stages.append(current)
    return stages


def _packed(stage: list[_Level], n: int) -> list[int]:
    weights, weight = [], 1
    for level in reversed(stage):
        weights.append(weight)
        weight *= _span(level)
    weights.reverse()
    return [sum(w * level.coefs[j] for w, level in zip(weights, stage)) for j in range(n)]


class _Fixes:
    """Holds a stage's optimum while later stages run, and undoes it afterwards, so a compiled
    model can be solved again (top-K, batch scenarios) without growing."""

    def __init__(self, compiled: CompiledModel) -> None:
        self.compiled = compiled
        self.domains: list[tuple[object, int, int]] = []
        self.assumed: list[cp_model.IntVar] = []

    def fix(self, level: _Level, values: list[int]) -> None:
        compiled = self.compiled
        if level.unit >= 0:
            var = compiled.x[level.unit]
            self.assumed.append(var if values[level.unit] else var.Not())
        else:
            var = compiled.measure_var(level.name, [abs(c) for c in level.coefs]
                                       if level.name != "count" else level.coefs)
            value = sum(abs(c) * v for c, v in zip(level.coefs, values))
            domain = compiled.model.Proto().variables[var.Index()].domain
            self.domains.append((domain, domain[0], domain[1]))
            domain[0] = domain[1] = value
        compiled.model.ClearAssumptions()
        compiled.model.AddAssumptions(compiled.assumptions + self.assumed)

    def undo(self) -> None:
        for domain, low, high in self.domains:
            domain[0], domain[1] = low, high
        self.compiled.model.ClearAssumptions()
        self.compiled.model.AddAssumptions(self.compiled.assumptions)


def solve_lexicographic(
    compiled: CompiledModel, objective: Objective, options: SolveOptions = SolveOptions()
) -> tuple[Status, list[int] | None, float]:
    """Returns the status, the chosen unit positions (None when there is no set) and solve time.
    The compiled model is left as it was found (objective and hints aside)."""
    model, x = compiled.model, compiled.x
    started = time.perf_counter()
    values: list[int] | None = None
    status = Status.unknown
    stages = _stages(_levels(compiled, objective, options.tie_break)) or [[]]
    fixes = _Fixes(compiled)
    try:
        for k, stage in enumerate(stages):
            left = None if options.time_limit is None else options.time_limit - (time.perf_counter() - started)
            if left is not None and left <= 0:
                status = Status.feasible if values is not None else Status.unknown
                break
            coefs = _packed(stage, len(x)) if stage else []
            model.Minimize(sum(c * var for c, var in zip(coefs, x) if c))
            solver = new_solver(options, left)
            code = solver.Solve(model)
            status = _STATUS.get(code, Status.unknown)
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if values is not None:  # a later stage timed out: the earlier solution stands
                    status = Status.feasible
                break
            values = [int(solver.BooleanValue(var)) for var in x]
            if code != cp_model.OPTIMAL or k == len(stages) - 1:
                break
            # Hold every level of this stage at its optimum, and hint the next stage.
            for level in stage:
                fixes.fix(level, values)
            model.ClearHints()
            for var, value in zip(x, values):
                model.AddHint(var, value)
    finally:
        fixes.undo()
        model.ClearHints()
    elapsed = time.perf_counter() - started
    if values is None:
        return status, None, elapsed
    return status, [i for i, v in enumerate(values) if v], elapsed


def reference_notes(qual: Qualification, refs: Sequence[str | UnitRef], what: str) -> list[Finding]:
    """Say when a reference a user gave differs from the catalogue's (check letter, format)."""
    notes = []
    for ref in refs:
        parsed = ref if isinstance(ref, UnitRef) else UnitRef.parse(ref)
        unit = qual.unit(parsed)
        if unit is not None and parsed.printed != unit.ref.printed:
            notes.append(Finding(
                code="ref-matched", severity=Severity.info, qualification=str(qual.number),
                subject=str(unit.ref),
                message=f"{what} {parsed.printed!r} matched unit {unit.ref} by its digits"))
    return notes


def parse_objective(objective: Objective | str) -> Objective:
    """`"minimise glh"`, `"maximise glh"`, ... or an Objective."""
    if isinstance(objective, Objective):
        return objective
    sense, _, measure = objective.partition(" ")
    try:
        return Objective(sense=Sense(sense), measure=Measure(measure))
    except ValueError:
        raise InputError(f"objective {objective!r}: expected 'minimise' or 'maximise' and "
                         f"glh, tqt or credits") from None


def build_plan(qual: Qualification, compiled: CompiledModel, objective: Objective, status: Status,
               chosen: list[int] | None, seconds: float,
               include: Sequence[str | UnitRef] = (), exclude: Sequence[str | UnitRef] = ()) -> Plan:
    units = [compiled.units[i] for i in chosen] if chosen is not None else []
    found = chosen is not None
    return Plan(
        qualification=str(qual.number),
        title=qual.title,
        goal=str(objective),
        status=status,
        objective=sum(objective.measure.of(u) for u in units) if found else None,
        units=[str(u.ref) for u in units],
        glh=sum(u.glh for u in units) if found else None,
        tqt=sum(u.hours for u in units) if found else None,
        credits=sum(u.credits for u in units) if found else None,
        detail=[ChosenUnit(ref=str(u.ref), title=u.title, level=u.level.label, credits=u.credits,
                           glh=u.glh, tqt=u.hours, groups=[g.id for g in qual.groups if u.ref in g.units])
                for u in units],
        include=[str(qual.unit(r).ref) for r in _parse_all(include)],
        exclude=[str(qual.unit(r).ref) for r in _parse_all(exclude)],
        notes=reference_notes(qual, include, "--include") + reference_notes(qual, exclude, "--exclude"),
        solve_seconds=round(seconds, 6),
    )


def plan(
    qual: Qualification,
    objective: Objective | str = Objective(),
    include: Sequence[str | UnitRef] = (),
    exclude: Sequence[str | UnitRef] = (),
    options: SolveOptions = SolveOptions(),
    explain: bool = True,
) -> Plan:
    """The valid unit set that is best for `objective`, with proof status. When there is none,
    `conflict` names a minimal set of rules and choices that cannot all hold."""
    objective = parse_objective(objective)
    compiled = compile_qualification(qual, include, exclude)
    status, chosen, seconds = solve_lexicographic(compiled, objective, options)
    result = build_plan(qual, compiled, objective, status, chosen, seconds, include, exclude)
    if status is Status.infeasible and explain:
        from .explain import explain as find_conflict

        result.conflict = find_conflict(qual, include, exclude, options)
    return result


def _parse_all(refs: Sequence[str | UnitRef]) -> list[UnitRef]:
    return [r if isinstance(r, UnitRef) else UnitRef.parse(r) for r in refs]
