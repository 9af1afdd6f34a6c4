"""What a worker process does: raw scenario entries in, result records out, never an exception.

Each process (each thread of it) compiles a qualification once (a `Template`) and reuses it for every scenario naming
it; CP-SAT runs one search worker per process. Every backend sends chunks here.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from catalog import builtin, describe_validation_error, without_values
from models import RocError, Scenario

from ..engine import SolveOptions
from .records import error_record
from .tasks import run_task
from .template import Prepared, Template

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


class _Deferred(NamedTuple):
    """A scenario the valid-set table answers, waiting for the others of its qualification and goal."""

    at: int  # its place in the chunk
    template: Template
    scenario: Scenario
    prepared: Prepared
    seconds: float  # spent on it so far


def solve_entry(entry: dict[str, Any], options: SolveOptions = SolveOptions(),
                defer: list[_Deferred] | None = None, at: int = 0) -> dict[str, Any] | None:
    """One raw scenario entry to one result record (never raises for a bad scenario). With
    `defer`, a scenario the valid-set table answers is put there instead (None is returned)."""
    scenario_id = str(entry.get("id") or "?")
    _fault_injection(scenario_id)
    if "task" in entry:  # a whole-catalogue task (compare, transfer matrix), not a scenario
        return run_task(entry, options)
    try:
        started = time.perf_counter()
        scenario = Scenario.model_validate(entry)
        template = template_for(scenario.qualification)
        prepared = template.prepare(scenario)
        if defer is not None and template.tabled(prepared, options):
            defer.append(_Deferred(at, template, scenario, prepared, time.perf_counter() - started))
            return None
        status, chosen = template.answer(prepared, options)
        return template.result(scenario, prepared, status, chosen, time.perf_counter() - started).model_dump(mode="json")
    except ValidationError as exc:
        return error_record(scenario_id, describe_validation_error(exc), entry.get("qualification"))
    except RocError as exc:
        return error_record(scenario_id, str(exc), entry.get("qualification"))
    except Exception as exc:  # a bug must not stop 100,000 scenarios: record it, loudly
        return _internal_error(scenario_id, exc, entry.get("qualification"))


def _internal_error(scenario_id: str, exc: Exception, qualification: Any) -> dict[str, Any]:
    return error_record(scenario_id, f"internal error (please report): {type(exc).__name__}: {exc}", qualification)


def solve_chunk(entries: list[dict[str, Any]], options: SolveOptions = SolveOptions(),
                stop: threading.Event | None = None) -> list[dict[str, Any]]:
    """A chunk of entries to their records, in order. The scenarios the valid-set table answers
    are answered together, a qualification and objective at a time, with one matrix product
    for them all. `stop`, once set, ends the chunk between scenarios with the records finished."""
    records: list[dict[str, Any] | None] = [None] * len(entries)
    deferred: list[_Deferred] = []
    for at, entry in enumerate(entries):
        if stop is not None and stop.is_set():
            break
        records[at] = solve_entry(entry, options, deferred, at)
    groups: dict[tuple[int, str], list[_Deferred]] = {}
    for item in deferred:
        groups.setdefault((id(item.template), str(item.prepared.objective)), []).append(item)
    for group in groups.values():
        started = time.perf_counter()
        try:
            answers = group[0].template.answer_tabled([item.prepared for item in group])
        except Exception as exc:  # a bug must not stop 100,000 scenarios: record it, loudly
            for item in group:
                records[item.at] = _internal_error(item.scenario.id, exc, item.scenario.qualification)
            continue
        share = (time.perf_counter() - started) / len(group)
        for item, (status, chosen) in zip(group, answers):
            records[item.at] = item.template.result(item.scenario, item.prepared, status, chosen,
                                                    item.seconds + share).model_dump(mode="json")
    return [record for record in records if record is not None]


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
