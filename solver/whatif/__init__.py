"""What-if analysis: scenarios on compiled templates, grids of them, and batch runs.

- `template.py`: a qualification compiled once, each scenario an edit undone after its solve;
- `table.py`: every valid set of a small qualification, for cost-only scenarios;
- `reference.py`: the slow path the tests compare the template against;
- `expand.py`: scenario grids; `batch.py`: runs that resume; `worker.py`: what a worker does;
- `backends/`: this process, a local process pool, or Ray, behind one `Backend` protocol.
"""

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
