"""roc's engine: compile rules of combination to CP-SAT, solve with proof, explain; the CLI.

The Python API (every result is a pydantic model whose JSON is the CLI's):

    plan(qual, "minimise glh", include=[...], exclude=[...]) -> Plan   (with `conflict` if infeasible)
    check(qual, ["K/601/6075", ...]) -> CheckResult
    top(qual, "minimise glh", k) / all_optimal(qual, "minimise glh") -> Alternatives
    count(qual, by="glh") -> CountResult
    explain(qual, include, exclude) -> list[ConflictRule]
"""

from .alternatives import all_optimal, count, top
from .check import check
from .compile import CompiledModel, compile_qualification
from .explain import explain
from .results import (Alternatives, CheckResult, ConflictRule, CountResult, Measure, Objective, Plan,
                      Sense, Status, Violation)
from .solve import SolveOptions, plan

__all__ = ["Alternatives", "CheckResult", "CompiledModel", "ConflictRule", "CountResult", "Measure",
           "Objective", "Plan", "Sense", "SolveOptions", "Status", "Violation", "all_optimal", "check",
           "compile_qualification", "count", "explain", "plan", "top"]
