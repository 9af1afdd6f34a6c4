"""A what-if run's results summarised: for each qualification and goal, the baseline against every
scenario (the change in the objective), and how many were infeasible or could not be run.

The baseline of a qualification and goal is the scenario whose id ends with `baseline`, as
`roc whatif expand` names it; without one, changes are left blank and a note says so.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from models import InputError

from .results_file import NOT_RESULTS, scan


class ScenarioDelta(BaseModel):
    id: str
    qualification: str | None
    goal: str | None
    status: str
    objective: int | None
    change: int | None  # objective minus the baseline's


class GoalSummary(BaseModel):
    qualification: str | None
    goal: str | None
    scenarios: int
    optimal: int
    feasible: int
    infeasible: int
    unknown: int
    error: int
    baseline: int | None
    lowest: int | None
    highest: int | None
    largest_cut: int | None  # the most the objective falls below the baseline (negative change)
    largest_rise: int | None
    # the scenario behind each extreme (the first in the file), and how many others reach it too
    lowest_scenario: str | None = None
    highest_scenario: str | None = None
    largest_cut_scenario: str | None = None
    largest_rise_scenario: str | None = None


class WhatIfSummary(BaseModel):
    results: str
    goals: list[GoalSummary]
    scenarios: list[ScenarioDelta]
    notes: list[str] = []


def read_records(path: Path) -> tuple[list[dict], list[str]]:
    """Every result record of a results file, and notes on lines that are not records."""
    records: list[dict] = []
    notes: list[str] = []
    for number, line, _, _, record in scan(path):
        if record is not None:
            records.append(record)
        elif line.strip():
            if not records and not notes:  # a file that is only a cut-off line
                raise InputError(NOT_RESULTS.format(why=f"line {number} is not a result record"), file=str(path))
            notes.append(f"{path}:{number}: not a result record; left out")
    return records, notes


def _is_baseline(record: dict, marker: str) -> bool:
    return record["id"].strip().lower().endswith(marker.lower()) and record.get("status") in ("optimal", "feasible")


def _behind(members: list[dict], value: int | None) -> str | None:
    """The first scenario whose objective is `value`, and how many more reach it."""
    if value is None:
        return None
    ids = [r["id"] for r in members if r.get("objective") == value]
    return ids[0] + (f" (and {len(ids) - 1} more)" if len(ids) > 1 else "")


def summarise(path: Path | str, baseline: str = "baseline") -> WhatIfSummary:
    path = Path(path)
    records, notes = read_records(path)
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for record in records:
        groups[(record.get("qualification"), record.get("goal"))].append(record)
    goals, deltas = [], []
    for (qualification, goal), members in groups.items():
        base = next((r.get("objective") for r in members if _is_baseline(r, baseline)), None)
        if base is None and goal is not None:
            notes.append(f"{qualification} {goal}: no baseline scenario (an id ending '{baseline}'); changes left blank")
        counts = {s: sum(r["status"] == s for r in members) for s in ("optimal", "feasible", "infeasible", "unknown",
                                                                       "error")}
        values = [r["objective"] for r in members if isinstance(r.get("objective"), int)]
        changes = [v - base for v in values] if base is not None else []
        lowest, highest = min(values, default=None), max(values, default=None)
        cut = min([c for c in changes if c < 0], default=None)
        rise = max([c for c in changes if c > 0], default=None)
        goals.append(GoalSummary(qualification=qualification, goal=goal, scenarios=len(members), **counts,
                                 baseline=base, lowest=lowest, highest=highest, largest_cut=cut, largest_rise=rise,
                                 lowest_scenario=_behind(members, lowest),
                                 highest_scenario=_behind(members, highest),
                                 largest_cut_scenario=_behind(members, None if cut is None or base is None
                                                              else base + cut),
                                 largest_rise_scenario=_behind(members, None if rise is None or base is None
                                                               else base + rise)))
        deltas += [ScenarioDelta(id=r["id"], qualification=qualification, goal=goal, status=r["status"],
                                 objective=r.get("objective"),
                                 change=r["objective"] - base if base is not None and isinstance(r.get("objective"), int)
                                 else None) for r in members]
    return WhatIfSummary(results=str(path), goals=goals, scenarios=deltas, notes=notes)


__all__ = ["GoalSummary", "ScenarioDelta", "WhatIfSummary", "read_records", "summarise"]
