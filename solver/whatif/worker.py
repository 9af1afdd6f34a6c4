"""What a worker process does: raw scenario entries in, result records out, never an exception.

Each process (each thread of it) compiles a qualification once (a `Template`) and reuses it for every scenario naming
it; CP-SAT runs one search worker per process. Every backend sends chunks here.
"""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from catalog import builtin, describe_validation_error, without_values
from models import RocError, Scenario

from ..engine import SolveOptions
from .records import error_record
from .tasks import run_task
from .template import Template

# Per thread: qualification spec -> compiled template. A template is edited in place by each
# scenario's solve, so two threads (two web what-if jobs in one server) never share one.
_LOCAL = threading.local()


def template_for(spec: str) -> Template:
    """The compiled template of a catalogue number or qualification file (cached per thread)."""
    templates: dict[str, Template] = _LOCAL.__dict__.setdefault("templates", {})
    template = templates.get(spec)
    if template is None:
        with without_values():
            qualification = builtin().resolve(spec)
        template = templates[spec] = Template(qualification)
    return template


def solve_entry(entry: dict[str, Any], options: SolveOptions = SolveOptions()) -> dict[str, Any]:
    """One raw scenario entry to one result record (never raises for a bad scenario)."""
    scenario_id = str(entry.get("id") or "?")
    _fault_injection(scenario_id)
    if "task" in entry:  # a whole-catalogue task (compare, transfer matrix), not a scenario
        return run_task(entry, options)
    try:
        scenario = Scenario.model_validate(entry)
        return template_for(scenario.qualification).solve(scenario, options).model_dump(mode="json")
    except ValidationError as exc:
        return error_record(scenario_id, describe_validation_error(exc), entry.get("qualification"))
    except RocError as exc:
        return error_record(scenario_id, str(exc), entry.get("qualification"))
    except Exception as exc:  # a bug must not stop 100,000 scenarios: record it, loudly
        return error_record(scenario_id, f"internal error (please report): {type(exc).__name__}: {exc}",
                            entry.get("qualification"))


def solve_chunk(entries: list[dict[str, Any]], options: SolveOptions = SolveOptions()) -> list[dict[str, Any]]:
    """A chunk of entries to their records, in order."""
    return [solve_entry(entry, options) for entry in entries]


def _fault_injection(scenario_id: str) -> None:
    """Test hook: ROC_FAULT_EXIT_ON=<id> kills the worker at that scenario, as an out-of-memory kill
    (ROC_FAULT_HOW=exit, the default) or a crash in native code (segfault) would. With
    ROC_FAULT_MARKER=<file> it happens once (the file records that it did); without, every time."""
    if scenario_id != os.environ.get("ROC_FAULT_EXIT_ON"):
        return
    marker = os.environ.get("ROC_FAULT_MARKER")
    if marker:
        if Path(marker).exists():
            return
        Path(marker).touch()
    if os.environ.get("ROC_FAULT_HOW") == "segfault":
        ctypes.string_at(0)  # reads address 0: SIGSEGV
    os._exit(9)
