"""The `roc` command line: parse arguments, call the Python API, render. Nothing more."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from models import Finding, InputError, Qualification, RocError, Severity

from .results import Alternatives, CheckResult, Measure, Objective, Plan, Sense, Status
from .solve import SolveOptions, plan

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="roc: rules-of-combination optimisation for UK regulated qualifications.",
)
# Piped output is not cut to 80 columns: tables stay one row per unit for the next program.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)

QualArg = Annotated[str, typer.Argument(help="an Ofqual qualification number from the catalogue, or a "
                                              "YAML/JSON qualification file", metavar="QUAL")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print one JSON object instead of a table")]


def _catalog():
    from catalog import builtin

    return builtin()


def _resolve(spec: str) -> Qualification:
    return _catalog().resolve(spec)


def _emit_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _objective(minimise: Optional[Measure], maximise: Optional[Measure]) -> Objective:
    if minimise is not None and maximise is not None:
        raise typer.BadParameter("give --minimise or --maximise, not both")
    if maximise is not None:
        return Objective(sense=Sense.maximise, measure=maximise)
    return Objective(sense=Sense.minimise, measure=minimise or Measure.glh)


# -- list / show -------------------------------------------------------------------------------
@app.command("list")
def list_(as_json: JsonOpt = False) -> None:
    """The qualifications in the built-in catalogue."""
    quals = list(_catalog())
    if as_json:
        _emit_json([{"number": str(q.number), "awarder": q.awarder, "title": q.title,
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
    """A qualification's units, rules of combination, barred pairs and corrections."""
    q = _resolve(qual)
    if as_json:
        _emit_json(q.model_dump(mode="json", exclude_none=True))
        return
    from .compile import quota_text

    out.print(f"[bold]{q.number}[/bold] {q.title}")
    out.print(f"awarder {q.awarder}; {q.level.label}; source: {q.source}")
    published = q.published.model_dump(exclude_none=True)
    out.print("published: " + (", ".join(f"{k} {v}" for k, v in published.items()) or "nothing"))
    table = Table(title="units")
    for name in ("ref", "title", "level", "credits", "GLH", "TQT", "groups"):
        table.add_column(name, no_wrap=name == "ref")
    for u in q.units:
        groups = ", ".join(g.id for g in q.groups if u.ref in g.units)
        table.add_row(str(u.ref), u.title, u.level.label, str(u.credits), str(u.glh), str(u.hours), groups)
    out.print(table)
    out.print("[bold]rules of combination[/bold]")
    out.print(f"  total: {q.credits.describe('credits')}")
    for g in q.groups:
        parts = ["mandatory"] if g.mandatory else []
        parts += [g.credits.describe("credits")] if g.credits and not g.credits.is_open else []
        parts += [g.count.describe("units")] if g.count and not g.count.is_open else []
        out.print(f"  group {g.id} ({len(g.units)} units): {'; '.join(parts) or 'optional, no bound'}")
    for i, quota in enumerate(q.level_quotas):
        out.print(f"  {quota_text(quota, i)}")
    for pair in q.barred:
        out.print(f"  barred: {pair.units[0].printed} may not be taken with {pair.units[1].printed}")
    for c in q.corrections:
        out.print(f"  correction {c.field}: printed {c.printed!r}, roc uses {c.value!r}")


