"""A cohort as CP-SAT models: a valid unit set for every learner, and the classes to run.

A unit is taught once to each class of learners who take it and have not achieved it (or an
equivalent). Two exact formulations of the same problem:

- **Set choice** (`solve_set_choice`), the default: learners of one kind (the same qualification,
  the same prior learning) are interchangeable, so the model chooses how many learners of each
  kind take each candidate set of units to be taught. Its size grows with the kinds and their
  candidate sets, not with the learners: 2,000 learners of 40 kinds make the same model as 40.
- **Per learner** (`compile_cohort`, `solve_cohort`): one copy of the qualification's rules per
  learner, with the transfer model's credit choices inside it; for qualifications whose valid sets
  are too many to list.

Objectives, in order, each proven before the next is fixed: learners left without a plan (only
when class limits can leave some unserved), hours taught (sum of GLH x classes; or the cost of
the classes), then fewer classes, then the learners' own taught GLH. One CP-SAT worker and a fixed
seed: the same cohort always gives the same plan.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from models import Qualification, Status, Unit

from .compile import CompiledModel, Model, compile_into, post_rules
from .parameters import STATUS, SolveOptions, new_solver


@dataclass(frozen=True)
class ClassLimits:
    """What a class may be: at most `size` learners (None: any number), at least `minimum` (a
    smaller class is not run), and at most `most` classes of any one unit (one tutor: 1)."""

    size: int | None = None
    minimum: int | None = None
    most: int | None = None

    @property
    def binding(self) -> bool:
        """Whether the limits can leave a learner without a plan."""
        return self.minimum is not None or self.most is not None


def classes_needed(learners: int, class_size: int | None) -> int:
    """Classes of a unit for `learners` learners: ceil(learners / size); one when there is no size."""
    if class_size is None:
        return 1 if learners else 0
    return -(-learners // class_size)


def _class_bounds(model: cp_model.CpModel, digits: str, takers: Any, most_takers: int,
                  limits: ClassLimits) -> cp_model.IntVar:
    """The classes of one unit for `takers` learners (a linear expression of at most
    `most_takers`), within the limits."""
    high = 1 if limits.size is None else max(1, classes_needed(most_takers, limits.size))
    if limits.most is not None:
        high = min(high, limits.most)
    c = model.new_int_var(0, high, f"classes[{digits}]")
    if limits.size is None:
        model.add(most_takers * c >= takers)
    else:
        model.add(limits.size * c >= takers)
    if limits.minimum is not None:
        model.add(limits.minimum * c <= takers)
    return c


@dataclass(frozen=True)
class Kind:
    """Learners who are interchangeable: `count` of them, each to be given one of `candidates`
    (the unit digits they would be taught, in the order ties are broken), whose own GLH by the
    learner's qualification is `own_glh`."""

    count: int
    candidates: list[tuple[str, ...]]
    own_glh: list[int]


@dataclass
class ChoiceOutcome:
    status: Status
    counts: list[list[int]] | None  # per kind: how many learners take each candidate
    unserved: list[int]  # per kind: learners left without a plan by the class limits
    classes: dict[str, int]  # per unit digits
    seconds: float
    bound: int | None = None  # proven: hours (or pence) taught are at least this, for the learners served


