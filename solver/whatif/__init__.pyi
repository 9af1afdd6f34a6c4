"""Names this package exports, read by `lazy_loader` (each loads on first use) and by type checkers."""

from .backends import Backend, BackendName, make_backend
from .batch import BatchSummary, finished_ids, run_batch
from .expand import expand, parse_percent_range
from .records import ScenarioResult
from .reference import apply_scenario
from .template import Template
from .worker import solve_chunk, solve_entry

__all__ = ["Backend", "BackendName", "BatchSummary", "ScenarioResult", "Template",
           "apply_scenario", "expand", "finished_ids", "make_backend", "parse_percent_range", "run_batch",
           "solve_chunk", "solve_entry"]
