"""Explain an infeasible request in the user's terms: the rules and choices that cannot all hold."""

from __future__ import annotations

from collections.abc import Sequence

from models import Qualification, Target, UnitRef

from ..engine import SolveOptions, compile_qualification, minimal_conflict
from .results import ConflictRule


def explain(qual: Qualification, include: Sequence[str | UnitRef] = (),
            exclude: Sequence[str | UnitRef] = (), options: SolveOptions = SolveOptions(),
            targets: Sequence[Target] = ()) -> list[ConflictRule]:
    """A minimal set of `qual`'s rules and the include/exclude choices that cannot all hold:
    drop any one and the rest can. Empty when they can all hold."""
    compiled = compile_qualification(qual, include, exclude, track=True, targets=targets)
    return [ConflictRule(rule=r.key, message=r.text) for r in minimal_conflict(compiled, options)]
