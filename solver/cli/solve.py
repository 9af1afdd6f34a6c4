"""Commands that solve one qualification: plan, check, count."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError

from catalog import load_unit_list
from models import InputError, Measure, Target

from ..analysis import all_optimal as every_optimal
from ..analysis import check as audit
from ..analysis import count as count_sets
from ..analysis import top
from ..analysis.alternatives import COUNT_LIMIT
from ..analysis.restrict import plan_restricted, restricted_units
from ..engine import SolveOptions
from .charts import check_chart_path, count_chart
from .common import QualArg, TimeLimitOpt, err, objective_of, resolve
from .output import FormatOpt, JsonOpt, OutOpt, alternatives_tabular, emit
from .render import render_alternatives, render_check, render_count, render_plan

app = typer.Typer()

IncludeOpt = Annotated[list[str], typer.Option("--include", help="a unit the set must contain")]
ExcludeOpt = Annotated[list[str], typer.Option("--exclude", help="a unit the set must not contain")]


def targets_of(bounds: dict[str, tuple[int | None, int | None]]) -> list[Target]:
    """--glh-at-least and friends as Targets (an InputError for min above max)."""
    targets = []
    for measure, (low, high) in bounds.items():
        if low is None and high is None:
            continue
        try:
            targets.append(Target(measure=measure, min=low, max=high))
        except ValidationError as exc:
            raise InputError(exc.errors()[0]["msg"].removeprefix("Value error, "),
                             field=f"--{measure}-at-least/--{measure}-at-most") from None
    return targets


@app.command("plan")
def plan(
    qual: QualArg,
    minimise: Annotated[Optional[Measure], typer.Option("--minimise", "--minimize",
                                                        help="glh, tqt or credits (default glh)")] = None,
    maximise: Annotated[Optional[Measure], typer.Option("--maximise", "--maximize",
                                                        help="e.g. glh: the top of the GLH range")] = None,
    include: IncludeOpt = [],
    exclude: ExcludeOpt = [],
    max_level: Annotated[Optional[str], typer.Option("--max-level", metavar="LEVEL", help="no unit above this "
                                                     "level (E1-E3, L1-L8)")] = None,
    exclude_level: Annotated[list[str], typer.Option("--exclude-level", metavar="LEVEL...", help="no unit at "
                                                     "these levels")] = [],
    exclude_group: Annotated[list[str], typer.Option("--exclude-group", metavar="GROUP", help="no unit of this "
                                                     "group")] = [],
    exclude_title: Annotated[list[str], typer.Option("--exclude-title", metavar="TEXT", help="no unit whose "
                                                     "title contains TEXT (any case)")] = [],
    glh_at_least: Annotated[Optional[int], typer.Option("--glh-at-least", min=0, metavar="N", help="the set's "
                                                        "GLH must reach N (e.g. a planned-hours band)")] = None,
    glh_at_most: Annotated[Optional[int], typer.Option("--glh-at-most", min=0, metavar="N")] = None,
    tqt_at_least: Annotated[Optional[int], typer.Option("--tqt-at-least", min=0, metavar="N")] = None,
    tqt_at_most: Annotated[Optional[int], typer.Option("--tqt-at-most", min=0, metavar="N")] = None,
    credits_at_least: Annotated[Optional[int], typer.Option("--credits-at-least", min=0, metavar="N")] = None,
    credits_at_most: Annotated[Optional[int], typer.Option("--credits-at-most", min=0, metavar="N")] = None,
    time_limit: TimeLimitOpt = None,
    top_k: Annotated[Optional[int], typer.Option("--top", min=1, help="the K best distinct valid sets")] = None,
    all_optimal: Annotated[bool, typer.Option("--all-optimal", help="every optimal set")] = False,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The valid unit set that is best for the objective, with proof of optimality. When no set
    exists, a minimal set of rules and choices that cannot all hold.

    Exit code 0 when a valid set is found, 1 when none exists (or none was found in time), 2 for bad input.
    """
    q = resolve(qual)
    objective, options = objective_of(minimise, maximise), SolveOptions(time_limit=time_limit)
    if top_k is not None and all_optimal:
        raise typer.BadParameter("give --top K or --all-optimal, not both")
    if top_k is not None or all_optimal:
        many = (top(q, objective, top_k, include, exclude, options) if top_k is not None
                else every_optimal(q, objective, include, exclude, options))
        emit(many, fmt, out_path, lambda: render_alternatives(many), as_json=as_json,
             tabular=alternatives_tabular(many), title=f"{q.number} {q.title}: {objective}")
        raise typer.Exit(0 if many.plans else 1)
    words, ruled_out = restricted_units(q, exclude_level, max_level, exclude_group, exclude_title)
    if words and (top_k is not None or all_optimal):
        raise InputError("--max-level, --exclude-level, --exclude-group and --exclude-title work with a single plan; "
                         "for --top or --all-optimal, use --exclude REF")
    targets = targets_of({"glh": (glh_at_least, glh_at_most), "tqt": (tqt_at_least, tqt_at_most),
                          "credits": (credits_at_least, credits_at_most)})
    result = plan_restricted(q, objective, include, exclude, words, ruled_out, options, targets)
    emit(result, fmt, out_path, lambda: render_plan(result), as_json=as_json, title=f"{q.number} {q.title}: {objective}")
    raise typer.Exit(0 if result.status.found else 1)


@app.command()
def check(
    qual: QualArg,
    refs: Annotated[Optional[list[str]], typer.Argument(help="unit references", metavar="[REF]...")] = None,
    units: Annotated[list[str], typer.Option("--units", help="unit references: --units A B C")] = [],
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
    given = list(units) + list(refs or []) + (load_unit_list(units_file) if units_file else [])
    if not given:
        raise InputError("no units given: use --units REF [REF ...] or --units-file FILE")
    result = audit(q, given)
    emit(result, fmt, out_path, lambda: render_check(result), as_json=as_json, title=f"{q.number} {q.title}: check")
    raise typer.Exit(0 if result.valid else 1)


@app.command()
def count(
    qual: QualArg,
    by: Annotated[Optional[Measure], typer.Option("--by", help="show how the sets spread over glh, "
                                                               "tqt or credits")] = None,
    include: Annotated[list[str], typer.Option("--include", help="a unit every set must contain")] = [],
    exclude: Annotated[list[str], typer.Option("--exclude", help="a unit no set may contain")] = [],
    time_limit: Annotated[Optional[float], typer.Option(help="seconds; on expiry the count is a lower bound")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="stop after this many sets (the count is then a "
                                       "lower bound)")] = COUNT_LIMIT,
    chart: Annotated[Optional[Path], typer.Option("--chart", metavar="FILE", help="draw the spread (needs --by) "
                                                  "as an .svg or .png")] = None,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """How many valid unit sets QUAL has (exactly), and how they spread over GLH, TQT or credits."""
    result = count_sets(resolve(qual), include, exclude, by, SolveOptions(time_limit=time_limit), limit)
    if chart is not None:
        check_chart_path(chart)
        if by is None:
            raise InputError("--chart needs --by glh, tqt or credits: the chart shows how the sets spread",
                             field="--chart")
    emit(result, fmt, out_path, lambda: render_count(result), as_json=as_json, title=f"{result.qualification}: count")
    if chart is not None:
        count_chart(result, chart)
        err.print(f"wrote {chart}", markup=False)
