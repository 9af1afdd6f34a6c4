"""Names this package exports, read by `lazy_loader` (each loads on first use) and by type checkers."""

from .alternatives import all_optimal, count, top
from .check import check, violations
from .compare import compare
from .explain import explain
from .lint import lint
from .plan import plan
from .quick import quick_plan_restricted
from .restrict import plan_restricted
from .transfer import credit_options, transfer, transfer_matrix

__all__ = ["all_optimal", "check", "compare", "count", "credit_options", "explain", "lint", "plan", "plan_restricted", "quick_plan_restricted", "top",
           "transfer", "transfer_matrix", "violations"]
