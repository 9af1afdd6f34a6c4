"""The engine: the only part of roc that imports OR-Tools.

- `compile.py`: a qualification's rule registry as a CP-SAT model, one `post_*` per rule kind;
- `edits.py`: `ProtoEdit`, the one way to change a compiled model, undone on exit;
- `parameters.py`: `SolveOptions`, `TieBreak` and the CP-SAT settings, with their measurements;
- `lexicographic.py`: objective and tie-breaks packed into as few solves as fit;
- `conflicts.py`: minimal infeasible subsets; `enumeration.py`: every valid set (in numpy for
  seed-sized models, else by CP-SAT), the K best;
- `transfer.py`: the credit-transfer model.

Everything above the engine speaks in units, rules and plain numbers, never in CP-SAT objects.
"""

from .compile import OPEN, CompiledModel, LinearHandle, PostedRule, compile_qualification
from .conflicts import minimal_conflict
from .edits import ProtoEdit
from .enumeration import Enumeration, Tally, cp_sat_sets, enumerate_sets, k_best, layered, tally_sets
from .lexicographic import FEWEST_UNITS, Outcome, Stage, solve_lexicographic
from .parameters import Cancel, SolveOptions, TieBreak
from .transfer import TransferOutcome, solve_transfer

__all__ = ["FEWEST_UNITS", "OPEN", "Cancel", "CompiledModel", "Enumeration", "LinearHandle", "Outcome", "PostedRule", "ProtoEdit",
           "SolveOptions", "Stage", "Tally", "TieBreak", "TransferOutcome", "compile_qualification", "cp_sat_sets", "enumerate_sets",
           "k_best", "layered", "minimal_conflict", "solve_lexicographic", "solve_transfer", "tally_sets"]
