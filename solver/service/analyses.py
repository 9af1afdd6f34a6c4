"""The analyses the faces call as they are, re-exported: audits, conflicts, lint, transfer,
cohorts, suggestions' equivalences and the what-if results file and summary."""

from ..analysis import explain, lint, transfer
from ..analysis.cohort import learner_qualifications, plan_cohort
from ..analysis.suggest import equivalence_for
from ..whatif import BatchSummary
from ..whatif.results_file import finished_ids
from ..whatif.summary import WhatIfSummary

__all__ = ["BatchSummary", "WhatIfSummary", "equivalence_for", "explain", "finished_ids",
           "learner_qualifications", "lint", "plan_cohort", "transfer"]
