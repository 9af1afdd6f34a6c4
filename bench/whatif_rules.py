"""Rule-changing what-if scenarios, and the HiGHS-in-a-loop baseline they are measured against.

The scenarios change what CP-SAT must be asked again (roc's valid-set table cannot answer them):
each unit's credits one up and one down, and each linear rule's bounds moved by one, for the five
seeds and both GLH objectives. The baseline is what a competitor without roc would write: for each
scenario, the changed qualification as a MILP (`bench/milp.py`) solved by `scipy.optimize.milp`
(HiGHS), in one process. The changed qualifications are made before the clock starts, so the
baseline is timed on building its matrices and solving only.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import milp

from catalog import builtin
from models import LinearRule, Scenario
from solver.whatif.reference import apply_scenario

from .milp import build


def rule_scenarios(repeat: int = 1) -> list[dict]:
    """Scenario entries (as `roc whatif run` reads them), `repeat` times over with distinct ids."""
    entries = []
    for qual in builtin():
        for objective in ("minimise glh", "maximise glh"):
            changes: list[tuple[str, dict]] = []
            for unit in qual.units:
                for step in (1, -1):
                    if unit.credits + step >= 0:
                        changes.append((f"{unit.ref} credits {unit.credits + step}",
                                        {"units": {str(unit.ref): {"credits": unit.credits + step}}}))
            for rule in qual.rules:
                if isinstance(rule, LinearRule) and rule.bounds is not None and rule.bounds.min is not None:
                    for step in (1, -1):
                        top = rule.bounds.max
                        if rule.bounds.min + step >= 0 and (top is None or rule.bounds.min + step <= top):
                            changes.append((f"{rule.key} min {rule.bounds.min + step}",
                                            {"rules": [{"rule": rule.key, "min": rule.bounds.min + step}]}))
            for name, change in changes:
                entries.append({"id": f"{qual.number} | {objective} | {name}", "qualification": str(qual.number),
                                "objective": objective, **change})
    return [{**e, "id": f"{e['id']} | {k}"} for k in range(repeat) for e in entries]


def prepared(entries: list[dict]) -> list[tuple[object, float]]:
    """Each scenario's changed qualification and its objective's sign, ready for the loop."""
    catalogue = builtin()
    found = []
    for entry in entries:
        scenario = Scenario.model_validate(entry)
        qual, include, exclude = apply_scenario(catalogue.get(entry["qualification"]), scenario)
        assert not include and not exclude
        found.append((qual, 1.0 if entry["objective"].startswith("minimise") else -1.0))
    return found


def highs_loop(changed: list[tuple[object, float]]) -> tuple[float, int]:
    """Seconds for the loop, and how many scenarios had a proven optimum."""
    started = time.perf_counter()
    solved = 0
    for qual, sign in changed:
        model = build(qual)
        result = milp(sign * model.glh, constraints=model.constraint, integrality=np.ones(len(model.refs)),
                      bounds=model.bounds)
        solved += result.status == 0
    return time.perf_counter() - started, solved
