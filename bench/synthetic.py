"""Synthetic qualifications of any size, for benchmarks: units at Entry 3 to Level 3, groups
(a few mandatory, the rest with credit and unit-count bounds), level quotas over groups, and
barred pairs. Feasible by construction: bounds leave room, and barred pairs join units of
different groups chosen so no mandatory unit is barred."""

from __future__ import annotations

import random

from models import Qualification
from models.refs import UNIT_CHECK_LETTERS, check_sum

LEVELS = ["E3", "L1", "L2", "L3"]


def unit_ref(k: int) -> str:
    digits = f"{100 + k // 10000:03d}{k % 10000:04d}"
    return f"{UNIT_CHECK_LETTERS[check_sum(digits)]}/{digits[:3]}/{digits[3:]}"


def synthetic_qualification(units: int = 2000, groups: int = 100, quotas: int = 10, barred: int = 1000,
                            mandatory_groups: int = 2, seed: int = 0) -> Qualification:
    rng = random.Random(seed)
    refs = [unit_ref(k) for k in range(units)]
    unit_rows = [{"ref": ref, "title": f"synthetic unit {k}", "level": rng.choice(LEVELS),
                  "credits": rng.randint(1, 5), "glh": rng.randint(4, 40)} for k, ref in enumerate(refs)]
    order = list(range(units))
    rng.shuffle(order)
    members = [sorted(order[g::groups]) for g in range(groups)]
    group_rows, mandatory = [], set()
    for g, positions in enumerate(members):
        row = {"id": f"G{g:03d}", "units": [refs[p] for p in positions]}
        capacity = sum(unit_rows[p]["credits"] for p in positions)
        if g < mandatory_groups:
            row["units"] = row["units"][:3]
            row["mandatory"] = True
            mandatory.update(positions[:3])
        else:
            row["credits"] = {"min": rng.randint(2, max(2, capacity // 6))}
            if rng.random() < 0.5:
                row["count"] = {"max": max(2, len(positions) // 3)}
        group_rows.append(row)
    quota_rows = [{"id": f"Q{q}", "credits": {"min": rng.randint(4, 12)}, "levels": {"min": rng.choice(["L1", "L2"])},
                   "groups": [f"G{g:03d}" for g in rng.sample(range(mandatory_groups, groups), 5)]}
                  for q in range(quotas)]
    pairs, seen = [], set()
    free = [p for p in range(units) if p not in mandatory]
    while len(pairs) < barred and len(free) > 1:
        a, b = rng.sample(free, 2)
        if (a, b) not in seen and (b, a) not in seen:
            seen.add((a, b))
            pairs.append([refs[a], refs[b]])
    total = sum(u["credits"] for u in unit_rows)
    return Qualification.model_validate({
        "number": "601/4404/X", "title": f"synthetic {units} units", "awarder": "synthetic", "level": "L2",
        "source": {"document": "bench/synthetic.py", "section": f"seed {seed}"},
        "credits": {"min": total // 8}, "units": unit_rows, "groups": group_rows,
        "level_quotas": quota_rows, "barred": pairs})
