"""Solve a compiled qualification: objective, deterministic tie-breaks, one place that calls CP-SAT.

Ties are broken lexicographically, exactly: first the objective, then fewer units, then the
reference order (among equal sets, the one whose sorted reference list comes first). These levels
are packed into as few CP-SAT objectives as fit in 62 bits: for the seed qualifications, one solve.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

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
    tie_break: str = "auto"  # "full" (count, then reference order), "count", "none", or "auto"
    presolve: bool | None = None  # None: only for models of more than PRESOLVE_FROM units

    def ties(self, units: int) -> str:
        """"auto": full up to FULL_TIE_BREAK_UNITS units, by unit count only above (the
        reference-order stages cost 8 s on 2,000 units, against 0.8 s for the objective)."""
        if self.tie_break != "auto":
            return self.tie_break
        return "full" if units <= FULL_TIE_BREAK_UNITS else "count"


FULL_TIE_BREAK_UNITS = 200

# Presolve, measured with one worker and the full LP relaxation: off is faster on the seeds and on
# synthetic instances of 1,000 units (0.13 s against 0.53 s) and 2,000 units (0.29 s against
# 1.17 s); on 4,000 units presolve wins (6.0 s against 12.9 s).
PRESOLVE_FROM = 3000


def new_solver(options: SolveOptions, time_left: float | None, size: int = 0) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = 0
    if not (options.presolve if options.presolve is not None else size >= PRESOLVE_FROM):
        solver.parameters.cp_model_presolve = False
        solver.parameters.cp_model_probing_level = 0  # seeds: 10-20% faster, never slower
    # The full LP relaxation. Measured: the 2,000-unit synthetic instance is proven optimal in
    # 0.3 s with one worker (still open after 15 s at the default level); on the seeds it halves
    # the hardest solves (Ascentis 600/1684/X, maximise GLH) and costs nothing elsewhere.
    solver.parameters.linearization_level = 2
    if time_left is not None:
        solver.parameters.max_time_in_seconds = max(time_left, 0.001)
    return solver


@dataclass(frozen=True)
class Level:
    """One level of a lexicographic objective: minimise sum(coefs * vars).

    `name` names a measure held at its optimum through a variable of its own while later levels
    are solved. An `order` level prefers its variables set in order (the first, then the next,
    ...): reference order. It packs as a bitmask and is held by assumptions."""

    coefs: list[int]
    vars: list[cp_model.IntVar]
    name: str = ""
    order: bool = False

    @cached_property
    def span(self) -> int:
        if self.order:
            return 1 << len(self.vars)
        return sum(abs(c) for c in self.coefs) + 1

    def part(self, start: int, stop: int) -> "Level":
        if start == 0 and stop >= len(self.vars):
            return self  # keep the same variable list: lets the packing go by position
        return Level([], self.vars[start:stop], order=True)

    def terms(self, weight: int):
        if self.order:
            n = len(self.vars)
            return [(-(weight << (n - 1 - j)), var) for j, var in enumerate(self.vars)]
        return [(weight * c, var) for c, var in zip(self.coefs, self.vars) if c]


def measure_level(vars: list[cp_model.IntVar], values: Sequence[int], sense: Sense, name: str) -> Level:
    sign = 1 if sense is Sense.minimise else -1
    return Level([sign * v for v in values], vars, name)


def order_levels(vars: list[cp_model.IntVar]) -> list[Level]:
    """Reference order: prefer the first variable set, then the next, ..."""
    return [Level([], list(vars), order=True)] if vars else []


def standard_levels(compiled: CompiledModel, objective: Objective, tie_break: str,
                    values: Sequence[int] | None = None) -> list[Level]:
    """The objective, then fewer units, then reference order, over the units of the set.
    `values` overrides each unit's measure (a what-if scenario's revised figures)."""
    x = compiled.x
    if values is None:
        values = [objective.measure.of(u) for u in compiled.units]
    levels = [measure_level(x, values, objective.sense, objective.measure.value)]
    if tie_break in ("full", "count"):
        levels.append(Level([1] * len(x), x, "count"))
    if tie_break == "full":
        levels += order_levels(x)
    return levels


def _stages(levels: list[Level]) -> list[list[Level]]:
    """Group consecutive levels so each group's packed objective stays inside the budget; an
    order level too wide for what is left is split over stages."""
    stages: list[list[Level]] = []
    current: list[Level] = []
    size = 1
    for level in levels:
        if not level.order and not any(level.coefs):
            continue
        if level.order:
            start = 0
            while start < len(level.vars):
                room = (_BUDGET // size).bit_length() - 1  # variables that still fit
                if room < 1:
                    stages.append(current)
                    current, size = [], 1
                    continue
                part = level.part(start, start + room)
                current.append(part)
                size *= part.span
                start += len(part.vars)
            continue
        if current and size * level.span > _BUDGET:
            stages.append(current)
            current, size = [], 1
        current.append(level)
        size *= level.span
    if current:
        stages.append(current)
    return stages


def _set_objective(compiled: CompiledModel, stage: list[Level]) -> None:
    """Write the stage's packed objective straight into the proto (no expression building)."""
    proto = compiled.model.Proto()
    proto.clear_objective()
    weight = 1
    first = stage[0].vars if stage else []
    if all(level.vars is first for level in stage):  # the usual case: every level over the units
        coefs = [0] * len(first)
        for level in reversed(stage):
            if level.order:
                n = len(first)
                for j in range(n):
                    coefs[j] -= weight << (n - 1 - j)
            else:
                for j, c in enumerate(level.coefs):
                    if c:
                        coefs[j] += weight * c
            weight *= level.span
        indices = compiled.x_indices if first is compiled.x else [var.Index() for var in first]
    else:
        merged: dict[int, int] = {}
        for level in reversed(stage):
            for c, var in level.terms(weight):
                merged[var.Index()] = merged.get(var.Index(), 0) + c
            weight *= level.span
        indices, coefs = list(merged), list(merged.values())
    terms = [(i, c) for i, c in zip(indices, coefs) if c]
    proto.objective.vars.extend([i for i, _ in terms])
    proto.objective.coeffs.extend([c for _, c in terms])