# -- plan --------------------------------------------------------------------------------------
@app.command("plan")
def plan_(
    qual: QualArg,
    minimise: Annotated[Optional[Measure], typer.Option("--minimise", "--minimize",
                                                        help="glh, tqt or credits (default glh)")] = None,
    maximise: Annotated[Optional[Measure], typer.Option("--maximise", "--maximize",
                                                        help="e.g. glh: the top of the GLH range")] = None,
    include: Annotated[list[str], typer.Option("--include", help="a unit the set must contain")] = [],
    exclude: Annotated[list[str], typer.Option("--exclude", help="a unit the set must not contain")] = [],
    time_limit: Annotated[Optional[float], typer.Option(help="seconds; on expiry the best set found "
                                                             "so far is reported as feasible")] = None,
    top_k: Annotated[Optional[int], typer.Option("--top", min=1, help="the K best distinct valid sets")] = None,
    all_optimal: Annotated[bool, typer.Option("--all-optimal", help="every optimal set")] = False,
    as_json: JsonOpt = False,
) -> None:
    """The valid unit set that is best for the objective, with proof of optimality. When no set
    exists, a minimal set of rules and choices that cannot all hold.

    Exit code 0 when a valid set is found, 1 when none exists (or none was found in time), 2 for bad input.
    """
    q = _resolve(qual)
    objective, options = _objective(minimise, maximise), SolveOptions(time_limit=time_limit)
    if top_k is not None or all_optimal:
        if top_k is not None and all_optimal:
            raise typer.BadParameter("give --top K or --all-optimal, not both")
        from .alternatives import all_optimal as every_optimal, top

        many = (top(q, objective, top_k, include, exclude, options) if top_k is not None
                else every_optimal(q, objective, include, exclude, options))
        if as_json:
            _emit_json(many.model_dump(mode="json"))
        else:
            render_alternatives(many)
        raise typer.Exit(0 if many.plans else 1)
    result = plan(q, objective, include, exclude, options)
    if as_json:
        _emit_json(result.model_dump(mode="json"))
    else:
        render_plan(result)
    raise typer.Exit(0 if result.status in (Status.optimal, Status.feasible) else 1)


_STATUS_WORDS = {
    Status.optimal: "[green]optimal[/green] (proven)",
    Status.feasible: "[yellow]feasible[/yellow]: the time limit stopped the proof; a better set may exist",
    Status.infeasible: "[red]infeasible[/red]: no set of units satisfies the rules and choices",
    Status.unknown: "[red]unknown[/red]: stopped before finding a valid set or proving there is none",
}


def render_plan(result: Plan) -> None:
    out.print(f"[bold]{result.qualification}[/bold] {result.title}: {result.goal}")
    for note in result.notes:
        out.print(f"  note: {note.message}")
    if result.detail:
        table = Table()
        for name in ("ref", "title", "level", "credits", "GLH", "TQT", "group"):
            table.add_column(name, justify="right" if name in ("credits", "GLH", "TQT") else "left",
                             no_wrap=name == "ref")
        for u in result.detail:
            table.add_row(u.ref, u.title, u.level, str(u.credits), str(u.glh), str(u.tqt), ", ".join(u.groups))
        table.add_section()
        table.add_row("total", f"{len(result.detail)} units", "", str(result.credits), str(result.glh),
                      str(result.tqt), "")
        out.print(table)
    out.print(f"status: {_STATUS_WORDS[result.status]}; solved in {result.solve_seconds * 1000:.1f} ms")
    if result.conflict:
        out.print("these rules and choices cannot all hold (drop any one and the rest can):")
        for item in result.conflict:
            out.print(f"  - {item.message}")


def render_alternatives(many: Alternatives) -> None:
    out.print(f"[bold]{many.qualification}[/bold] {many.title}: {many.goal}, {many.mode}")
    table = Table()
    for name in ("#", "GLH", "TQT", "credits", "units"):
        table.add_column(name, justify="left" if name == "units" else "right")
    for n, p in enumerate(many.plans, 1):
        table.add_row(str(n), str(p.glh), str(p.tqt), str(p.credits), " ".join(p.units))
    out.print(table)
    shown = f"{len(many.plans)} set{'s' if len(many.plans) != 1 else ''}"
    if many.complete:
        out.print(f"{shown}, each proven in its place" if many.mode != "all optimal"
                  else f"{shown}: every optimal set (proven)")
    else:
        out.print(f"{shown}: [yellow]incomplete[/yellow], a time or size limit stopped the search")


# -- check ---------------------------------------------------------------------------------------
def read_unit_list(path: Path) -> list[str]:
    """One reference per line (blank lines and # comments skipped), or a JSON list."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the unit list ({exc.strerror or exc})", file=str(path)) from None
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not a valid JSON list: {exc.msg} at line {exc.lineno}", file=str(path)) from None
        if not all(isinstance(item, str) for item in data):
            raise InputError("a JSON unit list must hold only reference strings", file=str(path))
        return data
    refs = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        refs += [part for part in line.replace(",", " ").split() if part]
    return refs


@app.command()
def check(
    qual: QualArg,
    refs: Annotated[Optional[list[str]], typer.Argument(help="unit references", metavar="[REF]...")] = None,
    units: Annotated[list[str], typer.Option("--units", help="unit references: --units A B C")] = [],
    units_file: Annotated[Optional[Path], typer.Option("--units-file", help="a file of references: one "
                                                       "per line, or a JSON list")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Is a learner's set of units a valid way to achieve QUAL? If not, every rule it breaks.

    Exit code 0 valid, 1 invalid, 2 bad input.
    """
    from .check import check as audit

    q = _resolve(qual)
    given = list(units) + list(refs or []) + (read_unit_list(units_file) if units_file else [])
    if not given:
        raise InputError("no units given: use --units REF [REF ...] or --units-file FILE")
    result = audit(q, given)
    if as_json:
        _emit_json(result.model_dump(mode="json"))
    else:
        render_check(result)
    raise typer.Exit(0 if result.valid else 1)


