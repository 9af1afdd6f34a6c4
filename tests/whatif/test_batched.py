"""A chunk's table scenarios answered together (one table pass for the scenarios that touch at most
two units, a matrix product for the rest) give exactly the records each scenario gets alone."""

from __future__ import annotations

import random

import pytest

from catalog import builtin
from solver.whatif.worker import solve_chunk, solve_entry


def _scenarios(qual, rng: random.Random, count: int) -> list[dict]:
    refs = [str(u.ref) for u in qual.units]
    found = []
    for k in range(count):
        entry: dict = {"id": f"s{k}", "qualification": str(qual.number),
                       "objective": rng.choice(["minimise glh", "maximise glh", "minimise tqt"])}
        touched = rng.sample(refs, rng.choice([0, 1, 1, 2, 2, 3, 4]))
        for ref in touched:
            what = rng.choice(["glh", "glh", "withdraw", "include", "achieved"])
            if what == "glh":
                entry.setdefault("units", {})[ref] = {"glh": rng.randint(0, 60)}
            elif what == "withdraw":
                entry.setdefault("withdraw", []).append(ref)
            else:
                entry.setdefault(what, []).append(ref)
        found.append(entry)
    return found


@pytest.mark.parametrize("number", ["601/3972/9", "600/1686/3", "600/1684/X", "601/4404/X"])
def test_a_chunk_answers_as_each_scenario_alone(number):
    qual = builtin().resolve(number)
    entries = _scenarios(qual, random.Random(number), 300)
    together = solve_chunk(entries)
    alone = [solve_entry(entry) for entry in entries]
    strip = [{k: v for k, v in r.items() if k != "solve_ms"} for r in together]
    assert strip == [{k: v for k, v in r.items() if k != "solve_ms"} for r in alone]
    statuses = {r["status"] for r in together}
    assert "optimal" in statuses and "infeasible" in statuses  # both kinds were asked