class _Fixes:
    """Holds a stage's optimum while later stages run, and undoes it afterwards, so a compiled
    model can be solved again (top-K, batch scenarios) without growing."""

    def __init__(self, compiled: CompiledModel) -> None:
        self.compiled = compiled
        self.domains: list[tuple[object, int, int]] = []
        self.assumed: list[cp_model.IntVar] = []

    def fix(self, level: Level, solver: cp_model.CpSolver) -> None:
        compiled = self.compiled
        if level.order:
            self.assumed += [var if solver.BooleanValue(var) else var.Not() for var in level.vars]
        else:
            var = compiled.measure_var(level.name, level.coefs, level.vars)
            value = int(solver.Value(sum(c * v for c, v in zip(level.coefs, level.vars))))
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


def solve_levels(compiled: CompiledModel, levels: list[Level], watch: list[cp_model.IntVar],
                 options: SolveOptions = SolveOptions()) -> tuple[Status, list[int] | None, float]:
    """Minimise `levels` lexicographically. Returns the status, the values of `watch` (None when
    there is no solution) and the solve time. The compiled model is left as it was found."""
    model = compiled.model
    started = time.perf_counter()
    values: list[int] | None = None
    status = Status.unknown
    stages = _stages(levels) or [[]]
    fixes = _Fixes(compiled)
    k = 0
    try:
        for k, stage in enumerate(stages):
            left = None if options.time_limit is None else options.time_limit - (time.perf_counter() - started)
            if left is not None and left <= 0:
                status = Status.feasible if values is not None else Status.unknown
                break
            _set_objective(compiled, stage)
            if left is None:  # no time limit: the same solver object serves every solve
                solver = compiled.solvers.get(options)
                if solver is None:
                    solver = compiled.solvers[options] = new_solver(options, None, len(compiled.units))
            else:
                solver = new_solver(options, left, len(compiled.units))
            code = solver.solve(model)
            status = _STATUS.get(code, Status.unknown)
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if values is not None:  # a later stage timed out: the earlier solution stands
                    status = Status.feasible
                break
            solution = solver.response_proto.solution
            indices = compiled.x_indices if watch is compiled.x else [var.Index() for var in watch]
            values = [solution[i] for i in indices]
            if code != cp_model.OPTIMAL or k == len(stages) - 1:
                break
            # Hold every level of this stage at its optimum, and hint the next stage.
            for level in stage:
                fixes.fix(level, solver)
            model.clear_hints()
            for var, value in zip(watch, values):
                model.add_hint(var, value)
    finally:
        if fixes.domains or fixes.assumed:
            fixes.undo()
        if k > 0:
            model.clear_hints()
    return status, values, time.perf_counter() - started


def solve_lexicographic(
    compiled: CompiledModel, objective: Objective, options: SolveOptions = SolveOptions()
) -> tuple[Status, list[int] | None, float]:
    """The best set for `objective` with roc's tie-breaks: the status, the chosen unit positions
    (None when there is no set) and the solve time."""
    status, values, seconds = solve_levels(
        compiled, standard_levels(compiled, objective, options.ties(len(compiled.units))), compiled.x, options)
    if values is None:
        return status, None, seconds
    return status, [i for i, v in enumerate(values) if v], seconds


def matched_note(qual: Qualification, given: UnitRef, unit, what: str) -> Finding | None:
    """A note when a reference someone gave differs from the catalogue's form of the same unit."""
    if given.printed == unit.ref.printed:
        return None
    check = "" if given.check_ok else f" (its check letter should be {given.expected_check})"
    return Finding(code="ref-matched", severity=Severity.info, qualification=str(qual.number),
                   subject=str(unit.ref), message=f"{what}{given.printed!r} matched unit {unit.ref} by its digits{check}")


def reference_notes(qual: Qualification, refs: Sequence[str | UnitRef], what: str) -> list[Finding]:
    """Say when a reference a user gave differs from the catalogue's (check letter, format)."""
    notes = []
    for ref in refs:
        parsed = ref if isinstance(ref, UnitRef) else UnitRef.parse(ref)
        unit = qual.unit(parsed)
        note = matched_note(qual, parsed, unit, f"{what} ") if unit is not None else None
        if note is not None:
            notes.append(note)
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
        detail=[ChosenUnit.of(qual, u) for u in units],
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