def render_check(result: CheckResult) -> None:
    out.print(f"[bold]{result.qualification}[/bold] {result.title}")
    out.print(f"{len(result.units)} units: {result.credits} credits, {result.glh} GLH, {result.tqt} TQT")
    for note in result.notes:
        out.print(f"  note: {note.message}")
    if result.valid:
        out.print("[green]valid[/green]: every rule of combination is met")
        return
    out.print(f"[red]not valid[/red]: {len(result.violations)} rule{'s' if len(result.violations) != 1 else ''} broken")
    for v in result.violations:
        out.print(f"  - {v.message}")


# -- count ---------------------------------------------------------------------------------------
@app.command()
def count(
    qual: QualArg,
    by: Annotated[Optional[Measure], typer.Option("--by", help="show how the sets spread over glh, "
                                                               "tqt or credits")] = None,
    include: Annotated[list[str], typer.Option("--include", help="a unit every set must contain")] = [],
    exclude: Annotated[list[str], typer.Option("--exclude", help="a unit no set may contain")] = [],
    time_limit: Annotated[Optional[float], typer.Option(help="seconds; on expiry the count is a lower bound")] = None,
    as_json: JsonOpt = False,
) -> None:
    """How many valid unit sets QUAL has (exactly), and how they spread over GLH, TQT or credits."""
    from .alternatives import count as count_sets

    result = count_sets(_resolve(qual), include, exclude, by, SolveOptions(time_limit=time_limit))
    if as_json:
        _emit_json(result.model_dump(mode="json"))
        return
    out.print(f"[bold]{result.qualification}[/bold] {result.title}")
    exactness = "exactly" if result.exact else "[yellow]at least[/yellow] (time limit reached)"
    out.print(f"{exactness} {result.count} valid unit sets ({result.solve_seconds:.2f} s)")
    if result.distribution:
        table = Table()
        table.add_column(result.by.upper() if result.by != "credits" else "credits", justify="right")
        table.add_column("sets", justify="right")
        table.add_column("")
        peak = max(b.count for b in result.distribution)
        for bucket in result.distribution:
            table.add_row(str(bucket.value), str(bucket.count), "#" * max(1, round(40 * bucket.count / peak)))
        out.print(table)


# -- lint --------------------------------------------------------------------------------------
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
    from catalog.lint import lint as run_lint

    findings = run_lint(_catalog().resolve_all(quals or []))
    if as_json:
        _emit_json([f.model_dump(mode="json") for f in findings])
    else:
        render_findings(findings)
    serious = [f for f in findings if f.severity in (Severity.error, Severity.warning)]
    raise typer.Exit(1 if strict and serious else 0)


_SEVERITY_STYLE = {Severity.error: "red", Severity.warning: "yellow", Severity.info: "cyan"}


def render_findings(findings: list[Finding]) -> None:
    current = object()
    for f in findings:
        if f.qualification != current:
            current = f.qualification
            out.print(f"\n[bold]{f.qualification or 'across the catalogue'}[/bold]")
        style = _SEVERITY_STYLE[f.severity]
        out.print(f"  [{style}]{f.severity.value}[/{style}] {f.code}: {f.message}")
    counts = {s: sum(f.severity is s for f in findings) for s in Severity}
    out.print(f"\n{counts[Severity.error]} errors, {counts[Severity.warning]} warnings, "
              f"{counts[Severity.info]} notes")


def main() -> None:
    try:
        app()
    except RocError as exc:
        err.print(f"roc: error: {exc}", markup=False)
        sys.exit(2)
    except BrokenPipeError:  # e.g. `roc lint | head`
        sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()