def solve_set_choice(kinds: Sequence[Kind], class_glh: dict[str, int], class_cost: dict[str, int],
                     limits: ClassLimits = ClassLimits(), options: SolveOptions = SolveOptions(),
                     minimise_cost: bool = False) -> ChoiceOutcome:
    """The set-choice model (see the module's doc), solved stage by stage. `class_glh` and
    `class_cost` give the hours and cost (in pence) of one class of each unit."""
    started = time.perf_counter()
    model = Model()
    n = [[model.new_int_var(0, kind.count, f"n[{k},{s}]") for s in range(len(kind.candidates))]
         for k, kind in enumerate(kinds)]
    unserved = [model.new_int_var(0, kind.count if limits.binding else 0, f"unserved[{k}]")
                for k, kind in enumerate(kinds)]
    takers: dict[str, list[tuple[int, cp_model.IntVar]]] = {}
    for kind, row, left in zip(kinds, n, unserved):
        model.add(sum(row) + left == kind.count)
        for candidate, var in zip(kind.candidates, row):
            for digits in candidate:
                takers.setdefault(digits, []).append((kind.count, var))
    classes = {}
    for digits, terms in sorted(takers.items()):
        total = sum(var for _, var in terms)
        classes[digits] = _class_bounds(model, digits, total, sum(count for count, _ in terms), limits)
    per_class = class_cost if minimise_cost else class_glh
    stages = ([sum(unserved)] if limits.binding else []) + [
        sum(per_class[d] * c for d, c in classes.items()),
        sum(classes.values()),
        sum(glh * var for kind, row in zip(kinds, n) for glh, var in zip(kind.own_glh, row)),
    ]
    bounds: list[int] = []
    status, solver = _staged(model, stages, options, sum(len(row) for row in n), started, bounds)
    if solver is None:
        return ChoiceOutcome(status, None, [], {}, time.perf_counter() - started)
    counts = [[int(solver.value(var)) for var in row] for row in n]
    primary = 1 if limits.binding else 0
    return ChoiceOutcome(status, counts, [int(solver.value(v)) for v in unserved],
                         {d: int(solver.value(c)) for d, c in classes.items()}, time.perf_counter() - started,
                         bounds[primary] if len(bounds) > primary else None)


