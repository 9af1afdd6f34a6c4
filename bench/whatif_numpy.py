"""The peer for batch what-if: a plain numpy script that builds each qualification's valid-set
table once and scores every scenario against it, one scenario at a time, as an analyst would write
it. It reads the same scenario file as `roc whatif run` and writes one JSON line per scenario.

    python -m bench.whatif_numpy grid.jsonl numpy-results.jsonl            # one scenario at a time
    python -m bench.whatif_numpy grid.jsonl numpy-results.jsonl --batched  # 512 at a time (its best)

Only scenarios that change unit GLH or withdraw units (what the README grid holds) are scored;
any other kind of scenario is refused. The table is listed with roc's layered enumeration (the
start is the same for both), and sets are ranked as roc breaks ties (fewer units, then reference
order), so the answers can be compared with roc's line for line (bench/test_bench.py does).
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from catalog import builtin
from solver.engine.layers import enumerate_rows, rows_of


def table_of(spec: str) -> tuple[list, np.ndarray, np.ndarray]:
    qual = builtin().resolve(spec)
    units, rows = rows_of(qual)
    member = enumerate_rows(rows, 500_000).astype(np.int64)
    weights = np.array([1 << (len(units) - 1 - j) for j in range(len(units))], dtype=np.int64)
    order = np.lexsort((-(member @ weights), member.sum(axis=1)))
    rank = np.empty(len(member), dtype=np.int64)
    rank[order] = np.arange(len(member))
    return units, member, rank


def main(source: str, target: str) -> float:
    started = time.perf_counter()
    tables: dict[str, tuple] = {}
    with open(source) as lines, open(target, "w") as out:
        for line in lines:
            s = json.loads(line)
            if set(s) - {"id", "qualification", "objective", "units", "withdraw"}:
                raise SystemExit(f"{s['id']}: only GLH changes and withdrawals are scored")
            if s["qualification"] not in tables:
                tables[s["qualification"]] = table_of(s["qualification"])
            units, member, rank = tables[s["qualification"]]
            digits = [u.ref.digits for u in units]
            sign = -1 if s.get("objective", "minimise glh").startswith("max") else 1
            glh = np.array([u.glh for u in units], dtype=np.int64)
            for ref, change in s.get("units", {}).items():
                glh[digits.index(ref.replace("/", "")[1:])] = change["glh"]
            mask = np.ones(len(member), dtype=bool)
            for ref in s.get("withdraw", []):
                mask &= member[:, digits.index(ref.replace("/", "")[1:])] == 0
            if not mask.any():
                out.write(json.dumps({"id": s["id"], "status": "infeasible"}) + "\n")
                continue
            key = np.where(mask, (member @ (sign * glh)) * len(rank) + rank, np.iinfo(np.int64).max)
            row = int(key.argmin())
            chosen = np.flatnonzero(member[row])
            out.write(json.dumps({"id": s["id"], "status": "optimal", "glh": int(glh[chosen].sum()),
                                  "units": [str(units[p].ref) for p in chosen]}) + "\n")
    return time.perf_counter() - started


def batched(source: str, target: str, batch: int = 512) -> float:
    """The same answers, scored 512 scenarios of one qualification and goal at a time with one
    matrix product (floating point: BLAS; exact, as totals are far below 2^53)."""
    started = time.perf_counter()
    tables: dict[str, tuple] = {}
    groups: dict[tuple[str, str], list[dict]] = {}
    with open(source) as lines:
        for line in lines:
            s = json.loads(line)
            if set(s) - {"id", "qualification", "objective", "units", "withdraw"}:
                raise SystemExit(f"{s['id']}: only GLH changes and withdrawals are scored")
            groups.setdefault((s["qualification"], s.get("objective", "minimise glh")), []).append(s)
    with open(target, "w") as out:
        for (spec, goal), scenarios in groups.items():
            if spec not in tables:
                units, member, rank = table_of(spec)
                tables[spec] = units, member, member.astype(np.float64), rank
            units, member, floats, rank = tables[spec]
            where = {u.ref.digits: j for j, u in enumerate(units)}
            sign = -1 if goal.startswith("max") else 1
            for start in range(0, len(scenarios), batch):
                part = scenarios[start:start + batch]
                glh = np.tile(np.array([u.glh for u in units], dtype=np.float64), (len(part), 1))
                gone = np.zeros_like(glh)
                for k, s in enumerate(part):
                    for ref, change in s.get("units", {}).items():
                        glh[k, where[ref.replace("/", "")[1:]]] = change["glh"]
                    for ref in s.get("withdraw", []):
                        gone[k, where[ref.replace("/", "")[1:]]] = 1
                totals = (floats @ (sign * glh).T).astype(np.int64)
                allowed = floats @ gone.T == 0
                key = np.where(allowed, totals * len(rank) + rank[:, None], np.iinfo(np.int64).max)
                rows = key.argmin(axis=0)
                for k, (s, row) in enumerate(zip(part, rows.tolist())):
                    if not allowed[row, k]:
                        out.write(json.dumps({"id": s["id"], "status": "infeasible"}) + "\n")
                        continue
                    chosen = np.flatnonzero(member[row])
                    out.write(json.dumps({"id": s["id"], "status": "optimal", "glh": int(glh[k, chosen].sum()),
                                          "units": [str(units[p].ref) for p in chosen]}) + "\n")
    return time.perf_counter() - started


if __name__ == "__main__":
    seconds = (batched if "--batched" in sys.argv else main)(sys.argv[1], sys.argv[2])
    print(f"{sum(1 for _ in open(sys.argv[2]))} scenarios in {seconds:.1f} s")
