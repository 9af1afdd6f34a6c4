"""Commands that solve one qualification: plan, check, count."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog import load_unit_list
from models import InputError, Measure

from .. import service
from ..report import alternatives_tabular
from ..report.charts import check_chart_path, count_chart
from ..service import COUNT_LIMIT, Alternatives, SolveOptions, built
from .common import QualArg, TimeLimitOpt, err, objective_of, resolve
from .output import FormatOpt, JsonOpt, OutOpt, emit
from .render import render_alternatives, render_check, render_count, render_plan

app = typer.Typer()

IncludeOpt = Annotated[Optional[list[str]], typer.Option("--include", help="a unit the set must contain")]
ExcludeOpt = Annotated[Optional[list[str]], typer.Option("--exclude", help="a unit the set must not contain")]


@app.command("plan")
def plan(
    qual: QualArg,
    minimise: Annotated[Optional[Measure], typer.Option("--minimise", "--minimize",
                                                        help="glh, tqt or credits (default glh)")] = None,
    maximise: Annotated[Optional[Measure], typer.Option("--maximise", "--maximize",
                                                        help="e.g. glh: the top of the GLH range")] = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    max_level: Annotated[Optional[str], typer.Option("--max-level", metavar="LEVEL", help="no unit above this "
                                                     "level (E1-E3, L1-L8)")] = None,
    exclude_level: Annotated[Optional[list[str]], typer.Option("--exclude-level", metavar="LEVEL...",
                                                               help="no unit at these levels")] = None,
    exclude_group: Annotated[Optional[list[str]], typer.Option("--exclude-group", metavar="GROUP",
                                                               help="no unit of this group")] = None,
    exclude_title: Annotated[Optional[list[str]], typer.Option("--exclude-title", metavar="TEXT", help="no unit "
                                                               "whose title contains TEXT (any case)")] = None,
    glh_at_least: Annotated[Optional[int], typer.Option("--glh-at-least", min=0, metavar="N", help="the set's "
                                                        "GLH must reach N (e.g. a planned-hours band)")] = None,
    glh_at_most: Annotated[Optional[int], typer.Option("--glh-at-most", min=0, metavar="N")] = None,
    tqt_at_least: Annotated[Optional[int], typer.Option("--tqt-at-least", min=0, metavar="N")] = None,
    tqt_at_most: Annotated[Optional[int], typer.Option("--tqt-at-most", min=0, metavar="N")] = None,
    credits_at_least: Annotated[Optional[int], typer.Option("--credits-at-least", min=0, metavar="N")] = None,
    credits_at_most: Annotated[Optional[int], typer.Option("--credits-at-most", min=0, metavar="N")] = None,
    time_limit: TimeLimitOpt = None,
    top_k: Annotated[Optional[int], typer.Option("--top", min=1, max=1000, help="the K best distinct valid sets, "
                                                 "under every restriction")] = None,
    all_optimal: Annotated[bool, typer.Option("--all-optimal", help="every optimal set, under every "
                                              "restriction")] = False,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The valid unit set that is best for the objective, with proof of optimality. When no set
    exists, a minimal set of rules and choices that cannot all hold.

    Exit code 0 when a valid set is found, 1 when none exists (or none was found in time), 2 for bad input.
    """
    q = resolve(qual)
    question = built(service.PlanQuestion, objective=str(objective_of(minimise, maximise)), include=include or [],
                     exclude=exclude or [], max_level=max_level, exclude_level=exclude_level or [],
                     exclude_group=exclude_group or [], exclude_title=exclude_title or [],
                     glh_at_least=glh_at_least, glh_at_most=glh_at_most, tqt_at_least=tqt_at_least,
                     tqt_at_most=tqt_at_most, credits_at_least=credits_at_least, credits_at_most=credits_at_most,
                     top=top_k, all_optimal=all_optimal, time_limit=time_limit)
    result = service.answer_plan(q, question, SolveOptions(from_table=True))  # one question: see analysis/quick.py
    title = f"{q.number} {q.title}: {question.objective}"
    if isinstance(result, Alternatives):
        emit(result, fmt, out_path, lambda: render_alternatives(result), as_json=as_json,
             tabular=alternatives_tabular(result), title=title)
        raise typer.Exit(0 if result.plans else 1)
    emit(result, fmt, out_path, lambda: render_plan(result), as_json=as_json, title=title)
    raise typer.Exit(0 if result.status.found else 1)


@app.command()
def check(
    qual: QualArg,
    refs: Annotated[Optional[list[str]], typer.Argument(help="unit references", metavar="[REF]...")] = None,
    units: Annotated[Optional[list[str]], typer.Option("--units", help="unit references: --units A B C")] = None,
    units_file: Annotated[Optional[Path], typer.Option("--units-file", help="a file of references: one "
                                                       "per line, or a JSON list")] = None,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Is a learner's set of units a valid way to achieve QUAL? If not, every rule it breaks.

    Exit code 0 valid, 1 invalid, 2 bad input.
    """
    q = resolve(qual)
    given = list(units or []) + list(refs or []) + (load_unit_list(units_file) if units_file else [])
    if not given:
        raise InputError("no units given: use --units REF [REF ...] or --units-file FILE")
    result = service.check(q, given)
    emit(result, fmt, out_path, lambda: render_check(result), as_json=as_json, title=f"{q.number} {q.title}: check")
    raise typer.Exit(0 if result.valid else 1)


@app.command()
def count(
    qual: QualArg,
    by: Annotated[Optional[Measure], typer.Option("--by", help="show how the sets spread over glh, "
                                                               "tqt or credits")] = None,
    include: Annotated[Optional[list[str]], typer.Option("--include", help="a unit every set must contain")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="a unit no set may contain")] = None,
    time_limit: Annotated[Optional[float], typer.Option(help="seconds; on expiry the count is a lower bound",
                                                        metavar="SECONDS")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="stop after this many sets (the count is then a "
                                       "lower bound)")] = COUNT_LIMIT,
    chart: Annotated[Optional[Path], typer.Option("--chart", metavar="FILE", help="draw the spread (needs --by) "
                                                  "as an .svg or .png")] = None,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """How many valid unit sets QUAL has (exactly), and how they spread over GLH, TQT or credits."""
    if chart is not None:
        check_chart_path(chart)
        if by is None:
            raise InputError("--chart needs --by glh, tqt or credits: the chart shows how the sets spread",
                             field="chart")
    result = service.count(resolve(qual), include or [], exclude or [], by, SolveOptions(time_limit=time_limit), limit)
    emit(result, fmt, out_path, lambda: render_count(result), as_json=as_json, title=f"{result.qualification}: count")
    if chart is not None:
        count_chart(result, chart)
        err.print(f"wrote {chart}", markup=False)
