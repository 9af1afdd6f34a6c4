"""Names this package exports, read by `lazy_loader` (each loads on first use) and by type checkers."""

from .compile import CompiledModel, LinearHandle, PostedRule, compile_qualification
from .conflicts import minimal_conflict
from .edits import ProtoEdit
from .enumeration import Enumeration, Tally, cp_sat_sets, enumerate_sets, k_best, layered, tally_sets
from .layers import OPEN, SetTable, rows_of
from .lexicographic import Outcome, Stage, solve_lexicographic
from .options import FEWEST_UNITS, Cancel, SolveOptions, TieBreak
from .transfer import TransferOutcome, solve_transfer

__all__ = ["FEWEST_UNITS", "OPEN", "SetTable", "rows_of", "Cancel", "CompiledModel", "Enumeration", "LinearHandle", "Outcome", "PostedRule", "ProtoEdit",
           "SolveOptions", "Stage", "Tally", "TieBreak", "TransferOutcome", "compile_qualification", "cp_sat_sets", "enumerate_sets",
           "k_best", "layered", "minimal_conflict", "solve_lexicographic", "solve_transfer", "tally_sets"]
