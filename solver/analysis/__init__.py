"""Analyses in the user's terms, over the engine: plans, audits, conflicts, alternatives and counts,
credit transfer, comparisons, and lint with the solver. Each returns a frozen result model."""

import lazy_loader

# Every name loads its module on first use (see __init__.pyi), so `roc --help` and the commands that
# never solve do not load OR-Tools and everything behind it.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
