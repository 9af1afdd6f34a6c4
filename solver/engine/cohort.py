"""A cohort as one CP-SAT model: a valid unit set for every learner, and the classes to run.

- Each learner gets a copy of their qualification's rules over their own unit variables. Units
  they have achieved are fixed as taken (they count) and are not taught; units the centre cannot
  deliver are fixed as not taken.
- For each unit (by reference digits) `n` = the learners taught it; `classes * size >= n`
  (without a class size, one class whenever anyone takes it).
- Objectives, in order, each proven before the next is fixed: hours taught (sum of GLH x classes;
  or the cost of the classes), then fewer classes, then the learners' own taught GLH. One CP-SAT
  worker and a fixed seed: the same cohort always gives the same plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from models import Qualification, Status, Unit

from .compile import CompiledModel, Model, compile_into, post_rules
from .parameters import STATUS, SolveOptions, new_solver


@dataclass
class CohortModel:
    model: cp_model.CpModel
    learners: list[CompiledModel]
    achieved: list[set[str]]  # per learner: digits achieved (taken, not taught)
    classes: dict[str, cp_model.IntVar]  # per unit digits
    glh: dict[str, int]  # hours a class of the unit takes
    cost: dict[str, int]  # money a class of the unit costs (empty: no costs)
    weights: list[int] = field(default_factory=list)  # learners each model copy stands for


@dataclass
class CohortOutcome:
    status: Status
    chosen: list[list[Unit]] | None  # per model copy: the units taken
    classes: dict[str, int]
    seconds: float


def classes_needed(learners: int, class_size: int | None) -> int:
    """Classes of a unit for `learners` learners: ceil(learners / size); one when there is no size."""
    if class_size is None:
        return 1 if learners else 0
    return -(-learners // class_size)


def learner_kind(qual: Qualification, achieved: set[str]) -> tuple[int, frozenset[str]]:
    """Learners of one kind (the same qualification, the same achieved units) are interchangeable."""
    return id(qual), frozenset(achieved)


def compile_cohort(quals: list[Qualification], achieved: list[set[str]], banned: set[str], class_size: int | None,
                   unit_glh: dict[str, int], unit_cost: dict[str, int], weights: list[int] | None = None
                   ) -> CohortModel:
    """The model; `banned`: unit digits the centre cannot deliver; `unit_glh`: hours per class;
    `weights`: how many identical learners each copy stands for (only with one class a unit)."""
    model = Model()
    compiled = [compile_into(model, qual, prefix=f"l{i}.") for i, qual in enumerate(quals)]
    taught: dict[str, list[cp_model.IntVar]] = {}
    for learner, done in zip(compiled, achieved):
        post_rules(learner)
        for unit, x in zip(learner.units, learner.x):
            digits = unit.ref.digits
            if digits in done:
                model.add(x == 1)
            elif digits in banned:
                model.add(x == 0)
            else:
                taught.setdefault(digits, []).append(x)
    _break_symmetry(model, quals, compiled, achieved, banned)
    classes = {}
    for digits, takers in sorted(taught.items()):
        most = len(takers) if class_size is None else classes_needed(len(takers), class_size)
        c = classes[digits] = model.new_int_var(0, max(1, most), f"classes[{digits}]")
        for x in takers:  # implied by the size rule below, but it gives the LP relaxation a floor
            model.add(c >= x)
        if class_size is None:
            model.add(c <= sum(takers))
        else:
            model.add(class_size * c >= sum(takers))
            model.add(class_size * (c - 1) < sum(takers))  # no empty class
    return CohortModel(model, compiled, achieved, classes, unit_glh, unit_cost, weights or [1] * len(quals))


def _break_symmetry(model: cp_model.CpModel, quals: list[Qualification], compiled: list[CompiledModel],
                    achieved: list[set[str]], banned: set[str]) -> None:
    """Learners with the same qualification and the same achieved units are interchangeable: any
    plan can be reordered so that their sets, read as binary numbers, never increase. Without this
    a 60-learner cohort has 15!^4 copies of every plan for the search to tell apart."""
    last: dict[tuple[int, frozenset[str]], CompiledModel] = {}
    for qual, learner, done in zip(quals, compiled, achieved):
        kind = learner_kind(qual, done)
        previous = last.get(kind)
        if previous is not None and len(learner.x) <= 60:
            weights = [1 << (len(learner.x) - 1 - k) for k in range(len(learner.x))]
            model.add(sum(w * x for w, x in zip(weights, previous.x)) >= sum(w * x for w, x in zip(weights, learner.x)))
        last[kind] = learner


def _stages(cm: CohortModel, minimise_cost: bool) -> list[Any]:  # linear expressions (0 for an empty sum)
    per_class = cm.cost if minimise_cost else cm.glh
    primary = sum(per_class[d] * c for d, c in cm.classes.items())
    own = sum(weight * unit.glh * x for learner, done, weight in zip(cm.learners, cm.achieved, cm.weights)
              for unit, x in zip(learner.units, learner.x) if unit.ref.digits not in done)
    return [primary, sum(cm.classes.values()), own]


def solve_cohort(cm: CohortModel, options: SolveOptions = SolveOptions(), minimise_cost: bool = False
                 ) -> CohortOutcome:
    """Each stage minimised and fixed in turn; the status is the weakest of the stages."""
    started, status = time.perf_counter(), Status.optimal
    solver: cp_model.CpSolver | None = None
    for stage in _stages(cm, minimise_cost):
        left = None if options.time_limit is None else options.time_limit - (time.perf_counter() - started)
        if left is not None and left <= 0:
            status = Status.feasible
            break
        cm.model.minimize(stage)
        solver = new_solver(options, left, sum(len(learner.units) for learner in cm.learners))
        code = solver.solve(cm.model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return CohortOutcome(STATUS[code], None, {}, time.perf_counter() - started)
        value = int(round(solver.objective_value))
        _hint(cm, solver)
        if code != cp_model.OPTIMAL:
            status = Status.feasible
            break
        cm.model.add(stage == value)
    if solver is None:  # stopped before the first stage
        return CohortOutcome(Status.unknown, None, {}, time.perf_counter() - started)
    chosen = [[unit for unit, x in zip(learner.units, learner.x) if solver.boolean_value(x)] for learner in cm.learners]
    classes = {d: int(solver.value(c)) for d, c in cm.classes.items()}
    return CohortOutcome(status, chosen, classes, time.perf_counter() - started)


def _hint(cm: CohortModel, solver: cp_model.CpSolver) -> None:
    cm.model.clear_hints()  # type: ignore[no-untyped-call]  # OR-Tools leaves it unannotated
    for learner in cm.learners:
        for x in learner.x:
            cm.model.add_hint(x, solver.boolean_value(x))
    for c in cm.classes.values():
        cm.model.add_hint(c, solver.value(c))
