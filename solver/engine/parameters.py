"""Solve options and the one place CP-SAT parameters are chosen, each setting with the measurement
behind it."""

from __future__ import annotations

import math
import threading
import weakref
from dataclasses import dataclass
from enum import Enum

from ortools.sat.python import cp_model

from models import InputError, Status


class TieBreak(str, Enum):
    """How ties on the objective are broken (roc's answers are deterministic in every mode)."""

    auto = "auto"  # full up to FULL_TIE_BREAK_UNITS units, count above
    full = "full"  # fewer units, then reference order: one answer, the same in every run
    count = "count"  # type: ignore[assignment]  # fewer units only (the member hides str.count)
    none = "none"  # the objective only


# The reference-order stages cost 8 s on 2,000 units, against 0.8 s for the objective.
FULL_TIE_BREAK_UNITS = 200

# Tie-breaks are bounded so the default answer finishes: with no time limit from the caller, the
# stages after the objective's share TIE_BREAK_FACTOR times the objective stage's seconds (at least
# TIE_BREAK_FLOOR). A tie-break that runs out keeps its best set; the objective stays proven.
TIE_BREAK_FACTOR = 2.0
TIE_BREAK_FLOOR = 1.0

# Presolve, measured with one worker and the full LP relaxation on bench/curve.py's instances
# (minimise GLH): off is faster at every size now that large models solve the objective alone (see
# SEPARATE_FROM): 0.49 s against 2.7 s at 4,000 units (presolve alone takes 2.8 s), 3.5 s against
# 10.1 s at 8,000, 5.4 s against 18.9 s at 16,000; on the seeds presolve costs 10-20%.
# `SolveOptions(presolve=True)` still turns it on; None here means never by default.
PRESOLVE_FROM: int | None = None

# From this many units, each tie-break tier is its own solve instead of one packed objective.
# Packed, CP-SAT must close a bound scaled by the units to prove the GLH part, and its time has a
# long tail: 26 s (against 0.6-0.7 s for the other seeds) at 4,000 units, not proven in 60 s at
# 8,000 and 16,000. Separate, GLH first then fewer units: 1.3-1.5 s at 4,000 units, 4.6-7.6 s at
# 8,000, 18-29 s at 16,000. Below it packing wins: 0.14-0.57 s against 0.34-0.42 s at 2,000 units.
SEPARATE_FROM = 3000

# Stages after the first start from the previous stage's solution (a complete hint), and there the
# lower-bound tree search proves the tier far sooner: fewer units at 8,000 units 2.7 s against 29 s
# (seed 2), 2,000 units 0.2 s against 2.0 s (seed 0). On a first stage, with no hint, it finds no
# solution in 60 s, so it is used only after one; on reference-order stages it stalls (2,000 units,
# full tie-break: not proven in 120 s against 3.6 s), so only on value tiers.
LB_TREE_FROM = 1000


class Cancel:
    """A switch that ends every solve made with it (a server shutting down, a client gone): each
    running one answers with what it had proved, and any later one stops at once. A switch with
    a `parent` (a request's, under its server's) is also thrown by the parent."""

    def __init__(self, parent: Cancel | None = None) -> None:
        self._set = threading.Event()
        self._solvers: weakref.WeakSet[cp_model.CpSolver] = weakref.WeakSet()
        self.parent = parent

    @property
    def is_set(self) -> bool:
        return self._set.is_set() or (self.parent is not None and self.parent.is_set)

    def watch(self, solver: cp_model.CpSolver) -> None:
        self._solvers.add(solver)
        if self.parent is not None:
            self.parent.watch(solver)

    def stop(self) -> None:
        self._set.set()
        for solver in list(self._solvers):
            solver.parameters.max_time_in_seconds = 0.001
            solver.stop_search()


@dataclass(frozen=True)
class SolveOptions:
    """How to solve: a time limit for the whole request, CP-SAT workers, tie-breaks, presolve."""

    time_limit: float | None = None  # seconds for the whole request
    workers: int = 1  # one CP-SAT worker: deterministic, and one per process in batch runs
    tie_break: TieBreak = TieBreak.auto
    presolve: bool | None = None  # None: from PRESOLVE_FROM units (None: never)
    # False: CP-SAT leaves Ctrl-C to the caller. Batch runs stop between scenarios; a solve that
    # CP-SAT cut short would otherwise come back `unknown` and be saved as if it were an answer.
    interruptible: bool = True
    cancel: Cancel | None = None  # a server's switch to end its solves when it stops

    def __post_init__(self) -> None:
        limit = self.time_limit
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float))
                                  or not math.isfinite(limit) or limit <= 0):
            raise InputError(f"{limit!r}: expected a positive number of seconds", field="time_limit")
        if isinstance(self.workers, bool) or not isinstance(self.workers, int) or self.workers < 1:
            raise InputError(f"{self.workers!r}: expected a whole number of at least 1", field="CP-SAT workers")

    def ties(self, units: int) -> TieBreak:
        """The tie-break for a model of `units` units (resolves `auto`)."""
        tie_break = TieBreak(self.tie_break)
        if tie_break is not TieBreak.auto:
            return tie_break
        return TieBreak.full if units <= FULL_TIE_BREAK_UNITS else TieBreak.count


STATUS = {
    cp_model.OPTIMAL: Status.optimal,
    cp_model.FEASIBLE: Status.feasible,
    cp_model.INFEASIBLE: Status.infeasible,
    cp_model.UNKNOWN: Status.unknown,
}


def new_solver(options: SolveOptions, time_left: float | None, size: int = 0,
               later: bool = False) -> cp_model.CpSolver:
    """A CP-SAT solver set up for a model of `size` units, stopping after `time_left` seconds;
    `later`: a stage after the first, hinted with the previous stage's solution."""
    solver = cp_model.CpSolver()
    if options.cancel is not None:
        options.cancel.watch(solver)
        if options.cancel.is_set:
            time_left = 0.001
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = 0
    if later and size >= LB_TREE_FROM:
        solver.parameters.optimize_with_lb_tree_search = True
    automatic = PRESOLVE_FROM is not None and size >= PRESOLVE_FROM
    if not (options.presolve if options.presolve is not None else automatic):
        solver.parameters.cp_model_presolve = False
        solver.parameters.cp_model_probing_level = 0  # seeds: 10-20% faster, never slower
    # The full LP relaxation. Measured: the 2,000-unit synthetic instance is proven optimal in
    # 0.3 s with one worker (still open after 15 s at the default level); on the seeds it halves
    # the hardest solves (Ascentis 600/1684/X, maximise GLH) and costs nothing elsewhere.
    solver.parameters.linearization_level = 2
    if not options.interruptible:
        solver.parameters.catch_sigint_signal = False
    if time_left is not None:
        solver.parameters.max_time_in_seconds = max(time_left, 0.001)
    return solver
