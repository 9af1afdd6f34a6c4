"""roc's application layer: one call per question a user asks, used by every face (the `roc`
command line, the web planner and its JSON API, the Python API in `solver`). A face translates its
inputs into these calls and renders what they return; none calls the engine or the analyses itself.

Questions are pydantic models whose field names are the neutral names errors carry (`include`,
`glh_percent`, `learners.3.qualification`); each face says them in its own words (`--include` on
the command line, the JSON field in the API, the form field on a page).
"""

from models import JobState, Measure, Objective, Sense, Status

from ..analysis import check, explain, lint, transfer
from ..analysis.alternatives import COUNT_LIMIT
from ..analysis.cohort import learner_qualifications, plan_cohort
from ..analysis.compare import MAX_CLASS, MAX_MONEY
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
from ..analysis.similarity import THRESHOLD
from ..analysis.suggest import CANDIDATES, equivalence_for
from ..engine import Cancel, SolveOptions, TieBreak
from ..whatif import BatchSummary
from ..whatif.backends import BackendName
from ..whatif.results_file import finished_ids
from ..whatif.summary import WhatIfSummary
from .compute import Compute, worker_specs
from .plans import (
    ALL_OPTIMAL_LIMIT,
    CatalogueEntry,
    PlanQuestion,
    all_optimal,
    answer_plan,
    count,
    listing,
    plan,
    top,
)
from .restrictions import Restrictions
from .transfers import (
    SuggestQuestion,
    TransferQuestion,
    answer_transfer,
    compare,
    declared_equivalences,
    suggest,
    suggest_pair,
    transfer_matrix,
)
from .validate import built
from .whatif import GridQuestion, whatif_expand, whatif_run, whatif_summarise

__all__ = [
    "ALL_OPTIMAL_LIMIT", "CANDIDATES", "COUNT_LIMIT", "MAX_CLASS", "MAX_MONEY", "THRESHOLD", "Alternatives", "AlternativesMode",
    "BackendName", "BatchSummary", "Cancel", "CatalogueEntry", "CheckResult", "CohortResult", "ComparisonRow", "Compute",
    "ConflictRule", "CountResult", "GridQuestion", "JobState", "MatrixCell", "Measure", "Objective", "Plan", "PlanQuestion",
    "RestrictionCost", "Restrictions", "Sense", "SolveOptions", "Status", "SuggestQuestion", "SuggestedTransfer", "Suggestions",
    "TieBreak", "TransferQuestion", "TransferResult", "Violation", "WhatIfSummary", "all_optimal", "answer_plan",
    "answer_transfer", "built", "check", "compare", "count", "declared_equivalences", "equivalence_for",
    "explain", "finished_ids", "learner_qualifications", "lint", "listing", "plan", "plan_cohort", "pounds", "suggest",
    "suggest_pair", "top", "transfer", "transfer_matrix", "whatif_expand", "whatif_run", "whatif_summarise",
    "worker_specs",
]
