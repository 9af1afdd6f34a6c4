"""Plans without OR-Tools, for a process that asks one question (the command line).

Loading OR-Tools takes about 0.3 s, a hundred times a seed's solve. A seed-sized qualification's
valid sets are listed instead, in numpy, by the layered enumeration over rows read straight from
its rule registry (engine/layers.py); the best set under the choices and targets, the unrestricted
optimum and the sets left are then read off that list. The list is exhaustive, so the answer is
proven, and it is the one `plan_restricted` gives (a property test compares them). Anything the
list does not settle (no valid set, which the solver explains; a qualification too large) is left
to `plan_restricted`: `quick_plan_restricted` returns None.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from models import Objective, Qualification, Sense, Status, Target, Unit, UnitRef

from ..engine.layers import SetTable, enumerate_rows, rows_of
from ..engine.options import SolveOptions, TieBreak
from .limits import COUNT_LIMIT
from .plan_result import build_plan
from .results import Plan, RestrictionCost

QUICK_UNITS = 40  # list the valid sets of qualifications of at most this many units ...
QUICK_CAP = 20_000  # ... when no layer of the enumeration holds more partial sets than this


def quick_plan_restricted(qual: Qualification, objective: Objective | str, include: Sequence[str] = (),
                          exclude: Sequence[str] = (), words: Sequence[str] = (), ruled_out: Sequence[UnitRef] = (),
                          options: SolveOptions = SolveOptions(), targets: Sequence[Target] = ()) -> Plan | None:
    """`plan_restricted`'s answer from the list of valid sets, or None when the list does not
    settle it (see the module's doc)."""
    started = time.perf_counter()
    objective = Objective.parse(objective)
    if len(qual.units) > QUICK_UNITS or options.ties(len(qual.units)) is not TieBreak.full:
        return None
    excluded = list(exclude) + [str(ref) for ref in ruled_out]
    try:
        units, rows = rows_of(qual)
    except TypeError:  # a rule the rows do not read
        return None
    member = enumerate_rows(rows, QUICK_CAP)
    if member is None or len(member) >= COUNT_LIMIT:
        return None
    table = SetTable(member)
    allowed = _taking(table, qual, units, include, excluded)
    meeting = allowed & _meeting(table, units, targets)
    costs = [objective.sign * objective.measure.of(u) for u in units]
    chosen = table.best(costs, mask=meeting)
    if chosen is None:  # no valid set: the solver names the rules that conflict
        return None
    result = build_plan(qual, units, objective, Status.optimal, chosen, time.perf_counter() - started,
                        include, excluded)
    if targets:
        result = result.model_copy(update={"targets": [t.key for t in targets]})
    if not (include or exclude or words):
        return result
    free = build_plan(qual, units, objective, Status.optimal, table.best(costs), 0.0)
    cost = None
    if result.objective is not None and free.objective is not None:
        cost = (result.objective - free.objective if objective.sense is Sense.minimise
                else free.objective - result.objective)
    said = list(words) + [f"must include {ref}" for ref in include] + [f"must not include {ref}" for ref in exclude]
    return result.model_copy(update={"restriction": RestrictionCost(
        restrictions=said, ruled_out=[str(ref) for ref in ruled_out], measure=objective.measure.value,
        unrestricted_objective=free.objective, cost=cost, valid_sets_left=int(allowed.sum()),
        valid_sets_left_exact=True)})


def _taking(table: SetTable, qual: Qualification, units: Sequence[Unit], include: Sequence[str],
            exclude: Sequence[str]) -> np.ndarray:
    """The sets that take every unit of `include` and none of `exclude`."""
    position = {u.ref.digits: i for i, u in enumerate(units)}
    allowed = np.ones(len(table.rank), dtype=bool)
    for unit in qual.resolve(include, "include"):
        allowed &= table.member[:, position[unit.ref.digits]] == 1
    for unit in qual.resolve(exclude, "exclude"):
        allowed &= table.member[:, position[unit.ref.digits]] == 0
    return allowed


def _meeting(table: SetTable, units: Sequence[Unit], targets: Sequence[Target]) -> np.ndarray:
    """The sets whose totals meet every target."""
    meeting = np.ones(len(table.rank), dtype=bool)
    for target in targets:
        totals = table.member @ np.array([target.measure.of(u) for u in units], dtype=np.int64)
        if target.min is not None:
            meeting &= totals >= target.min
        if target.max is not None:
            meeting &= totals <= target.max
    return meeting
