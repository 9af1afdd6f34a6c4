"""Whole-catalogue tasks as a worker runs them: one qualification's `compare` row, or one ordered
pair's transfer-matrix cell, from a raw task entry to a record, never an exception (the runner is
`catalogue.py`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from catalog import builtin, without_values
from models import Equivalence, Qualification, RocError

from ..analysis.compare import compare
from ..analysis.plan import plan
from ..analysis.transfer import matrix_cell
from ..engine import SolveOptions
from .records import error_record


@lru_cache(maxsize=4096)
def _qualification(spec: str) -> Qualification:
    with without_values():
        return builtin().resolve(spec)


@lru_cache(maxsize=4096)
def _minimum(spec: str, options: SolveOptions) -> tuple[tuple[str, ...], int | None]:
    found = plan(_qualification(spec), "minimise glh", options=options, explain=False)
    return tuple(found.units), found.glh


def run_task(entry: dict[str, Any], options: SolveOptions) -> dict[str, Any]:
    """One task entry to its record (a worker calls this for entries with a "task")."""
    task = entry.get("task")
    try:
        if task == "compare":
            row = compare([_qualification(entry["qualification"])], options, count_limit=entry.get("count_limit"))[0]
            return {"id": entry["id"], "task": task, "status": "done", "row": row.model_dump(mode="json")}
        if task == "transfer":
            source, target = entry["source"], entry["target"]
            equivalences = [Equivalence.model_validate(e) for e in entry.get("equivalences", [])]
            minimum, _ = _minimum(source, options)
            _, target_glh = _minimum(target, options)
            cell = matrix_cell(_qualification(source), _qualification(target), list(minimum), target_glh,
                               equivalences, options)
            return {"id": entry["id"], "task": task, "status": "done", "row": cell.model_dump(mode="json")}
        return error_record(str(entry.get("id", "?")), f"unknown task {task!r}")
    except RocError as exc:
        return error_record(str(entry.get("id", "?")), str(exc))
    except Exception as exc:  # a bug must not take the other tasks down: recorded, and the run fails
        return error_record(str(entry.get("id", "?")), f"internal error (please report): {type(exc).__name__}: {exc}")
