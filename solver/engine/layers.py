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

from collections.abc import Iterable, Sequence

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

    BATCH = 64  # scenarios a matrix product at a time in `best_many` (sets x 64 numbers each)

    def __init__(self, member: np.ndarray) -> None:
        self.member = member.astype(np.int64)
        # the sums are taken in floating point, where numpy uses BLAS: exact, since a set's total
        # is far below 2^53 (62 units of at most 99,999 hours)
        self.floats = member.astype(np.float64)
        units = member.shape[1]
        # tie-break rank: fewer units, then reference order (the earliest reference first)
        weights = np.array([1 << (units - 1 - j) for j in range(units)], dtype=np.int64)
        order = np.lexsort((-(self.member @ weights), self.member.sum(axis=1)))
        self.rank = np.empty(len(member), dtype=np.int64)
        self.rank[order] = np.arange(len(member))
        self._patterns_of: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}  # see `_patterns`

    def best(self, costs: Sequence[int], low: Sequence[int] = (), high: Sequence[int] = (),
             mask: np.ndarray | None = None) -> list[int] | None:
        """Positions of the best set (least total cost, then tie-break rank) among the sets that
        take every unit with low 1 and none with high 0 (and are True in `mask`), or None when no
        valid set does."""
        allowed = self.taking(np.flatnonzero(np.asarray(low, dtype=np.int64)),
                              np.flatnonzero(np.asarray(high, dtype=np.int64) == 0) if len(high) else ())
        if mask is not None:
            allowed &= mask
        if not allowed.any():
            return None
        totals = (self.floats @ np.array(costs, dtype=np.float64)).astype(np.int64)
        key = totals * len(self.rank) + self.rank
        return self._positions(int(np.where(allowed, key, np.iinfo(np.int64).max).argmin()))

    def taking(self, required: Iterable[int] = (), left_out: Iterable[int] = ()) -> np.ndarray:
        """Which sets take every unit at the `required` positions and none at `left_out`."""
        mask = np.ones(len(self.rank), dtype=bool)
        for position in required:
            mask &= self.member[:, position] == 1
        for position in left_out:
            mask &= self.member[:, position] == 0
        return mask

    def best_many(self, costs: np.ndarray, low: np.ndarray, high: np.ndarray,
                  base: np.ndarray | None = None) -> list[list[int] | None]:
        """`best` for many scenarios at once (a row of `costs`, `low` and `high` each). A scenario
        that touches at most two units (their costs differ from `base`, the first row's by default,
        or they are required or withdrawn: a what-if grid's usual scenario) is answered in O(1)
        from the best set of each pattern of those units (in or out), found once for every pair;
        the rest take one matrix product per BATCH scenarios."""
        costs, low, high = (np.asarray(a, dtype=np.int64) for a in (costs, low, high))
        if not len(costs) or not len(self.rank):  # no scenario, or no valid set for any
            return [None] * len(costs)
        base = costs[0] if base is None else np.asarray(base, dtype=np.int64)
        key, pairs = self._patterns(base)
        touched = (costs != base) | (low != 0) | (high != 1)
        closed, n = np.iinfo(np.int64).max, len(self.rank)
        found: list[list[int] | None] = [None] * len(costs)
        rest = []
        for k, row in enumerate(touched.tolist()):
            units = [j for j, t in enumerate(row) if t]
            if len(units) > 2:
                rest.append(k)
                continue
            i, j = (units * 2)[:2] if units else (0, 0)  # one unit touched: the pair (i, i)
            best, best_key = -1, closed
            for a in (0, 1):
                for b in (0, 1):
                    if units and (not low[k, i] <= a <= high[k, i] or not low[k, j] <= b <= high[k, j]
                                  or (i == j and a != b)):
                        continue
                    row_ = int(pairs[i, j, a, b])
                    if row_ < 0:
                        continue
                    shifted = int(key[row_]) + (int(costs[k, i] - base[i]) * a + (
                        int(costs[k, j] - base[j]) * b if j != i else 0)) * n
                    if shifted < best_key:
                        best, best_key = row_, shifted
            found[k] = None if best < 0 else self._positions(best)
        for start in range(0, len(rest), self.BATCH):
            picked = rest[start:start + self.BATCH]
            for k, answer in zip(picked, self._best_product(costs[picked], low[picked], high[picked])):
                found[k] = answer
        return found

    def _patterns(self, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each set's key for `base` costs (total, then rank), and for every pair of units (i, j)
        and pattern (a, b) the row of the best set with unit i in (a=1) or out (a=0) and unit j
        in or out, -1 when no set has that pattern. Kept for each base asked for."""
        if base.tobytes() in self._patterns_of:
            return self._patterns_of[base.tobytes()]
        n_sets, units = self.member.shape
        key = (self.floats @ base.astype(np.float64)).astype(np.int64) * n_sets + self.rank
        closed = np.iinfo(np.int64).max
        pairs = np.full((units, units, 2, 2), -1, dtype=np.int64)
        for i in range(units):
            for a in (0, 1):
                keyed = np.where(self.member[:, i] == a, key, closed)
                for b in (0, 1):
                    scores = np.where(self.member == b, keyed[:, None], closed)  # sets x units
                    rows = scores.argmin(axis=0)
                    hit = scores[rows, np.arange(units)] != closed
                    pairs[i, :, a, b] = np.where(hit, rows, -1)
        self._patterns_of[base.tobytes()] = key, pairs
        return key, pairs

    def _positions(self, row: int) -> list[int]:
        return [int(p) for p in np.flatnonzero(self.member[row])]

    def _best_product(self, costs: np.ndarray, low: np.ndarray, high: np.ndarray) -> list[list[int] | None]:
        c, lo, hi = (a.astype(np.float64) for a in (costs, low, high))
        totals = (self.floats @ c.T).astype(np.int64)  # sets x scenarios
        allowed = (self.floats @ lo.T == lo.sum(axis=1)) & (self.floats @ (1 - hi).T == 0)
        key = np.where(allowed, totals * len(self.rank) + self.rank[:, None], np.iinfo(np.int64).max)
        rows = key.argmin(axis=0)
        ok = allowed[rows, np.arange(len(rows))]
        return [self._positions(row) if good else None for row, good in zip(rows.tolist(), ok.tolist())]
