"""Solve options and the one place CP-SAT parameters are chosen, each setting with the measurement
behind it."""

from __future__ import annotations

from ortools.sat.python import cp_model

from models import Status

from .options import FULL_TIE_BREAK_UNITS, Cancel, SolveOptions, TieBreak

__all__ = ["FULL_TIE_BREAK_UNITS", "LB_TREE_FROM", "PRESOLVE_FROM", "SEPARATE_FROM", "STATUS", "TIE_BREAK_FACTOR",
           "TIE_BREAK_FLOOR", "Cancel", "SolveOptions", "TieBreak", "new_solver"]


# Tie-breaks are bounded so the default answer finishes: the stages after the objective's share
# TIE_BREAK_FACTOR times the objective stage's seconds (at least TIE_BREAK_FLOOR; less when the
# caller's time limit ends sooner). A tie-break that runs out keeps its best set; the objective
# stays proven. Measured on bench/families.py: the fewer-units stage is proven inside this budget
# on most families and sizes (bench/README.md, "Every instance family").
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
