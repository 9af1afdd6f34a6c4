"""Plans without OR-Tools, for a process that asks one question (the command line).

Loading OR-Tools takes about 0.3 s, a hundred times a seed's solve. A seed-sized qualification's
valid sets are listed instead, in numpy, by the layered enumeration over rows read straight from
its rule registry (engine/layers.py); the best set under the choices and targets, the unrestricted
optimum and the sets left are then read off that list. The list is exhaustive, so the answer is
proven, and it is the one `plan_restricted` gives (a property test compares them). When no set
meets the choices, the solver names the rules that conflict, as `plan` does. A qualification too
large to list is left to `plan_restricted`: `quick_plan_restricted` returns None.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from models import Objective, Qualification, Status, Target, Unit, UnitRef

from ..engine.layers import SetTable, enumerate_rows, rows_of
from ..engine.options import SolveOptions, TieBreak
from .limits import COUNT_LIMIT, QUICK_UNITS
from .plan_result import build_plan, with_restriction
from .results import Plan

QUICK_CAP = 20_000  # (at most QUICK_UNITS units,) when no layer of the enumeration holds more partial sets than this
KEPT = 64  # lists kept (a server's catalogue and uploads), the least recently used dropped

_kept: OrderedDict[int, tuple[Qualification, list[Unit], SetTable | None]] = OrderedDict()
_lock = threading.Lock()


def table_of(qual: Qualification) -> tuple[list[Unit], SetTable] | None:
    """`qual`'s units in reference order and its table of valid sets, made once for each
    qualification object (a server asks many questions of one); None when it is too large to list
    or holds a rule the rows do not read."""
    with _lock:
        kept = _kept.get(id(qual))
        if kept is not None and kept[0] is qual:
            _kept.move_to_end(id(qual))
            return None if kept[2] is None else (kept[1], kept[2])
    try:
        units, rows = rows_of(qual)
    except TypeError:  # a rule the rows do not read
        units, rows = [], None
    member = enumerate_rows(rows, QUICK_CAP) if rows is not None else None
    table = None if member is None or len(member) >= COUNT_LIMIT else SetTable(member)
    with _lock:
        _kept[id(qual)] = (qual, units, table)  # the qualification is kept too: its id stays its own
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return None if table is None else (units, table)


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
    listed = table_of(qual)
    if listed is None:
        return None
    units, table = listed
    allowed = _taking(table, qual, units, include, excluded)
    meeting = allowed & _meeting(table, units, targets)
    costs = [objective.sign * objective.measure.of(u) for u in units]
    chosen = table.best(costs, mask=meeting)
    conflict = []
    if chosen is None:  # no valid set: the solver names the rules that conflict (and OR-Tools loads)
        from .explain import explain

        conflict = explain(qual, include, excluded, options, targets)
    result = build_plan(qual, units, objective, Status.optimal if chosen is not None else Status.infeasible, chosen,
                        time.perf_counter() - started, include, excluded, conflict)
    if targets:
        result = result.model_copy(update={"targets": [t.key for t in targets]})
    if not (include or exclude or words):
        return result
    free = table.best(costs)  # the unrestricted optimum: its objective is all the answer needs
    unrestricted = None if free is None else objective.measure.total([units[p] for p in free])
    return with_restriction(result, objective, unrestricted, words, include, exclude, ruled_out,
                            int(allowed.sum()), True)


def _taking(table: SetTable, qual: Qualification, units: Sequence[Unit], include: Sequence[str],
            exclude: Sequence[str]) -> np.ndarray:
    """The sets that take every unit of `include` and none of `exclude`."""
    position = {u.ref.digits: i for i, u in enumerate(units)}
    return table.taking([position[u.ref.digits] for u in qual.resolve(include, "include")],
                        [position[u.ref.digits] for u in qual.resolve(exclude, "exclude")])


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
