"""Commands about the catalogue itself: list, show, lint."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog.register import lint_register, load_overlay
from models import Finding, InputError, Severity

from .. import service
from ..report import write_file
from .common import OnOpt, QualArg, catalog, day, err, out, resolve
from .formats import print_rows
from .output import FormatOpt, JsonOpt, OutOpt, emit
from .render import render_findings, render_qualification

app = typer.Typer()


@app.command("list")
def list_(fmt: FormatOpt = None, out_path: OutOpt = None, as_json: JsonOpt = False) -> None:
    """The qualifications in the built-in catalogue."""
    quals = list(catalog())
    emit(service.listing(quals), fmt, out_path, lambda: _list_table(quals), as_json=as_json, name="qualifications",
         title="roc catalogue")


def _list_table(quals: list) -> None:
    rows = []
    for q in quals:
        glh = q.published.glh_range
        rows.append({"number": str(q.number), "awarder": q.awarder, "title": q.title, "level": q.level.label,
                     "units": len(q.units), "rule": q.credits.describe("credits"),
                     "glh": "-" if glh is None else (str(glh[0]) if glh[0] == glh[1] else f"{glh[0]}-{glh[1]}"),
                     "tqt": q.published.tqt})
    print_rows(out, rows, [("number", "number"), ("awarder", "awarder"), ("title", "title"), ("level", "level"),
                           ("units", "units"), ("rule", "credits rule"), ("glh", "published GLH"),
                           ("tqt", "published TQT")], "roc catalogue")


@app.command()
def show(qual: QualArg, fmt: FormatOpt = None, out_path: OutOpt = None, as_json: JsonOpt = False) -> None:
    """A qualification's units, rules of combination (with the keys other commands use), barred
    pairs and corrections. `--json` gives the qualification file's own schema: it loads back."""
    q = resolve(qual)
    emit(q.file_data(), fmt, out_path, lambda: render_qualification(q),
         as_json=as_json, title=f"{q.number} {q.title}")


@app.command()
def lint(
    quals: Annotated[Optional[list[str]], typer.Argument(help="qualification numbers or files "
                                                              "(default: the whole catalogue)",
                                                         metavar="[QUAL|FILE]...")] = None,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
    strict: Annotated[bool, typer.Option(help="exit 1 when there is any error or warning")] = False,
    overlay: Annotated[Optional[list[Path]], typer.Option("--overlay", metavar="FILE", help="register or LARS "
                                                          "figures from `roc import ofqual` or `roc import lars`, "
                                                          "compared with the specifications")] = None,
    on: OnOpt = None,
) -> None:
    """Data findings: misprinted or conflicting references, barred pairs outside the qualification,
    published GLH/TQT the rules cannot give, infeasible rules, and the corrections the catalogue applies."""
    loaded, unreadable = [], []
    for spec in quals or []:
        try:
            loaded.append(resolve(spec))
        except InputError as exc:  # reported as a finding, so --json and --format give it too
            unreadable.append(Finding(code="unreadable", severity=Severity.error, qualification=spec, subject=spec,
                                      message=str(exc), where=spec))
    chosen = loaded if quals else list(catalog())
    register = [f for path in overlay or [] for f in lint_register(chosen, load_overlay(path), day(on))]
    findings = unreadable + service.lint(chosen) + register
    emit(findings, fmt, out_path, lambda: render_findings(findings), as_json=as_json, name="findings",
         title="roc lint")
    serious = [f for f in findings if f.severity in (Severity.error, Severity.warning)]
    raise typer.Exit(2 if unreadable else 1 if strict and serious else 0)


@app.command()
def init(path: Annotated[Path, typer.Argument(help="the qualification file to create (.yaml)", metavar="FILE")]) -> None:
    """Write a starter qualification file (every key of the schema, with comments) to edit."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError("roc init writes YAML: give a name ending .yaml", file=str(path))
    if path.exists():
        raise InputError("already exists; roc init never overwrites a file", file=str(path))
    write_file(path, (files("catalog") / "templates" / "qualification.yaml").read_bytes())
    err.print(f"wrote {path}: edit it, then `roc lint {path}` and `roc plan {path}`", markup=False)
