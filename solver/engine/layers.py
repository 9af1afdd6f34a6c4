"""The layered enumeration in numpy, and the table of valid sets it makes: no OR-Tools here.

A seed-sized qualification's rules are rows `low <= A x <= high` over its unit choices, with each
unit's own bounds (mandatory, included, excluded). `enumerate_rows` decides the units one at a
time, in reference order, for a whole frontier of partial sets at once, and drops each partial set
that some row can no longer accept whatever the remaining units do: every survivor of the last
layer is a valid set, and every valid set survives. The rows come from a compiled CP-SAT model
(`enumeration.layered`, for every model roc builds) or straight from the qualification's rule
registry (`rows_of`, for a process that asks one question and need not load OR-Tools).

`SetTable` ranks the sets in roc's tie-break order (fewer units, then reference order), so the best
set for any unit costs is one matrix-vector product and an argmin: exhaustive, hence proven.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from models import BarredRule, Bounds, LinearRule, MandatoryRule, Qualification, Target, Unit, UnitRef

# Bounds of a rule with no bound of its own: kept in the model so a scenario can set one.
OPEN = 1 << 40
# Models of at most this many units (a set is one int64 bitmask).
LAYERED_UNITS = 62

Rows = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # A, low, high, unit low, unit high


def domain_of(bounds: Bounds | Target | None) -> tuple[int, int]:
    """A rule's (or a target's) bounds as numbers, an open side as -OPEN or OPEN."""
    if bounds is None:
        return -OPEN, OPEN
    return (bounds.min if bounds.min is not None else -OPEN,
            bounds.max if bounds.max is not None else OPEN)


def rows_of(qual: Qualification, include: Sequence[str | UnitRef] = (), exclude: Sequence[str | UnitRef] = (),
            targets: Sequence[Target] = ()) -> tuple[list[Unit], Rows]:
    """`qual`'s rules, choices and targets as rows over its units in reference order (the units
    and their positions are those of `compile_qualification`'s model). Raises UnknownUnit for a
    unit given that `qual` does not hold."""
    units = sorted(qual.units, key=lambda u: u.ref.digits)
    index = {u.ref.digits: i for i, u in enumerate(units)}
    n = len(units)
    matrix: list[np.ndarray] = []
    bounds: list[tuple[int, int]] = []
    low = np.zeros(n, dtype=np.int64)
    high = np.ones(n, dtype=np.int64)
    for rule in qual.rules:
        if isinstance(rule, LinearRule):
            row = np.zeros(n, dtype=np.int64)
            for digits in rule.scope:
                row[index[digits]] += rule.weigh(units[index[digits]])
            matrix.append(row)
            bounds.append(domain_of(rule.bounds))
        elif isinstance(rule, MandatoryRule):
            low[index[rule.unit.ref.digits]] = 1
        elif isinstance(rule, BarredRule):  # not both
            row = np.zeros(n, dtype=np.int64)
            for unit in rule.units:
                row[index[unit.ref.digits]] += 1
            matrix.append(row)
            bounds.append((0, 1))
        else:  # a rule kind this reader does not know: no table, the solver decides
            raise TypeError(f"no rows for {type(rule).__name__}")
    for unit in qual.resolve(include, "include"):
        low[index[unit.ref.digits]] = 1
    for unit in qual.resolve(exclude, "exclude"):
        high[index[unit.ref.digits]] = 0
    for target in targets:
        matrix.append(np.array([target.measure.of(u) for u in units], dtype=np.int64))
        bounds.append(domain_of(target))
    shaped = np.array(matrix, dtype=np.int64).reshape(len(matrix), n)
    limits = np.array(bounds, dtype=np.int64).reshape(len(bounds), 2)
    return units, (shaped, limits[:, 0], limits[:, 1], low, high)


def enumerate_rows(rows: Rows, cap: int) -> np.ndarray | None:
    """Every 0/1 vector that meets `rows`, as a matrix (a row per set, a column per unit); None
    when a layer would hold more than `cap` partial sets."""
    matrix, low, high, unit_low, unit_high = rows
    n = matrix.shape[1] if matrix.ndim == 2 else len(unit_low)
    if n > LAYERED_UNITS:
        return None
    # what the units from j on can still add to each rule, at most and at least
    most = np.concatenate([np.cumsum(np.maximum(matrix, 0)[:, ::-1], axis=1)[:, ::-1],
                           np.zeros((len(low), 1), dtype=np.int64)], axis=1)
    least = np.concatenate([np.cumsum(np.minimum(matrix, 0)[:, ::-1], axis=1)[:, ::-1],
                            np.zeros((len(low), 1), dtype=np.int64)], axis=1)
    activity = np.zeros((1, len(low)), dtype=np.int64)
    masks = np.zeros(1, dtype=np.int64)
    if np.any(low > most[:, 0]) or np.any(high < least[:, 0]) or np.any(unit_low > unit_high):
        return np.zeros((0, n), dtype=np.int8)
    for j in range(n):
        options = [v for v in (0, 1) if unit_low[j] <= v <= unit_high[j]]
        if options == [1]:
            activity = activity + matrix[:, j]
            masks = masks | (1 << j)
        elif options == [0, 1]:
            activity = np.concatenate([activity, activity + matrix[:, j]])
            masks = np.concatenate([masks, masks | (1 << j)])
        keep = np.all(activity + most[:, j + 1] >= low, axis=1) & np.all(activity + least[:, j + 1] <= high, axis=1)
        activity, masks = activity[keep], masks[keep]
        if len(masks) > cap:
            return None
    return ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(np.int8)


class SetTable:
    """Every valid unit set as a 0/1 matrix, with each set's tie-break rank."""

    def __init__(self, member: np.ndarray) -> None:
        self.member = member.astype(np.int64)
        units = member.shape[1]
        # tie-break rank: fewer units, then reference order (the earliest reference first)
        weights = np.array([1 << (units - 1 - j) for j in range(units)], dtype=np.int64)
        order = np.lexsort((-(self.member @ weights), self.member.sum(axis=1)))
        self.rank = np.empty(len(member), dtype=np.int64)
        self.rank[order] = np.arange(len(member))

    def best(self, costs: Sequence[int], low: Sequence[int] = (), high: Sequence[int] = (),
             mask: np.ndarray | None = None) -> list[int] | None:
        """Positions of the best set (least total cost, then tie-break rank) among the sets that
        take every unit with low 1 and none with high 0 (and are True in `mask`), or None when no
        valid set does."""
        mask = np.ones(len(self.rank), dtype=bool) if mask is None else mask.copy()
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
