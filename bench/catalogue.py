"""A synthetic catalogue of seed-sized qualifications, for whole-catalogue benchmarks.

    python -m bench.catalogue DIR [--count 1000] [--seed 0]

writes one qualification file per qualification into DIR, each shaped like the seeds: 12 to 20
units at Entry 3 to Level 3, two mandatory units, an optional group with a credit minimum and
sometimes a unit-count maximum, a level quota, and a few barred pairs. The units are drawn from a
shared pool of 600 (120 per subject area), so qualifications of one area share references
and credit transfer has something to carry.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

from models.refs import check_sum

from .synthetic import LEVELS, unit_ref

AREAS = ["customer service", "business administration", "health and social care", "retail", "hospitality"]

# Unit titles in each area's own words, as specifications print them: the words that say what a
# unit is about differ between areas, the words that say what kind of unit it is do not.
TITLES = {
    "customer service": ["Deal with customer complaints", "Handle customer queries by telephone",
                         "Give customers a positive impression", "Record customer service problems",
                         "Understand the customer service environment", "Resolve customer problems",
                         "Communicate with customers in writing", "Principles of customer care"],
    "business administration": ["Produce business documents", "Manage diary systems",
                                "Store and retrieve information using a filing system",
                                "Use a spreadsheet for business records", "Organise business meetings",
                                "Principles of working in a business environment",
                                "Process incoming and outgoing mail", "Understand data protection in the office"],
    "health and social care": ["Support individuals to eat and drink", "Promote person-centred care",
                               "Safeguarding adults at risk", "Support individuals with personal hygiene",
                               "Understand dementia care", "Infection prevention and control in care settings",
                               "Administer medication to individuals", "Duty of care in health and social care"],
    "retail": ["Display stock to promote sales", "Operate a till", "Receive and store stock deliveries",
               "Price and label retail products", "Prevent theft in a store", "Merchandise a product range",
               "Process refunds and exchanges at the point of sale", "Understand visual merchandising"],
    "hospitality": ["Prepare and cook fish dishes", "Serve food at the table", "Prepare hot and cold drinks",
                    "Clean kitchen areas and equipment", "Maintain food safety when storing food",
                    "Prepare vegetables for basic dishes", "Make up beds in guest rooms",
                    "Understand allergens in food service"],
}


def unit_title(k: int) -> str:
    """The title of pool unit `k`: one of its area's titles. Several units share each title, as
    different awarders' versions of one unit do, under different references."""
    titles = TITLES[AREAS[k % len(AREAS)]]
    return titles[(k // len(AREAS)) % len(titles)]


def qual_number(k: int) -> str:
    digits = f"{700 + k // 10000:03d}{k % 10000:04d}"
    s = check_sum(digits)
    return f"{digits[:3]}/{digits[3:]}/{'X' if s == 10 else s}"


def catalogue_entries(count: int = 1000, seed: int = 0, pool: int = 600) -> list[dict]:
    """`count` qualifications as raw data (what a qualification file holds)."""
    rng = random.Random(seed)
    units = [{"ref": unit_ref(k), "title": unit_title(k), "level": rng.choice(LEVELS),
              "credits": rng.randint(1, 4), "glh": rng.randint(6, 30)} for k in range(pool)]
    found = []
    for q in range(count):
        area = q % len(AREAS)
        chosen = rng.sample(units[area::len(AREAS)], rng.randint(12, 20))
        chosen.sort(key=lambda u: u["ref"])
        refs = [u["ref"] for u in chosen]
        mandatory, optional = refs[:2], refs[2:]
        capacity = sum(u["credits"] for u in chosen[2:])
        group = {"id": "B", "title": "Optional units", "units": optional,
                 "credits": {"min": rng.randint(capacity * 45 // 100, capacity * 60 // 100)}}
        if rng.random() < 0.6:
            group["count"] = {"max": max(4, len(optional) // 2)}
        pairs = []
        for _ in range(rng.randint(0, 3)):
            a, b = rng.sample(optional, 2)
            if [a, b] not in pairs and [b, a] not in pairs:
                pairs.append([a, b])
        found.append({
            "number": qual_number(q), "title": f"Synthetic {AREAS[area]} certificate {q}", "awarder": f"Awarder {q % 7}",
            "level": "L1", "source": {"document": "bench/catalogue.py", "section": f"seed {seed}"},
            "credits": {"min": sum(u["credits"] for u in chosen[:2]) + group["credits"]["min"]},
            "units": chosen, "groups": [{"id": "A", "title": "Mandatory units", "mandatory": True, "units": mandatory},
                                        group],
            "level_quotas": [{"id": "B at Level 1", "credits": {"min": 2}, "levels": {"min": "L1"}, "groups": ["B"]}],
            "barred": pairs})
    return found


def write_catalogue(folder: Path, count: int = 1000, seed: int = 0) -> list[Path]:
    """The catalogue as files in `folder` (made if missing); their paths, in catalogue order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for entry in catalogue_entries(count, seed):
        path = folder / f"synthetic-{entry['number'].replace('/', '-')}.yaml"
        path.write_text(yaml.safe_dump(entry, sort_keys=False))
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.catalogue", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"wrote {len(write_catalogue(args.folder, args.count, args.seed))} qualifications to {args.folder}")
