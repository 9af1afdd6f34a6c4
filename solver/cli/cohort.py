"""`roc cohort plan`: a class of learners planned together."""

from __future__ import annotations

from enum import Enum
from functools import cache
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from catalog import load_learner_record
from catalog.cohort import load_cohort

from .. import service
from ..report import cohort_tabular
from ..report.words import cohort_summary, plural
from ..service import MAX_CLASS, MAX_MONEY, CohortResult, SolveOptions, pounds
from .common import EquivalencesOpt, FundingCategoryOpt, FundingOpt, OnOpt, TimeLimitOpt, out, rates, resolve
from .formats import print_rows
from .output import FormatOpt, JsonOpt, OutOpt, emit
from .render import STATUS_WORDS

app = typer.Typer(no_args_is_help=True, help="Plan a whole class of learners: shared classes, fewest hours taught.")


class CohortGoal(str, Enum):
    hours = "hours"
    cost = "cost"


@app.command("plan")
def cohort_plan(
    cohort: Annotated[Path, typer.Argument(help="the cohort: YAML/JSON, or CSV with a row per learner", metavar="COHORT")],
    class_size: Annotated[Optional[int], typer.Option("--class-size", min=1, max=MAX_CLASS, metavar="N",
                                                      help="learners a class can take (default: the file's, else "
                                                      "no limit)")] = None,
    min_class_size: Annotated[Optional[int], typer.Option("--min-class-size", min=1, max=MAX_CLASS, metavar="N",
                                                          help="a class of fewer learners is not run")] = None,
    max_classes: Annotated[Optional[int], typer.Option("--max-classes", min=1, max=MAX_CLASS, metavar="N",
                                                       help="classes any one unit may have (1: one tutor)")] = None,
    cost_per_glh: Annotated[Optional[float], typer.Option("--cost-per-glh", min=0, max=MAX_MONEY, metavar="MONEY",
                                                          help="cost of an hour taught, in pounds (30.50)")] = None,
    minimise: Annotated[CohortGoal, typer.Option("--minimise", "--minimize", help="hours taught, or their cost")
                        ] = CohortGoal.hours,
    equivalences: EquivalencesOpt = None,
    funding: FundingOpt = None,
    funding_category: FundingCategoryOpt = None,
    on: OnOpt = None,
    time_limit: TimeLimitOpt = None,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One valid unit set for every learner and the classes to run, with class lists: a unit
    taught once to each class of up to N learners. Prior learning counts where it helps, as in
    transfer. Minimises hours taught (GLH x classes), then classes, then the learners' own GLH;
    the saving is against each learner's own minimum-GLH plan, those plans sharing classes. With
    --funding, each learner's funding rate and the cohort's funding and margin.

    Exit code 0 when every learner has a plan, 1 when some learner cannot have one, 2 for bad input."""
    group = load_cohort(cohort, class_size=class_size, min_class_size=min_class_size, max_classes=max_classes,
                        cost_per_glh=cost_per_glh)
    resolve_once = cache(resolve)  # learners share qualifications: each file is read once
    money = rates(funding, service.learner_qualifications(group, resolve_once) if funding is not None else [], on,
                  funding_category)
    result = service.plan_cohort(group, resolve_once, lambda path: [u.ref for u in load_learner_record(path).achieved],
                         SolveOptions(time_limit=time_limit), minimise.value, funding=money,
                         equivalences=service.declared_equivalences(equivalences or []))
    emit(result, fmt, out_path, lambda: render_cohort(result), as_json=as_json, title=f"cohort {cohort}",
         tabular=cohort_tabular(result))
    raise typer.Exit(0 if result.status.found and not result.unserved else 1)


def render_cohort(result: CohortResult) -> None:
    if result.hours_taught is None:
        out.print(f"no plan: {STATUS_WORDS[result.status]}")
        if result.conflict_learner:
            out.print(f"learner {result.conflict_learner} cannot complete their qualification; these cannot all "
                      "hold (drop any one and the rest can):", markup=False)
            for item in result.conflict:
                out.print(f"  - {item.message}", markup=False)
        return
    if not result.plans:
        for line in cohort_summary(result)[1:]:
            out.print(line, markup=False)
        out.print(f"status: {STATUS_WORDS[result.status]}")
        return
    rows = [{"ref": r.ref, "title": r.title, "glh": r.glh, "learners": len(r.learners), "classes": r.class_count,
             "hours": r.hours} for r in result.schedule]
    print_rows(out, rows, [("ref", "unit"), ("title", "title"), ("glh", "GLH"), ("learners", "learners"),
                           ("classes", "classes"), ("hours", "hours")], "teaching schedule")
    out.print(Text("class lists", style="bold"))
    for r in result.schedule:
        out.print(Text(f"  {r.ref} {r.title}"), overflow="fold")
        for c in r.classes:
            out.print(Text(f"    {c.number} ({plural(len(c.learners), 'learner')}): {', '.join(c.learners)}"),
                      overflow="fold")
    plans = [{"id": p.id, "qualification": p.qualification, "glh": p.glh_taught, "credits": p.credits,
              "funding": pounds(p.funding_rate), "achieved": " ".join(p.achieved) or "-"} for p in result.plans]
    funded = any(p.funding_rate is not None for p in result.plans)
    print_rows(out, plans, [("id", "learner"), ("qualification", "qualification"), ("glh", "GLH taught"),
                            ("credits", "credits")] + ([("funding", "funding")] if funded else [])
               + [("achieved", "credited by prior learning")], "learners' plans")
    for line in cohort_summary(result):
        out.print(line, markup=False)
    out.print(f"status: {STATUS_WORDS[result.status]}; solved in {result.solve_seconds * 1000:.1f} ms")
