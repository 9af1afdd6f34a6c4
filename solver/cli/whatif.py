"""`roc whatif`: build scenario grids and run them in batch."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import service
from ..report import write_file
from ..report.charts import check_chart_path, whatif_chart
from ..service import BackendName, built, worker_specs
from .common import AddressOpt, BackendOpt, QualsArg, compute, err, out, resolve_all
from .formats import print_rows
from .output import FormatOpt, JsonOpt, OutOpt, emit

app = typer.Typer(no_args_is_help=True, help="Batch what-if analysis: build scenario grids and run them.")


@app.command("expand")
def whatif_expand(
    quals: QualsArg = None,
    out_path: Annotated[Path, typer.Option("--out", help="the scenario file to write (.jsonl)", metavar="FILE")
                        ] = Path("scenarios.jsonl"),
    objective: Annotated[Optional[list[str]], typer.Option("--objective", help="e.g. 'minimise glh' "
                                                           "(repeatable)")] = None,
    withdraw_each: Annotated[bool, typer.Option("--withdraw-each", help="one scenario per unit withdrawn")] = False,
    glh_percent: Annotated[Optional[str], typer.Option("--glh-percent", metavar="PERCENT", help="revise GLH by "
                                                       "PERCENT (-10) or by each of FROM:TO[:STEP] (-20:20:5); "
                                                       "rounded half up")] = None,
    each_unit: Annotated[bool, typer.Option("--each-unit", help="revise one unit at a time (default: every "
                                            "unit at once)")] = False,
    cross: Annotated[bool, typer.Option("--cross", help="every withdrawal combined with every GLH revision")] = False,
    drop_duplicates: Annotated[bool, typer.Option("--drop-duplicates", help="leave out a scenario that asks the "
                                                  "same as an earlier one (revisions that round to the same hours)")
                               ] = False,
) -> None:
    """Write a grid of scenarios (JSONL) for `roc whatif run`: the baseline, and the changes asked for."""
    question = built(service.GridQuestion, objective=objective or ["minimise glh"], glh_percent=glh_percent,
                     withdraw_each=withdraw_each, each_unit=each_unit, cross=cross)
    chosen = resolve_all(quals)
    # a qualification file is named by its absolute path, so that `whatif run` finds it from anywhere
    lines, again = [], 0
    for entry, repeated in service.same_as_earlier(service.whatif_expand(chosen, question, worker_specs(quals, chosen))):
        again += repeated
        if not (repeated and drop_duplicates):
            lines.append(json.dumps(entry, separators=(",", ":")) + "\n")
    write_file(out_path, "".join(lines).encode())
    said = (f" ({again} the same as an earlier one: left out)" if drop_duplicates else
            f" ({again} the same as an earlier one; --drop-duplicates leaves them out)") if again else ""
    err.print(f"wrote {len(lines)} scenarios to {out_path}{said}", markup=False)


@app.command("run")
def whatif_run(
    scenarios: Annotated[Path, typer.Argument(help="scenarios: .jsonl, .yaml/.json or .csv")],
    out_path: Annotated[Path, typer.Option("--out", help="results (.jsonl); an existing file is resumed")],
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="processes (default: CPU count)")] = None,
    backend: BackendOpt = BackendName.local,
    address: AddressOpt = None,
    time_limit: Annotated[Optional[float], typer.Option(help="seconds for each scenario")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="progress bar with rate and ETA")] = True,
) -> None:
    """Solve every scenario; one result line each (id, status, objective, units, GLH, TQT, credits,
    solve time). Run again with the same --out to resume: finished scenarios are skipped."""
    summary = service.whatif_run(scenarios, out_path, compute(workers or (os.cpu_count() or 1), backend, address),
                         time_limit, progress)
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


@app.command("summarise")
def whatif_summarise(
    results: Annotated[Path, typer.Argument(help="the results of `roc whatif run` (.jsonl)", metavar="RESULTS")],
    baseline: Annotated[str, typer.Option("--baseline", help="the ending of each baseline scenario's id")
                        ] = "baseline",
    chart: Annotated[Optional[Path], typer.Option("--chart", metavar="FILE", help="draw each qualification and "
                                                  "goal's range with the baseline marked (.svg, .png)")] = None,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """For each qualification and goal: the baseline against every scenario (lowest, highest, the
    largest cut and rise), and how many were infeasible or could not be run."""
    if chart is not None:
        check_chart_path(chart)
    summary = service.whatif_summarise(results, baseline)
    for note in summary.notes:
        err.print(f"roc: note: {note}", markup=False)
    columns = [("qualification", "qualification"), ("goal", "goal"), ("scenarios", "scenarios"),
               ("baseline", "baseline"), ("lowest", "lowest"), ("highest", "highest"),
               ("largest_cut", "largest cut"), ("largest_rise", "largest rise"), ("infeasible", "infeasible"),
               ("error", "errors")]
    goals = [g.model_dump(mode="json") for g in summary.goals]

    def table() -> None:
        print_rows(out, goals, columns, f"what-if summary of {results}")
        for g in summary.goals:  # the scenario behind each extreme, by name
            prefix = f"{g.qualification} | {g.goal} | "  # what expand puts before each change
            named = [f"{word} {value:+d} ({who.removeprefix(prefix)})" for word, value, who in (
                ("largest cut", g.largest_cut, g.largest_cut_scenario),
                ("largest rise", g.largest_rise, g.largest_rise_scenario)) if value is not None and who]
            if named:
                out.print(f"{g.qualification} {g.goal}: " + "; ".join(named), markup=False)

    emit(summary, fmt, out_path, table, as_json=as_json, title=f"what-if summary of {results}")
    if chart is not None:
        whatif_chart(summary, chart)
        err.print(f"wrote {chart}", markup=False)
