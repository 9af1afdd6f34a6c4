"""Commands about the catalogue itself: list, show, lint."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from models import Severity

from ..analysis import lint as run_lint
from .common import JsonOpt, QualArg, catalog, emit_json, out, resolve
from .render import render_findings, render_qualification

app = typer.Typer()


@app.command("list")
def list_(as_json: JsonOpt = False) -> None:
    """The qualifications in the built-in catalogue."""
    quals = list(catalog())
    if as_json:
        emit_json([{"number": str(q.number), "awarder": q.awarder, "title": q.title,
                    "level": q.level.name, "units": len(q.units)} for q in quals])
        return
    table = Table(title="roc catalogue")
    for name in ("number", "awarder", "title", "level", "units", "credits rule", "published GLH",
                 "published TQT"):
        table.add_column(name, no_wrap=name == "number")
    for q in quals:
        glh = q.published.glh_range
        table.add_row(str(q.number), q.awarder, q.title, q.level.label, str(len(q.units)),
                      q.credits.describe("credits"),
                      "-" if glh is None else (str(glh[0]) if glh[0] == glh[1] else f"{glh[0]}-{glh[1]}"),
                      "-" if q.published.tqt is None else str(q.published.tqt))
    out.print(table)


@app.command()
def show(qual: QualArg, as_json: JsonOpt = False) -> None:
    """A qualification's units, rules of combination (with the keys other commands use), barred
    pairs and corrections."""
    q = resolve(qual)
    if as_json:
        emit_json(q.model_dump(mode="json", exclude_none=True))
    else:
        render_qualification(q)


@app.command()
def lint(
    quals: Annotated[Optional[list[str]], typer.Argument(help="qualification numbers or files "
                                                              "(default: the whole catalogue)",
                                                         metavar="[QUAL|FILE]...")] = None,
    as_json: JsonOpt = False,
    strict: Annotated[bool, typer.Option(help="exit 1 when there is any error or warning")] = False,
) -> None:
    """Data findings: misprinted or conflicting references, barred pairs outside the qualification,
    published GLH/TQT the rules cannot give, infeasible rules, and the corrections the catalogue applies."""
    findings = run_lint(catalog().resolve_all(quals or []))
    if as_json:
        emit_json([f.model_dump(mode="json") for f in findings])
    else:
        render_findings(findings)
    serious = [f for f in findings if f.severity in (Severity.error, Severity.warning)]
    raise typer.Exit(1 if strict and serious else 0)
