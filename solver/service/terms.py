"""What the faces name from the layers below without asking a question: result models, options,
limits and statuses. Light to import (no solver), so a face can build its help, forms and JSON
models before, or without, loading OR-Tools."""

from models import JobState, Measure, Objective, Sense, Status
from models.cohort import MAX_CLASS
from models.figures import MAX_MONEY

from ..analysis.limits import ALL_OPTIMAL_LIMIT, CANDIDATES, COUNT_LIMIT, QUICK_UNITS, THRESHOLD
from ..analysis.money import pounds
from ..analysis.results import (
    Alternatives,
    AlternativesMode,
    CheckResult,
    CohortResult,
    ComparisonRow,
    ConflictRule,
    CountResult,
    MatrixCell,
    Plan,
    RestrictionCost,
    SuggestedTransfer,
    Suggestions,
    TransferResult,
    Violation,
)
from ..engine.options import Cancel, SolveOptions, TieBreak

__all__ = ["ALL_OPTIMAL_LIMIT", "CANDIDATES", "COUNT_LIMIT", "MAX_CLASS", "MAX_MONEY", "QUICK_UNITS", "THRESHOLD", "Alternatives",
           "AlternativesMode", "Cancel", "CheckResult", "CohortResult", "ComparisonRow", "ConflictRule", "CountResult",
           "JobState", "MatrixCell", "Measure", "Objective", "Plan", "RestrictionCost", "Sense", "SolveOptions",
           "Status", "SuggestedTransfer", "Suggestions", "TieBreak", "TransferResult", "Violation", "pounds"]
