"""How to solve, in roc's words: `SolveOptions`, `TieBreak` and `Cancel`. No OR-Tools here, so the
faces can name options without loading the solver (`parameters.py` turns them into CP-SAT settings)."""

from __future__ import annotations

import math
import threading
import weakref
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from models import InputError

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


class TieBreak(str, Enum):
    """How ties on the objective are broken (roc's answers are deterministic in every mode)."""

    auto = "auto"  # full up to FULL_TIE_BREAK_UNITS units, count above
    full = "full"  # fewer units, then reference order: one answer, the same in every run
    count = "count"  # type: ignore[assignment]  # fewer units only (the member hides str.count)
    none = "none"  # the objective only


FEWEST_UNITS = "fewest units"  # the name of the fewer-units tie-break tier, as a plan's stages say it

# The reference-order stages cost 8 s on 2,000 units, against 0.8 s for the objective.
FULL_TIE_BREAK_UNITS = 200


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
    # Seed-sized plans read off the qualification's list of valid sets, made once in numpy
    # (analysis/quick.py): the command line (no OR-Tools to load) and the web planner (each new
    # restriction a lookup, not three solves and a count)
    from_table: bool = False

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
