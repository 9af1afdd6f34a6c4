"""`roc cohort plan`: a class of learners planned together."""

from __future__ import annotations

from enum import Enum
from functools import cache
from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog import load_learner_record
from catalog.cohort import load_cohort

from ..report.words import plural
from ..service import CohortResult, SolveOptions, learner_qualifications, plan_cohort, pounds
from .common import FundingCategoryOpt, FundingOpt, OnOpt, TimeLimitOpt, out, rates, resolve
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
    class_size: Annotated[Optional[int], typer.Option("--class-size", min=1, metavar="N", help="learners a class "
                                                      "can take (default: the file's, else no limit)")] = None,
    cost_per_glh: Annotated[Optional[int], typer.Option("--cost-per-glh", min=0, metavar="MONEY", help="cost of "
                                                        "an hour taught")] = None,
    minimise: Annotated[CohortGoal, typer.Option("--minimise", "--minimize", help="hours taught, or their cost")
                        ] = CohortGoal.hours,
    funding: FundingOpt = None,
    funding_category: FundingCategoryOpt = None,
    on: OnOpt = None,
    time_limit: TimeLimitOpt = None,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One valid unit set for every learner and the classes to run: a unit taught once to each
    class of up to N learners. Minimises hours taught (GLH x classes), then classes, then the
    learners' own GLH; against every learner on their own minimum-GLH plan. With --funding, each
    learner's funding rate and the cohort's funding and margin over the cost of the classes.

    Exit code 0 when every learner has a plan, 1 when some learner cannot have one, 2 for bad input."""
    group = load_cohort(cohort, class_size=class_size, cost_per_glh=cost_per_glh)
    resolve_once = cache(resolve)  # learners share qualifications: each file is read once
    money = rates(funding, learner_qualifications(group, resolve_once) if funding is not None else [], on,
                  funding_category)
    result = plan_cohort(group, resolve_once, lambda path: [u.ref for u in load_learner_record(path).achieved],
                         SolveOptions(time_limit=time_limit), minimise.value, funding=money)
    emit(result, fmt, out_path, lambda: render_cohort(result), as_json=as_json, title=f"cohort {cohort}")
    raise typer.Exit(0 if result.status.found else 1)


def render_cohort(result: CohortResult) -> None:
    if result.hours_taught is None:
        out.print(f"no plan: {STATUS_WORDS[result.status]}")
        if result.conflict_learner:
            out.print(f"learner {result.conflict_learner} cannot complete their qualification; these cannot all "
                      "hold (drop any one and the rest can):", markup=False)
            for item in result.conflict:
                out.print(f"  - {item.message}", markup=False)
        return
    rows = [{"ref": r.ref, "title": r.title, "glh": r.glh, "learners": len(r.learners), "classes": r.classes,
             "hours": r.hours, "who": ", ".join(r.learners)} for r in result.schedule]
    print_rows(out, rows, [("ref", "unit"), ("title", "title"), ("glh", "GLH"), ("learners", "learners"),
                           ("classes", "classes"), ("hours", "hours"), ("who", "who")], "teaching schedule")
    plans = [{"id": p.id, "qualification": p.qualification, "glh": p.glh_taught, "credits": p.credits,
              "funding": pounds(p.funding_rate), "achieved": " ".join(p.achieved), "units": " ".join(p.units)}
             for p in result.plans]
    funded = any(p.funding_rate is not None for p in result.plans)
    print_rows(out, plans, [("id", "learner"), ("qualification", "qualification"), ("glh", "GLH taught"),
                            ("credits", "credits")] + ([("funding", "funding")] if funded else [])
               + [("achieved", "achieved"), ("units", "units")], "learners' plans")
    size = f"classes of up to {result.class_size}" if result.class_size else "one class a unit"
    out.print(f"{plural(result.learners, 'learner')}, {size}: {result.hours_taught} hours taught in "
              f"{plural(result.classes or 0, 'class')}"
              + (f", cost {pounds(result.cost)}" if result.cost is not None else ""), markup=False)
    if result.funding is not None:
        margin = (f"; margin {pounds(result.margin)} ({pounds(result.margin_per_learner)} a learner)"
                  if result.margin is not None else "; give --cost-per-glh for the margin")
        out.print(f"funding {pounds(result.funding)} ({pounds(result.funding / result.learners)} a learner, "
                  f"{pounds(result.funding / result.hours_taught) if result.hours_taught else '-'} an hour taught)"
                  + margin, markup=False)
    out.print(f"every learner on their own minimum-GLH plan, taught alone: {result.separate_hours} hours; "
              f"those plans sharing classes: {result.cotaught_own_plans_hours} hours; "
              f"planned together: {result.hours_taught} hours (saving {result.saving_hours})", markup=False)
    for note in result.notes:
        out.print(f"  note: {note}", markup=False)
    out.print(f"status: {STATUS_WORDS[result.status]}; solved in {result.solve_seconds * 1000:.1f} ms")
