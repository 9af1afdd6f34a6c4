"""The `roc` command line: parse arguments, call the Python API, render. Nothing more."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from models import Finding, InputError, Qualification, RocError, Severity

from .results import Alternatives, CheckResult, Measure, Objective, Plan, Sense, Status, TransferResult
from .tables import Format, render
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
        groups = ", ".join(q.groups_of(u.ref))
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


# -- transfer, transfer-matrix, compare -------------------------------------------------------------
FormatOpt = Annotated[Format, typer.Option("--format", help="table, csv, json or markdown")]


def _equivalences(files: list[Path]):
    from catalog import load_equivalences

    declared = list(load_equivalences().equivalences)
    for path in files:
        declared += load_equivalences(path).equivalences
    return declared


@app.command()
def transfer(
    to: Annotated[str, typer.Option("--to", help="the target qualification (number or file)")],
    refs: Annotated[Optional[list[str]], typer.Argument(help="achieved unit references", metavar="[REF]...")] = None,
    achieved: Annotated[list[str], typer.Option("--achieved", help="achieved units: --achieved A B C")] = [],
    record: Annotated[Optional[Path], typer.Option("--record", help="a learner record: YAML, JSON or CSV")] = None,
    equivalences: Annotated[list[Path], typer.Option("--equivalences", help="a file of declared "
                                                     "equivalences, added to the catalogue's")] = [],
    minimise: Annotated[Measure, typer.Option("--minimise", "--minimize", help="glh or tqt still to deliver")] = Measure.glh,
    time_limit: Annotated[Optional[float], typer.Option(help="seconds")] = None,
    as_json: JsonOpt = False,
) -> None:
    """What a learner's achieved units carry into another qualification, and the cheapest way to finish it."""
    from catalog import load_learner_record

    from .transfer import transfer as run_transfer

    if minimise is Measure.credits:
        raise typer.BadParameter("transfer minimises glh or tqt still to deliver")
    from .check import parse_units

    units: list = parse_units(list(achieved) + list(refs or []), "--achieved")
    if record is not None:
        units += load_learner_record(record).achieved
    if not units:
        raise InputError("no achieved units: use --achieved REF [REF ...] or --record FILE")
    result = run_transfer(_resolve(to), units, _equivalences(equivalences), f"minimise {minimise.value}",
                          SolveOptions(time_limit=time_limit))
    if as_json:
        _emit_json(result.model_dump(mode="json"))
    else:
        render_transfer(result)
    raise typer.Exit(0 if result.status in (Status.optimal, Status.feasible) else 1)


def render_transfer(result: TransferResult) -> None:
    out.print(f"[bold]{result.target}[/bold] {result.title}: {result.goal}")
    for note in result.notes:
        out.print(f"  note: {note.message}")
    if result.mapping:
        table = Table(title="credit transferred")
        for name in ("achieved", "counts as", "title", "group", "via", "credits", "GLH saved"):
            table.add_column(name, justify="right" if name in ("credits", "GLH saved") else "left")
        for m in result.mapping:
            table.add_row(" + ".join(m.achieved), m.target_unit, m.target_title, ", ".join(m.groups), m.via,
                          str(m.credits), str(m.glh_saved))
        out.print(table)
    if result.not_transferred:
        out.print("not transferred:")
        for n in result.not_transferred:
            out.print(f"  - {n.ref}: {n.reason}")
    if result.to_take:
        table = Table(title="still to take")
        for name in ("ref", "title", "level", "credits", "GLH", "TQT", "group"):
            table.add_column(name, justify="right" if name in ("credits", "GLH", "TQT") else "left", no_wrap=name == "ref")
        for u in result.to_take:
            table.add_row(u.ref, u.title, u.level, str(u.credits), str(u.glh), str(u.tqt), ", ".join(u.groups))
        out.print(table)
    if result.glh_to_deliver is not None:
        out.print(f"credit carried: {result.credit_carried}; still to deliver: {result.glh_to_deliver} GLH, "
                  f"{result.tqt_to_deliver} TQT ({len(result.to_take)} units); whole set {result.credits_total} "
                  f"credits, {result.glh_total} GLH")
    out.print(f"status: {_STATUS_WORDS[result.status]}; solved in {result.solve_seconds * 1000:.1f} ms")
    for item in result.conflict:
        out.print(f"  - {item.message}")