def _staged(model: cp_model.CpModel, stages: list[Any], options: SolveOptions, size: int,
            started: float, bounds: list[int] | None = None) -> tuple[Status, cp_model.CpSolver | None]:
    """Each stage minimised, proven and fixed in turn, the next hinted with the last solution;
    the status is the weakest of the stages (None: no solution to read). `bounds` receives each
    stage's proven lower bound."""
    status, solver = Status.optimal, None
    for stage in stages:
        left = None if options.time_limit is None else options.time_limit - (time.perf_counter() - started)
        if left is not None and left <= 0:
            return (Status.feasible if solver is not None else Status.unknown), solver
        model.minimize(stage)
        attempt = new_solver(options, left, size)
        code = attempt.solve(model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return (STATUS[code], None) if solver is None else (Status.feasible, solver)
        solver = attempt
        if bounds is not None:
            bounds.append(int(math.ceil(solver.best_objective_bound - 1e-6)))
        _hint(model, solver)
        if code != cp_model.OPTIMAL:
            return Status.feasible, solver
        model.add(stage == int(round(solver.objective_value)))
    return status, solver


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    model.clear_hints()  # type: ignore[no-untyped-call]  # OR-Tools leaves it unannotated
    for index in range(len(model.proto.variables)):
        model.proto.solution_hint.vars.append(index)
        model.proto.solution_hint.values.append(solver.response_proto.solution[index])


# -- per learner ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreditOption:
    """An achieved unit (or the units of an equivalence) that can credit one target unit."""

    target: str  # unit digits
    achieved: tuple[str, ...]  # achieved unit digits, each usable for one target only


@dataclass
class CohortModel:
    model: cp_model.CpModel
    learners: list[CompiledModel]
    taught: list[dict[str, Any]]  # per learner: unit digits -> 0/1 expression "taught to this learner"
    classes: dict[str, cp_model.IntVar]  # per unit digits
    glh: dict[str, int]  # hours a class of the unit takes
    cost: dict[str, int]  # money a class of the unit costs, in pence (empty: no costs)


@dataclass
class CohortOutcome:
    status: Status
    chosen: list[list[Unit]] | None  # per model copy: the units taken
    taught: list[list[Unit]] | None  # per model copy: of those, the units taught (not credited)
    classes: dict[str, int]
    seconds: float


def compile_cohort(quals: list[Qualification], credits: list[list[CreditOption]], banned: set[str],
                   limits: ClassLimits, unit_glh: dict[str, int], unit_cost: dict[str, int]) -> CohortModel:
    """The per-learner model. `credits[i]`: what learner i's prior learning can credit (each
    achieved unit once, as in transfer); `banned`: unit digits the centre cannot deliver (a
    learner may still have them credited); `unit_glh` and `unit_cost`: one class's hours and
    cost (pence)."""
    model = Model()
    compiled = [compile_into(model, qual, prefix=f"l{i}.") for i, qual in enumerate(quals)]
    taught: list[dict[str, Any]] = []
    by_unit: dict[str, list[Any]] = {}
    for i, (learner, options) in enumerate(zip(compiled, credits)):
        post_rules(learner)
        mine = _credited(model, learner, options, f"l{i}")
        for unit, x in zip(learner.units, learner.x):
            digits = unit.ref.digits
            credited = mine.get(digits, 0)
            if digits in banned:
                model.add(x <= credited)
                continue
            expression = x - credited
            mine[digits] = expression
            by_unit.setdefault(digits, []).append(expression)
        taught.append({d: e for d, e in mine.items() if d in by_unit and d not in banned})
    _break_symmetry(model, quals, compiled, credits)
    classes = {digits: _class_bounds(model, digits, sum(terms), len(terms), limits)
               for digits, terms in sorted(by_unit.items())}
    return CohortModel(model, compiled, taught, classes, unit_glh, unit_cost)


def _credited(model: cp_model.CpModel, learner: CompiledModel, options: list[CreditOption],
              prefix: str) -> dict[str, Any]:
    """Per target unit digits: a 0/1 expression, 1 when prior learning credits it (each achieved
    unit used for one target at most, a target credited at most once, only if it is taken)."""
    chosen: dict[str, list[cp_model.IntVar]] = {}
    uses: dict[str, list[cp_model.IntVar]] = {}
    for k, option in enumerate(options):
        if option.target not in learner.index:
            continue
        y = model.new_bool_var(f"{prefix}.credit[{k}]")
        chosen.setdefault(option.target, []).append(y)
        for digits in option.achieved:
            uses.setdefault(digits, []).append(y)
    for target, ys in chosen.items():
        model.add(sum(ys) <= learner.x[learner.index[target]])
    for ys in uses.values():
        if len(ys) > 1:
            model.add(sum(ys) <= 1)
    return {target: sum(ys) for target, ys in chosen.items()}


def _break_symmetry(model: cp_model.CpModel, quals: list[Qualification], compiled: list[CompiledModel],
                    credits: list[list[CreditOption]]) -> None:
    """Learners with the same qualification and the same prior learning are interchangeable: any
    plan can be reordered so that their sets, read as binary numbers, never increase. Without this
    a 60-learner cohort has 15!^4 copies of every plan for the search to tell apart."""
    last: dict[tuple[int, tuple[CreditOption, ...]], CompiledModel] = {}
    for qual, learner, options in zip(quals, compiled, credits):
        kind = (id(qual), tuple(options))
        previous = last.get(kind)
        if previous is not None and len(learner.x) <= 60:
            weights = [1 << (len(learner.x) - 1 - k) for k in range(len(learner.x))]
            model.add(sum(w * x for w, x in zip(weights, previous.x)) >= sum(w * x for w, x in zip(weights, learner.x)))
        last[kind] = learner


def solve_cohort(cm: CohortModel, options: SolveOptions = SolveOptions(), minimise_cost: bool = False
                 ) -> CohortOutcome:
    """Hours (or cost), then classes, then the learners' own taught GLH, each proven in turn."""
    started = time.perf_counter()
    per_class = cm.cost if minimise_cost else cm.glh
    own = sum(learner.qualification.unit_by_digits[d].glh * e  # by the learner's own qualification
              for learner, taught in zip(cm.learners, cm.taught) for d, e in taught.items())
    stages = [sum(per_class[d] * c for d, c in cm.classes.items()), sum(cm.classes.values()), own]
    status, solver = _staged(cm.model, stages, options, sum(len(learner.units) for learner in cm.learners), started)
    if solver is None:
        return CohortOutcome(status, None, None, {}, time.perf_counter() - started)
    chosen = [[u for u, x in zip(learner.units, learner.x) if solver.boolean_value(x)] for learner in cm.learners]
    taught = [[u for u in units if u.ref.digits in mine and solver.value(mine[u.ref.digits])]
              for units, mine in zip(chosen, cm.taught)]
    classes = {d: int(solver.value(c)) for d, c in cm.classes.items()}
    return CohortOutcome(status, chosen, taught, classes, time.perf_counter() - started)
