"""roc's engine: compile rules of combination to CP-SAT, solve with proof, explain; the CLI."""

from .compile import CompiledModel, compile_qualification
from .results import Measure, Objective, Plan, Sense, Status
from .solve import SolveOptions, plan

__all__ = ["CompiledModel", "Measure", "Objective", "Plan", "Sense", "SolveOptions", "Status",
           "compile_qualification", "plan"]
