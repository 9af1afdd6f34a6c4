"""Grids of what-if scenarios: every single-unit withdrawal, every unit's GLH revised by a range of
percentages, and (with `cross`) every combination of the two, for each objective."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import product

from models import InputError, Qualification


def parse_percent_range(text: str) -> list[int]:
    """'-20:20:5' -> [-20, -15, ..., 20]."""
    try:
        parts = [int(p) for p in text.split(":")]
        start, stop, step = (parts + [1])[:3] if len(parts) in (2, 3) else (None, None, None)
        if start is None or step <= 0 or stop < start:
            raise ValueError
    except (ValueError, TypeError):
        raise InputError(f"--glh-percent {text!r}: expected FROM:TO or FROM:TO:STEP, e.g. -20:20:5") from None
    return list(range(start, stop + 1, step))


def revised(glh: int, percent: int) -> int:
    return max(0, round(glh * (100 + percent) / 100))


def expand(quals: Sequence[Qualification], objectives: Sequence[str] = ("minimise glh",),
           withdraw_each: bool = True, glh_percents: Sequence[int] = (), cross: bool = False) -> Iterator[dict]:
    for qual, objective in product(quals, objectives):
        number = str(qual.number)
        units = sorted(qual.units, key=lambda u: u.ref.digits)
        base = {"qualification": number, "objective": objective}
        withdrawals = [None] + ([u for u in units] if withdraw_each else [])
        revisions = [None] + [(u, p) for u in units for p in glh_percents if p != 0]
        if cross:
            combos = [(w, r) for w, r in product(withdrawals, revisions) if not (w and r and w is r[0])]
        else:
            combos = [(None, None)] + [(w, None) for w in withdrawals[1:]] + [(None, r) for r in revisions[1:]]
        for withdrawn, revision in combos:
            name = [number, objective]
            entry = dict(base)
            if withdrawn is not None:
                name.append(f"withdraw {withdrawn.ref}")
                entry["withdraw"] = [str(withdrawn.ref)]
            if revision is not None:
                unit, percent = revision
                name.append(f"{unit.ref} glh {percent:+d}%")
                entry["units"] = {str(unit.ref): {"glh": revised(unit.glh, percent)}}
            if len(name) == 2:
                name.append("baseline")
            yield {"id": " | ".join(name), **entry}
