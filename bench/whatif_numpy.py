"""The peer for batch what-if: a plain numpy script that builds each qualification's valid-set
table once and scores every scenario against it, one scenario at a time, as an analyst would write
it. It reads the same scenario file as `roc whatif run` and writes one JSON line per scenario.

    python -m bench.whatif_numpy grid.jsonl numpy-results.jsonl

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


if __name__ == "__main__":
    seconds = main(sys.argv[1], sys.argv[2])
    print(f"{sum(1 for _ in open(sys.argv[2]))} scenarios in {seconds:.1f} s")
