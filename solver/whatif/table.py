"""The valid-set table: every valid set of a small qualification, enumerated once.

A scenario that changes only what units cost or which may be taken (GLH or TQT revised, units
withdrawn, included, excluded or achieved) is then one matrix-vector product and an argmin, in
roc's tie-break order. The enumeration is exhaustive, so the argmin is still a proof of optimality.
"""

from __future__ import annotations

import numpy as np

from ..engine import CompiledModel, SolveOptions, cp_sat_sets, layered

TABLE_UNITS = 40  # enumerate valid sets only for qualifications this small ...
TABLE_SETS = 20_000  # ... and with at most this many valid sets


class ValidSetTable:
    """Every valid unit set as a 0/1 matrix, with each set's tie-break rank."""

    def __init__(self, member: np.ndarray) -> None:
        self.member = member.astype(np.int64)
        units = member.shape[1]
        # tie-break rank: fewer units, then reference order (the earliest reference first)
        weights = np.array([1 << (units - 1 - j) for j in range(units)], dtype=np.int64)
        order = np.lexsort((-(self.member @ weights), self.member.sum(axis=1)))
        self.rank = np.empty(len(member), dtype=np.int64)
        self.rank[order] = np.arange(len(member))

    @classmethod
    def build(cls, compiled: CompiledModel) -> "ValidSetTable | None":
        """The table of a compiled qualification; None when it is too large to tabulate."""
        if len(compiled.units) > TABLE_UNITS:
            return None
        member = layered(compiled)
        if member is None:  # a model the layered enumeration does not read: CP-SAT lists the sets
            sets, exact, _ = cp_sat_sets(compiled, SolveOptions(interruptible=False), limit=TABLE_SETS + 1)
            if not exact:
                return None
            member = np.zeros((len(sets), len(compiled.units)), dtype=np.int64)
            for row, chosen in enumerate(sets):
                member[row, chosen] = 1
        return None if len(member) > TABLE_SETS else cls(member)

    def best(self, costs: list[int], low: list[int], high: list[int]) -> list[int] | None:
        """Positions of the best set (least total cost, then tie-break rank) among the sets that
        take every unit with low 1 and none with high 0, or None when no valid set does."""
        mask = np.ones(len(self.rank), dtype=bool)
        for position, (lo, hi) in enumerate(zip(low, high)):
            if lo:
                mask &= self.member[:, position] == 1
            if not hi:
                mask &= self.member[:, position] == 0
        if not mask.any():
            return None
        key = (self.member @ np.array(costs, dtype=np.int64)) * len(self.rank) + self.rank
        row = int(np.where(mask, key, np.iinfo(np.int64).max).argmin())
        return [int(p) for p in np.flatnonzero(self.member[row])]
