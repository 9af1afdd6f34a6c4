"""`roc whatif`: build scenario grids and run them in batch."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from models import InputError, Objective

from ..engine import SolveOptions
from ..whatif import BackendName, expand, parse_percent_range, run_batch
from .common import QualsArg, catalog, err

app = typer.Typer(no_args_is_help=True, help="Batch what-if analysis: build scenario grids and run them.")


@app.command("expand")
def whatif_expand(
    quals: QualsArg = None,
    out_path: Annotated[Path, typer.Option("--out", help="the scenario file to write (.jsonl)")] = Path("scenarios.jsonl"),
    objective: Annotated[list[str], typer.Option("--objective", help="e.g. 'minimise glh' (repeatable)")] = [],
    withdraw_each: Annotated[bool, typer.Option("--withdraw-each/--no-withdraw", help="one scenario per "
                                                "unit withdrawn")] = True,
    glh_percent: Annotated[Optional[str], typer.Option("--glh-percent", help="revise each unit's GLH by "
                                                       "FROM:TO[:STEP] percent, e.g. -20:20:5")] = None,
    cross: Annotated[bool, typer.Option("--cross", help="every withdrawal combined with every GLH revision")] = False,
) -> None:
    """Write a grid of scenarios (JSONL) for `roc whatif run`."""
    objectives = [str(Objective.parse(text)) for text in objective or ["minimise glh"]]
    percents = parse_percent_range(glh_percent) if glh_percent else []
    count = 0
    with out_path.open("w", encoding="utf-8") as sink:
        for entry in expand(catalog().resolve_all(quals or []), objectives, withdraw_each, percents, cross):
            sink.write(json.dumps(entry, separators=(",", ":")) + "\n")
            count += 1
    err.print(f"wrote {count} scenarios to {out_path}")


@app.command("run")
def whatif_run(
    scenarios: Annotated[Path, typer.Argument(help="scenarios: .jsonl, .yaml/.json or .csv")],
    out_path: Annotated[Path, typer.Option("--out", help="results (.jsonl); an existing file is resumed")],
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="processes (default: CPU count)")] = None,
    backend: Annotated[str, typer.Option("--backend", help="local or ray")] = "local",
    address: Annotated[Optional[str], typer.Option("--address", help="a Ray cluster (default: a local instance)")] = None,
    time_limit: Annotated[Optional[float], typer.Option(help="seconds for each scenario")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="progress bar with rate and ETA")] = True,
) -> None:
    """Solve every scenario; one result line each (id, status, objective, units, GLH, TQT, credits,
    solve time). Run again with the same --out to resume: finished scenarios are skipped."""
    if backend not in BackendName.__members__:
        raise InputError(f"{backend!r}: expected local or ray", field="--backend")
    summary = run_batch(scenarios, out_path, workers=workers or (os.cpu_count() or 1), backend=BackendName(backend),
                        address=address, options=SolveOptions(time_limit=time_limit), progress=progress)
    for note in summary.notes:
        err.print(f"roc: note: {note}", markup=False)
    statuses = ", ".join(f"{status} {n}" for status, n in sorted(summary.statuses.items()))
    err.print(f"{summary.written} results written to {summary.out} ({statuses or 'none'}); "
              f"{summary.skipped} already there; {summary.seconds:.1f} s, {summary.rate:.0f} scenarios/s", markup=False)
    if summary.interrupted:
        err.print("roc: interrupted: every finished result is kept and nothing unfinished was written; run the "
                  "same command again to resume", markup=False)
        raise typer.Exit(130)
    if summary.errors:
        err.print(f"roc: {summary.errors} scenario{'s' if summary.errors != 1 else ''} could not be run: see the "
                  f"records with status error in {summary.out}", markup=False)
        raise typer.Exit(1)
