"""roc's solver side, in layers that import one way only:

- `engine/`: the only importer of OR-Tools: compile, solve with tie-breaks, proto edits, conflicts,
  enumeration;
- `analysis/`: plan, check, explain, alternatives, count, transfer, compare, lint;
- `whatif/`: templates, the valid-set table, grids, batch runs on local processes or Ray;
- `cli/`: the `roc` command line, over the API below.

The Python API (every result is a frozen pydantic model whose JSON is the CLI's):

    plan(qual, "minimise glh", include=[...], exclude=[...]) -> Plan   (with `conflict` if infeasible)
    check(qual, ["K/601/6075", ...]) -> CheckResult
    top(qual, "minimise glh", k) / all_optimal(qual, "minimise glh") -> Alternatives
    count(qual, by="glh") -> CountResult
    explain(qual, include, exclude) -> list[ConflictRule]
    transfer(target, achieved, equivalences) -> TransferResult;  transfer_matrix(quals) -> list[MatrixCell]
    suggest(target, achieved, equivalences, known=quals) -> Suggestions   (Match / Maybe / Miss)
    compare(quals, funding=rates, cost_per_glh=30, class_size=12) -> list[ComparisonRow]
    lint(quals) -> list[Finding]
    plan_cohort(cohort, resolve, funding=rates) -> CohortResult
    run_batch(scenarios, out, workers=2, backend="local") -> BatchSummary
"""

from models import Measure, Objective, Sense, Status

from .analysis import all_optimal, check, compare, count, explain, lint, plan, top, transfer, transfer_matrix
from .analysis.cohort import plan_cohort
from .analysis.results import (
                               Alternatives,
                               CheckResult,
                               CohortResult,
                               ComparisonRow,
                               ConflictRule,
                               CountResult,
                               MatrixCell,
                               Plan,
                               Suggestions,
                               TransferResult,
                               Violation,
)
from .analysis.suggest import suggest
from .engine import CompiledModel, SolveOptions, TieBreak, compile_qualification
from .whatif import run_batch

__all__ = ["Alternatives", "CheckResult", "CohortResult", "ComparisonRow", "CompiledModel", "ConflictRule",
           "CountResult", "MatrixCell", "Measure", "Objective", "Plan", "Sense", "SolveOptions", "Status", "Suggestions",
           "TieBreak", "TransferResult", "Violation", "all_optimal", "check", "compare", "compile_qualification",
           "count", "explain", "lint", "plan", "plan_cohort", "run_batch", "suggest", "top", "transfer",
           "transfer_matrix"]
