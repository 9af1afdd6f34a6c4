"""The engine: the only part of roc that imports OR-Tools.

- `compile.py`: a qualification's rule registry as a CP-SAT model, one `post_*` per rule kind;
- `edits.py`: `ProtoEdit`, the one way to change a compiled model, undone on exit;
- `parameters.py`: `SolveOptions`, `TieBreak` and the CP-SAT settings, with their measurements;
- `lexicographic.py`: objective and tie-breaks packed into as few solves as fit;
- `conflicts.py`: minimal infeasible subsets; `enumeration.py`: every valid set (in numpy for
  seed-sized models, else by CP-SAT), the K best;
- `transfer.py`: the credit-transfer model.

Everything above the engine speaks in units, rules and plain numbers, never in CP-SAT objects.
"""

import lazy_loader

# Every name loads its module on first use (see __init__.pyi), so `roc --help` and the commands that
# never solve do not load OR-Tools and everything behind it.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