QualsArg = Annotated[Optional[list[str]], typer.Argument(help="qualification numbers or files (default: the "
                                                              "whole catalogue)", metavar="[QUAL]...")]


@app.command("transfer-matrix")
def transfer_matrix(
    quals: QualsArg = None,
    equivalences: Annotated[list[Path], typer.Option("--equivalences", help="extra declared equivalences")] = [],
    fmt: FormatOpt = Format.table,
) -> None:
    """For every ordered pair: GLH still to deliver in the target after the source's minimum-GLH
    plan, and after every unit of the source."""
    from .transfer import transfer_matrix as matrix

    cells = matrix(_catalog().resolve_all(quals or []), _equivalences(equivalences))
    rows = [c.model_dump(mode="json") for c in cells]
    columns = [("source", "source"), ("target", "target"), ("target_min_glh", "target min GLH"),
               ("from_min_plan", "to deliver after source's min-GLH plan"),
               ("from_all_units", "to deliver after every source unit"), ("status", "status")]
    text = render(rows, columns, fmt, "GLH still to deliver after transfer", out)
    if text is not None:
        sys.stdout.write(text + "\n")


@app.command()
def compare(quals: QualsArg = None, fmt: FormatOpt = Format.table) -> None:
    """One row per qualification: achievable GLH and TQT against what is published, valid sets,
    and data findings."""
    from .compare import compare as run_compare

    rows = [r.model_dump(mode="json") for r in run_compare(_catalog().resolve_all(quals or []))]
    for row in rows:
        used, printed = row["published_tqt_used"], row["published_tqt"]
        row["published_tqt_text"] = printed if used == printed else f"{printed} (roc uses {used})"
    columns = [("awarder", "awarder"), ("number", "number"), ("title", "title"), ("level", "level"),
               ("credits", "credits"), ("min_glh", "min GLH"), ("max_glh", "max GLH"),
               ("published_glh", "published GLH"), ("min_tqt", "min TQT"),
               ("published_tqt_text", "published TQT"), ("valid_sets", "valid sets"),
               ("findings", "findings")]
    text = render(rows, columns, fmt, "roc compare: achievable against published", out)
    if text is not None:
        sys.stdout.write(text + "\n")


# -- whatif -------------------------------------------------------------------------------------------
whatif = typer.Typer(no_args_is_help=True, help="Batch what-if analysis: build scenario grids and run them.")
app.add_typer(whatif, name="whatif")


@whatif.command("expand")
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
    from models import Scenario

    from .expand import expand, parse_percent_range

    objectives = objective or ["minimise glh"]
    for text in objectives:
        try:
            Scenario(id="x", qualification="x", objective=text)
        except Exception:
            raise typer.BadParameter(f"{text!r}: expected e.g. 'minimise glh' or 'maximise glh'") from None
    percents = parse_percent_range(glh_percent) if glh_percent else []
    count = 0
    with out_path.open("w", encoding="utf-8") as sink:
        for entry in expand(_catalog().resolve_all(quals or []), objectives, withdraw_each, percents, cross):
            sink.write(json.dumps(entry, separators=(",", ":")) + "\n")
            count += 1
    err.print(f"wrote {count} scenarios to {out_path}")


@whatif.command("run")
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
    from .batch import run_batch

    if backend not in ("local", "ray"):
        raise typer.BadParameter(f"{backend!r}: expected local or ray")
    summary = run_batch(scenarios, out_path, workers=workers or (os.cpu_count() or 1), backend=backend,
                        address=address, options=SolveOptions(time_limit=time_limit), progress=progress)
    statuses = ", ".join(f"{status} {n}" for status, n in sorted(summary.statuses.items()))
    err.print(f"{summary.written} results written to {summary.out} ({statuses or 'none'}); "
              f"{summary.skipped} already there; {summary.seconds:.1f} s, {summary.rate:.0f} scenarios/s")
    if summary.interrupted:
        err.print("interrupted: every result written so far is kept; run the same command again to resume")
        raise typer.Exit(130)


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
