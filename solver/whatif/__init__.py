"""What-if analysis: scenarios on compiled templates, grids of them, and batch runs.

- `template.py`: a qualification compiled once, each scenario an edit undone after its solve;
- `table.py`: every valid set of a small qualification, for cost-only scenarios;
- `reference.py`: the slow path the tests compare the template against;
- `expand.py`: scenario grids; `batch.py`: runs that resume; `worker.py`: what a worker does;
- `backends/`: this process, a local process pool, or Ray, behind one `Backend` protocol.
"""

import lazy_loader

# Every name loads its module on first use (see __init__.pyi), so `roc --help` and the commands that
# never solve do not load OR-Tools and everything behind it.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
