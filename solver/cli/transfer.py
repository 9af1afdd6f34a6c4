"""Commands across qualifications: transfer, transfer-matrix, compare."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog import load_learner_record
from models import InputError, UnitRef

from .. import service
from ..report.charts import check_chart_path, compare_chart
from ..report.words import published_tqt
from ..service import COUNT_LIMIT, BackendName, SuggestedTransfer, built, pounds
from .common import (
    AddressOpt,
    BackendOpt,
    EquivalencesOpt,
    FundingCategoryOpt,
    FundingOpt,
    OnOpt,
    QualsArg,
    catalog,
    compute,
    err,
    out,
    resolve,
    resolve_all,
)
from .common import (
    funding as funding_rates_of,
)
from .formats import print_rows
from .output import FormatOpt, JsonOpt, OutOpt, emit
from .render import MONEY_FIELDS, render_transfer
from .suggest import (
    CandidatesOpt,
    ThresholdOpt,
    WriteOpt,
    check_suggested_path,
    render_suggestions,
    suggest_question,
    write_suggested,
)

app = typer.Typer()

class ToDeliver(str, Enum):
    """What transfer minimises: the hours still to deliver (credits are fixed by the target's rules)."""

    glh = "glh"
    tqt = "tqt"


@app.command()
def transfer(
    to: Annotated[str, typer.Option("--to", help="the target qualification (number or file)")],
    refs: Annotated[Optional[list[str]], typer.Argument(help="achieved unit references", metavar="[REF]...")] = None,
    achieved: Annotated[Optional[list[str]], typer.Option("--achieved", help="achieved units: --achieved A B C")
                        ] = None,
    record: Annotated[Optional[Path], typer.Option("--record", help="a learner record: YAML, JSON or CSV")] = None,
    equivalences: EquivalencesOpt = None,
    minimise: Annotated[ToDeliver, typer.Option("--minimise", "--minimize", help="glh or tqt still to deliver")
                        ] = ToDeliver.glh,
    suggest: Annotated[bool, typer.Option("--suggest", help="for each achieved unit that does not transfer, "
                                          "the target units alike enough to ask about (Maybe), with the GLH each "
                                          "would save; --threshold, --candidates and --write-equivalences "
                                          "imply it")] = False,
    threshold: ThresholdOpt = None,
    candidates: CandidatesOpt = None,
    write: WriteOpt = None,
    time_limit: Annotated[Optional[float], typer.Option(help="seconds", metavar="SECONDS")] = None,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What a learner's achieved units carry into another qualification, and the cheapest way to finish it."""
    units: list = UnitRef.parse_all(list(achieved or []) + list(refs or []), "achieved")
    if record is not None:
        units += load_learner_record(record).achieved
    if not units:
        raise InputError("no achieved units: use --achieved REF [REF ...] or --record FILE")
    target, declared = resolve(to), service.declared_equivalences(equivalences or [])
    suggesting = suggest or write is not None or threshold is not None or candidates is not None
    how = suggest_question(threshold, candidates) if suggesting else None
    question = built(service.TransferQuestion, minimise=minimise.value, suggest=how, time_limit=time_limit)
    check_suggested_path(write, target, equivalences or [], out_path)
    result = service.answer_transfer(target, units, declared, question, known=list(catalog()))
    if not isinstance(result, SuggestedTransfer):
        emit(result, fmt, out_path, lambda: render_transfer(result), as_json=as_json,
             title=f"transfer into {result.target}")
        raise typer.Exit(0 if result.status.found else 1)
    found = result.suggestions
    plain = result.model_dump(mode="json")
    tabular = {**{k: v for k, v in plain.items() if k != "suggestions"},
               **{f"suggestions.{k}": v for k, v in plain["suggestions"].items() if k != "suggestions"},
               "suggestions": plain["suggestions"]["suggestions"]}

    def show() -> None:
        render_transfer(result)
        out.print()
        render_suggestions(found)

    emit(result, fmt, out_path, show, as_json=as_json, title=f"transfer into {result.target}, with suggestions",
         tabular=tabular)
    if write is not None:
        write_suggested(found, target, write)
    raise typer.Exit(0 if result.status.found else 1)


WorkersOpt = Annotated[int, typer.Option("--workers", min=1, max=1024, metavar="N", help="processes "
                                          "(default 1: in this process)")]


@app.command("transfer-matrix")
def transfer_matrix(quals: QualsArg = None, equivalences: EquivalencesOpt = None,
                    fmt: FormatOpt = None, out_path: OutOpt = None, as_json: JsonOpt = False,
                    sample: Annotated[Optional[int], typer.Option("--sample", min=1, metavar="N", help="only N "
                                                                  "ordered pairs, drawn at random")] = None,
                    seed: Annotated[int, typer.Option("--seed", metavar="N", help="which random sample")] = 0,
                    workers: WorkersOpt = 1, backend: BackendOpt = BackendName.local, address: AddressOpt = None
                    ) -> None:
    """For every ordered pair (or a random sample of them): GLH still to deliver in the target
    after the source's minimum-GLH plan, and after every unit of the source."""
    how = compute(workers, backend, address)
    chosen, declared = resolve_all(quals), service.declared_equivalences(equivalences or [])
    cells = service.transfer_matrix(chosen, declared, sample=sample, seed=seed, compute=how, specs=quals)
    columns = [("source", "source"), ("target", "target"), ("target_min_glh", "target min GLH"),
               ("from_min_plan", "to deliver after source's min-GLH plan"),
               ("from_all_units", "to deliver after every source unit"), ("status", "status")]
    title = "GLH still to deliver after transfer"
    rows = [c.model_dump(mode="json") for c in cells]

    def table() -> None:
        if sample is not None or len(chosen) > 8:  # a sample, or too many to read as a grid: the pairs
            print_rows(out, rows, columns, title)
            return
        for field, said in (("from_all_units", "after every unit of the source (row)"),
                            ("from_min_plan", "after the source's minimum-GLH plan")):
            print_rows(out, matrix_grid(cells, field), [("source", "source \\ target")] + [
                (str(q.number), str(q.number)) for q in chosen], f"GLH still to deliver in the target (column) {said}")
        out.print("with nothing held: " + ", ".join(f"{c.target} {c.target_min_glh}" for c in
                                                    {c.target: c for c in cells}.values()), markup=False)

    emit(rows, fmt, out_path, table, as_json=as_json, name="pairs", title=title)


def matrix_grid(cells, field: str) -> list[dict]:
    """The pairs as a grid: a row per source, a column per target, `field` in each cell."""
    grid: dict[str, dict] = {}
    for c in cells:
        grid.setdefault(c.source, {"source": c.source})[c.target] = getattr(c, field)
    return list(grid.values())


@app.command()
def compare(quals: QualsArg = None, fmt: FormatOpt = None, out_path: OutOpt = None, as_json: JsonOpt = False,
            count_limit: Annotated[int, typer.Option("--count-limit", min=1, help="stop counting a "
                                                     "qualification's valid sets here (shown as >= N)")] = COUNT_LIMIT,
            chart: Annotated[Optional[Path], typer.Option("--chart", metavar="FILE", help="draw each "
                                                          "qualification's GLH range and published GLH (.svg, .png)")
                             ] = None,
            funding: FundingOpt = None, funding_category: FundingCategoryOpt = None, on: OnOpt = None,
            cost_per_glh: Annotated[Optional[float], typer.Option("--cost-per-glh", min=0, metavar="MONEY",
                                                                  help="cost of an hour taught, for the margin")
                                    ] = None,
            class_size: Annotated[Optional[int], typer.Option("--class-size", min=1, metavar="N", help="learners "
                                                              "sharing the hours taught, for the margin")] = None,
            workers: WorkersOpt = 1, backend: BackendOpt = BackendName.local, address: AddressOpt = None,
            ) -> None:
    """One row per qualification: achievable GLH and TQT against what is published, valid sets,
    and data findings; with --funding, the funding rate and funding per minimum-GLH hour, and with
    --cost-per-glh and --class-size the margin per learner and per class on the minimum-GLH plan."""
    if chart is not None:
        check_chart_path(chart)
    how = compute(workers, backend, address)
    chosen = resolve_all(quals)
    money, notes = funding_rates_of(funding, chosen, on, funding_category)
    found = service.compare(chosen, count_limit=count_limit, funding=money, cost_per_glh=cost_per_glh,
                            class_size=class_size, compute=how, specs=quals, funding_notes=notes)
    rows = [r.model_dump(mode="json") for r in found]
    shown = [dict(row) for row in rows]
    for row in shown:
        if not row["valid_sets_exact"]:
            row["valid_sets"] = f">= {row['valid_sets']}"
        row["published_tqt_text"] = published_tqt(row["published_tqt"], row["published_tqt_used"])
        for name in MONEY_FIELDS:
            row[name] = pounds(row[name])
    columns = [("awarder", "awarder"), ("number", "number"), ("title", "title"), ("level", "level"),
               ("credits", "credits"), ("min_glh", "min GLH"), ("max_glh", "max GLH"),
               ("published_glh", "published GLH"), ("min_tqt", "min TQT"),
               ("published_tqt_text", "published TQT"), ("valid_sets", "valid sets"),
               ("findings", "findings")]
    if money is not None:
        columns += [("funding_rate", "funding"), ("funding_per_glh", "funding per min GLH")]
    if cost_per_glh is not None:
        columns += [("cost_per_learner", "cost per learner"), ("margin_per_learner", "margin per learner"),
                    ("margin_per_class", f"margin per class of {class_size}")]
    title = "roc compare: achievable against published"
    def table() -> None:
        print_rows(out, shown, columns, title)
        for row in found:
            if row.funding_note:
                out.print(f"no funding for {row.number}: {row.funding_note}", markup=False)

    emit(rows, fmt, out_path, table, as_json=as_json, name="qualifications", title=title)
    if chart is not None:
        compare_chart(rows, chart)
        err.print(f"wrote {chart}", markup=False)
