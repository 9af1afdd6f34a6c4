"""Cohorts for the benchmarks: learners across the five seed qualifications, with prior learning.

`cohort(learners, class_size, seed)`: learners spread over the five seeds in proportion
(customer-service certificates most); about a third hold one to three units already, drawn from
the units the seeds share and a few from outside them (as a learner's earlier awards would be), so
prior learning sometimes fits, sometimes does not, and sometimes counts in one qualification only.
The same arguments always give the same cohort.
"""

from __future__ import annotations

import random

from catalog import builtin
from models.cohort import Cohort

WEIGHTS = {"601/3972/9": 4, "601/4404/X": 4, "600/1684/X": 3, "600/1686/3": 2, "600/7736/0": 1}


def cohort(learners: int, class_size: int | None = 16, seed: int = 0, prior: bool = True,
           min_class_size: int | None = None) -> Cohort:
    rng = random.Random(seed)
    quals = {number: builtin().get(number) for number in WEIGHTS}
    counts: dict[str, int] = {}
    for q in quals.values():
        for unit in q.units:
            counts[str(unit.ref)] = counts.get(str(unit.ref), 0) + 1
    shared = sorted(ref for ref, n in counts.items() if n > 1)
    pool = shared + sorted(counts)[:6]
    numbers = list(WEIGHTS)
    rows = []
    for i in range(learners):
        number = rng.choices(numbers, weights=[WEIGHTS[n] for n in numbers])[0]
        achieved = sorted(rng.sample(pool, rng.randint(1, 3))) if prior and rng.random() < 0.33 else []
        rows.append({"id": f"L{i:04d}", "qualification": number, "achieved": achieved})
    return Cohort.model_validate({"class_size": class_size, "min_class_size": min_class_size, "learners": rows})
