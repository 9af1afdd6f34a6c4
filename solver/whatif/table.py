"""The valid-set table: every valid set of a small qualification, enumerated once.

A scenario that changes only what units cost or which may be taken (GLH or TQT revised, units
withdrawn, included, excluded or achieved) is then one matrix-vector product and an argmin, in
roc's tie-break order. The enumeration is exhaustive, so the argmin is still a proof of optimality.
"""

from __future__ import annotations

import numpy as np

from ..engine import CompiledModel, SolveOptions, cp_sat_sets, layered
from ..engine.layers import SetTable

TABLE_UNITS = 40  # enumerate valid sets only for qualifications this small ...
TABLE_SETS = 20_000  # ... and with at most this many valid sets


class ValidSetTable(SetTable):
    """Every valid unit set as a 0/1 matrix, with each set's tie-break rank (see layers.SetTable)."""

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
