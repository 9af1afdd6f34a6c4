"""Instance families for the cost curve: structurally different random qualifications, so that
roc's settings are measured on more than one generator (`bench/synthetic.py` is one family here).

Each family is feasible by construction: a random witness set is drawn first, and every bound is
set from the witness's own figures, with slack that differs by family (none at all in
`near-infeasible`, where every bound is the witness's exact figure). Barred pairs never join two
witness units. GLH is correlated with credits (each unit's GLH is its credits times 5 to 9 plus up
to 5), as in real specifications, which makes the objective harder than independent figures.

    python -m bench.families              # one line per family at 1,000 units: groups, pairs, rules
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from models import Qualification

from .synthetic import LEVELS, synthetic_qualification, unit_ref


@dataclass(frozen=True)
class Shape:
    units_per_group: int  # group size (about)
    mandatory: float  # share of units that are mandatory (in mandatory groups)
    count_capped: float  # share of optional groups with a unit-count maximum (and minimum)
    barred_per_unit: float  # barred pairs per unit
    quotas: int  # level quotas
    quota_share: float  # share of the witness's credits at the quota's levels a quota asks for
    slack: float  # how far under the witness's figure a credit minimum is set (0: exactly it)
    witness: float  # share of optional units in the witness set


FAMILIES: dict[str, Shape] = {
    # the generator issue 24 measured: a group per 20 units, 30% count-capped, n/4 barred pairs, 5 quotas
    "groups-of-20": Shape(units_per_group=20, mandatory=0.0, count_capped=0.3, barred_per_unit=0.25,
                          quotas=5, quota_share=0.6, slack=0.4, witness=0.12),
    "many-small-groups": Shape(units_per_group=6, mandatory=0.0, count_capped=0.3, barred_per_unit=0.25,
                               quotas=5, quota_share=0.6, slack=0.5, witness=0.15),
    "few-large-groups": Shape(units_per_group=0, mandatory=0.0, count_capped=0.3, barred_per_unit=0.25,
                              quotas=3, quota_share=0.6, slack=0.3, witness=0.1),
    "dense-barred": Shape(units_per_group=20, mandatory=0.0, count_capped=0.3, barred_per_unit=3.0,
                          quotas=5, quota_share=0.6, slack=0.4, witness=0.1),
    "count-capped": Shape(units_per_group=20, mandatory=0.0, count_capped=1.0, barred_per_unit=0.25,
                          quotas=5, quota_share=0.6, slack=0.3, witness=0.15),
    "tight-quotas": Shape(units_per_group=20, mandatory=0.0, count_capped=0.3, barred_per_unit=0.25,
                          quotas=40, quota_share=0.95, slack=0.4, witness=0.12),
    "near-infeasible": Shape(units_per_group=20, mandatory=0.0, count_capped=0.3, barred_per_unit=0.25,
                             quotas=5, quota_share=1.0, slack=0.0, witness=0.12),
    "long-mandatory": Shape(units_per_group=20, mandatory=0.1, count_capped=0.3, barred_per_unit=0.25,
                            quotas=5, quota_share=0.6, slack=0.4, witness=0.1),
}
NAMES = ["synthetic", *FAMILIES]


def family_qualification(family: str, units: int, seed: int = 0) -> Qualification:
    """A qualification of `units` units from `family` (a FAMILIES name, or "synthetic" for
    bench/synthetic.py scaled as bench/curve.py always has)."""
    if family == "synthetic":
        return synthetic_qualification(units=units, groups=max(8, units // 20), quotas=10 if units >= 250 else 3,
                                       barred=units // 2, seed=seed)
    shape = FAMILIES[family]
    rng = random.Random(f"{family}/{units}/{seed}")
    refs = [unit_ref(k) for k in range(units)]
    credits = [rng.randint(1, 10) for _ in range(units)]
    rows = [{"ref": ref, "title": f"{family} unit {k}", "level": rng.choice(LEVELS), "credits": credits[k],
             "glh": credits[k] * rng.randint(5, 9) + rng.randint(0, 5)} for k, ref in enumerate(refs)]
    order = list(range(units))
    rng.shuffle(order)
    n_mandatory = int(units * shape.mandatory)
    mandatory, optional = order[:n_mandatory], order[n_mandatory:]
    chosen = set(mandatory) | set(rng.sample(optional, max(1, int(len(optional) * shape.witness))))

    n_groups = 4 if shape.units_per_group == 0 else max(4, len(optional) // shape.units_per_group)
    members = [sorted(optional[g::n_groups]) for g in range(n_groups)]
    groups = []
    if mandatory:
        for start in range(0, len(mandatory), 50):  # mandatory units in groups of up to 50, as long lists print
            groups.append({"id": f"M{start // 50:03d}", "mandatory": True,
                           "units": [refs[p] for p in sorted(mandatory[start:start + 50])]})
    for g, positions in enumerate(members):
        if not positions:
            continue
        inside = [p for p in positions if p in chosen]
        have = sum(credits[p] for p in inside)
        row: dict = {"id": f"G{g:04d}", "units": [refs[p] for p in positions],
                     "credits": {"min": int(have * (1 - shape.slack))}}
        if rng.random() < shape.count_capped:
            row["count"] = {"min": max(0, len(inside) - 1 - int(len(inside) * shape.slack)),
                            "max": len(inside) + int(len(inside) * shape.slack)}
        groups.append(row)

    optional_groups = [g for g in groups if not g.get("mandatory")]
    level_of = {ref: row["level"] for ref, row in zip(refs, rows)}
    quotas = []
    for q in range(shape.quotas):
        picked = rng.sample(optional_groups, min(len(optional_groups), max(2, len(optional_groups) // 5)))
        floor = rng.choice(["L1", "L2", "L3"])
        at = LEVELS.index(floor)
        inside = {ref for g in picked for ref in g["units"]}
        have = sum(credits[p] for p in chosen if refs[p] in inside and LEVELS.index(level_of[refs[p]]) >= at)
        quotas.append({"id": f"Q{q:02d}", "credits": {"min": int(have * shape.quota_share)},
                       "levels": {"min": floor}, "groups": [g["id"] for g in picked]})

    pairs, seen = [], set()
    free = [p for p in range(units) if p not in mandatory]
    wanted = int(units * shape.barred_per_unit)
    while len(pairs) < wanted:
        a, b = rng.sample(free, 2)
        if (a in chosen and b in chosen) or (min(a, b), max(a, b)) in seen:
            continue
        seen.add((min(a, b), max(a, b)))
        pairs.append([refs[a], refs[b]])

    total = sum(credits[p] for p in chosen)
    return Qualification.model_validate({
        "number": "601/4404/X", "title": f"{family} {units} units", "awarder": "bench", "level": "L2",
        "source": {"document": "bench/families.py", "section": f"{family}, seed {seed}"},
        "credits": {"min": int(total * (1 - shape.slack / 2))}, "units": rows, "groups": groups,
        "level_quotas": quotas, "barred": pairs})


if __name__ == "__main__":
    for name in NAMES:
        q = family_qualification(name, 1000)
        print(f"{name:20} units {len(q.units)}, groups {len(q.groups)}, quotas {len(q.level_quotas)}, "
              f"barred {len(q.barred)}, rules {len(q.rules)}")
