"""Grids of what-if scenarios for each qualification and objective: the baseline; each unit
withdrawn (opt-in); every unit's GLH revised by each percentage at once (or, with `each_unit`,
one unit at a time); and with `cross`, every withdrawal combined with every revision.

Revised GLH are rounded half up to whole hours (12.5 -> 13, 10.5 -> 11) and never below 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import product
from pathlib import Path

from models import InputError, Qualification


def parse_percent_range(text: str) -> list[int]:
    """'-20:20:5' -> [-20, -15, ..., 20]; '-10' -> [-10]."""
    try:
        parts = [int(p) for p in text.split(":")]
        if len(parts) == 1:
            return _at_least_minus_100(parts, text)
        if len(parts) not in (2, 3):
            raise ValueError
        start, stop, step = (parts + [1])[:3]
        if step <= 0 or stop < start:
            raise ValueError
    except (ValueError, TypeError):
        raise InputError(f"{text!r}: expected a percentage (-10), or FROM:TO or FROM:TO:STEP (-20:20:5)",
                         field="glh_percent") from None
    return _at_least_minus_100(list(range(start, stop + 1, step)), text)


MAX_PERCENTS = 500  # GLH revisions in one grid: -100:400:1 is already 501 grids' worth


def _at_least_minus_100(percents: list[int], text: str) -> list[int]:
    if min(percents) < -100:
        raise InputError(f"{text!r}: a cut of more than 100% would make GLH negative; the largest cut is -100",
                         field="glh_percent")
    if len(percents) > MAX_PERCENTS:
        raise InputError(f"{text!r} is {len(percents):,} revisions; at most {MAX_PERCENTS} in one grid (use a "
                         "larger step)", field="glh_percent")
    return percents


def revised(glh: int, percent: int) -> int:
    """`glh` changed by `percent`, rounded half up to whole hours, never below 0 (exact integers)."""
    return max(0, (glh * (100 + percent) + 50) // 100)


def _revisions(units, percents: Sequence[int], each_unit: bool) -> list[tuple[str, dict]]:
    """(name, units change) for each revision: all units at once, or one unit at a time."""
    percents = [p for p in percents if p != 0]
    if each_unit:
        return [(f"{u.ref} glh {p:+d}%", {str(u.ref): {"glh": revised(u.glh, p)}}) for u in units for p in percents]
    return [(f"every unit glh {p:+d}%", {str(u.ref): {"glh": revised(u.glh, p)} for u in units}) for p in percents]


def expand(quals: Sequence[Qualification], objectives: Sequence[str] = ("minimise glh",),
           withdraw_each: bool = False, glh_percents: Sequence[int] = (), cross: bool = False,
           each_unit: bool = False, specs: Sequence[str] | None = None) -> Iterator[dict]:
    """Scenario entries; `specs[i]` is what names `quals[i]` in each scenario (a file's path, so that
    `whatif run` finds it), the qualification number by default. Ids are unique whatever the
    inputs: two qualifications with one number (a catalogue entry and a copy of it) are told apart
    by their files' names."""
    numbers = Counter(str(q.number) for q in quals)
    seen: Counter[str] = Counter()
    labels = []
    for k, qual in enumerate(quals):
        label = str(qual.number)
        if numbers[label] > 1:
            seen[label] += 1
            source = Path(specs[k]).name if specs and specs[k] != label else "catalogue"
            label = f"{label} ({source}, {seen[label]})"
        labels.append(label)
    for position, (qual, objective) in enumerate(product(quals, objectives)):
        spec = specs[position // len(objectives)] if specs else str(qual.number)
        label = labels[position // len(objectives)]
        units = sorted(qual.units, key=lambda u: u.ref.digits)
        withdrawals = [None] + (units if withdraw_each else [])
        revisions = [None] + _revisions(units, glh_percents, each_unit)
        if cross:
            combos = [(w, r) for w, r in product(withdrawals, revisions)
                      if not (w and r and each_unit and str(w.ref) in r[1])]
        else:
            combos = [(None, None)] + [(w, None) for w in withdrawals[1:]] + [(None, r) for r in revisions[1:]]
        for withdrawn, revision in combos:
            name = [label, objective]
            entry: dict = {"qualification": spec, "objective": objective}
            if withdrawn is not None:
                name.append(f"withdraw {withdrawn.ref}")
                entry["withdraw"] = [str(withdrawn.ref)]
            if revision is not None:
                name.append(revision[0])
                entry["units"] = {ref: change for ref, change in revision[1].items()
                                  if withdrawn is None or ref != str(withdrawn.ref)}
            if len(name) == 2:
                name.append("baseline")
            yield {"id": " | ".join(name), **entry}
