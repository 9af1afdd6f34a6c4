"""Results as text for a person: rich tables and sentences. Each renderer takes a result model
and prints it; none computes anything."""

from __future__ import annotations

from rich.table import Table

from models import Finding, Qualification, Severity, Status

from ..report.words import measure_word, plural, restriction_sentences, rule_lines, stage_sentence
from ..service import (
    Alternatives,
    AlternativesMode,
    CheckResult,
    CountResult,
    Plan,
    RestrictionCost,
    TransferResult,
)
from .common import out
from .formats import print_rows

STATUS_WORDS = {
    Status.optimal: "[green]optimal[/green] (proven)",
    Status.feasible: "[yellow]feasible[/yellow]: the time limit stopped the proof; a better set may exist",
    Status.infeasible: "[red]infeasible[/red]: no set of units satisfies the rules and choices",
    Status.unknown: "[red]unknown[/red]: stopped before finding a valid set or proving there is none",
    Status.error: "[red]error[/red]: could not be run",
}
_SEVERITY_STYLE = {Severity.error: "red", Severity.warning: "yellow", Severity.info: "cyan"}

MONEY_FIELDS = ("funding_rate", "funding_per_glh", "cost_per_learner", "margin_per_learner", "margin_per_class")



UNIT_COLUMNS = [("ref", "ref"), ("title", "title"), ("level", "level"), ("credits", "credits"), ("glh", "GLH"),
                ("tqt", "TQT"), ("groups", "group")]


def _unit_rows(units) -> list[dict]:
    return [{"ref": str(u.ref), "title": u.title, "level": u.level if isinstance(u.level, str) else u.level.label,
             "credits": u.credits, "glh": u.glh, "tqt": u.tqt,
             "groups": ", ".join(u.groups) if hasattr(u, "groups") else ""} for u in units]


def render_qualification(q: Qualification) -> None:
    out.print(f"[bold]{q.number}[/bold] {q.title}")
    out.print(f"awarder {q.awarder}; {q.level.label}; source: {q.source}")
    published = q.published.model_dump(exclude_none=True)
    out.print("published: " + (", ".join(f"{k} {v}" for k, v in published.items()) or "nothing"))
    rows = _unit_rows(q.units)
    for row, u in zip(rows, q.units):
        row["groups"] = ", ".join(q.groups_of(u.ref))
    print_rows(out, rows, UNIT_COLUMNS, "units")
    out.print("[bold]rules of combination[/bold] (in brackets: the key check, conflicts and what-if use)")
    for line in rule_lines(q):
        tail = (rf"\[{line.key}]" if line.key else
                "(names a unit outside the qualification, or one unit twice: does not bind)")
        out.print(f"  {'barred: ' if line.barred else ''}{line.text}   [dim]{tail}[/dim]")
    for c in q.corrections:
        out.print(f"  correction {c.field}: printed {c.printed!r}, roc uses {c.value!r}")


def render_plan(result: Plan) -> None:
    out.print(f"[bold]{result.qualification}[/bold] {result.title}: {result.goal}")
    if result.targets:
        out.print("with " + "; ".join(t.replace("target ", "total ", 1) for t in result.targets), markup=False)
    for note in result.notes:
        out.print(f"  note: {note.message}")
    if result.detail:
        print_rows(out, _unit_rows(result.detail), UNIT_COLUMNS)
        out.print(f"total: {plural(len(result.detail), 'unit')}, {result.credits} credits, {result.glh} GLH, "
                  f"{result.tqt} TQT")
    out.print(f"status: {STATUS_WORDS[result.status]}; solved in {result.solve_seconds * 1000:.1f} ms")
    stages = stage_sentence(result)
    if stages:
        out.print(f"[yellow]tie-break not proven[/yellow]: {stages}")
    if result.restriction is not None:
        _render_restriction(result.restriction)
    if result.conflict:
        out.print("these rules and choices cannot all hold (drop any one and the rest can):")
        for item in result.conflict:
            out.print(f"  - {item.message}")


def _render_restriction(r: RestrictionCost) -> None:
    for sentence in restriction_sentences(r):
        out.print(sentence, markup=False)


def render_alternatives(many: Alternatives) -> None:
    mode = f"top {many.k}" if many.mode is AlternativesMode.top else many.mode.value
    out.print(f"[bold]{many.qualification}[/bold] {many.title}: {many.goal}, {mode}")
    if not many.plans:
        out.print("no valid set meets the rules, choices, restrictions and targets"
                  + (" (proven)" if many.complete else ": a time limit stopped the search before one was found"))
        return
    rows = [{"rank": n, "glh": p.glh, "tqt": p.tqt, "credits": p.credits, "units": " ".join(p.units)}
            for n, p in enumerate(many.plans, 1)]
    print_rows(out, rows, [("rank", "#"), ("glh", "GLH"), ("tqt", "TQT"), ("credits", "credits"), ("units", "units")])
    shown = plural(len(many.plans), "set")
    if many.complete:
        out.print(f"{shown}, each proven in its place" if many.mode is AlternativesMode.top
                  else f"{shown}: every optimal set (proven)")
    else:
        out.print(f"{shown}: [yellow]incomplete[/yellow], a time or size limit stopped the search")


def render_check(result: CheckResult) -> None:
    out.print(f"[bold]{result.qualification}[/bold] {result.title}")
    out.print(f"{plural(len(result.units), 'unit')}: {result.credits} credits, {result.glh} GLH, {result.tqt} TQT")
    for note in result.notes:
        out.print(f"  note: {note.message}")
    if result.valid:
        out.print("[green]valid[/green]: every rule of combination is met")
        return
    out.print(f"[red]not valid[/red]: {plural(len(result.violations), 'rule')} broken")
    for v in result.violations:
        out.print(f"  - {v.message}")


def render_count(result: CountResult) -> None:
    out.print(f"[bold]{result.qualification}[/bold] {result.title}")
    if result.exact:
        out.print(f"exactly {result.count:,} valid unit set{'s' if result.count != 1 else ''} "
                  f"({result.solve_seconds:.2f} s)")
    else:
        why = (f"stopped at the limit of {result.limit:,} sets; --limit N counts further"
               if result.stopped == "set limit" else "stopped by the time limit")
        out.print(f"[yellow]at least[/yellow] {result.count:,} valid unit sets: a lower bound ({why}; "
                  f"{result.solve_seconds:.2f} s)")
    if result.distribution:
        table = Table()
        table.add_column(measure_word(result.by or ""), justify="right")
        table.add_column("sets", justify="right")
        table.add_column("")
        peak = max(b.count for b in result.distribution)
        for bucket in result.distribution:
            table.add_row(str(bucket.value), str(bucket.count), "#" * max(1, round(40 * bucket.count / peak)))
        out.print(table)


def render_findings(findings: list[Finding]) -> None:
    current = object()
    for f in findings:
        if f.qualification != current:
            current = f.qualification
            out.print(f"\n[bold]{f.qualification or 'across the catalogue'}[/bold]")
        style = _SEVERITY_STYLE[f.severity]
        out.print(f"  [{style}]{f.severity.value}[/{style}] {f.code}: {f.message}")
    counts = {s: sum(f.severity is s for f in findings) for s in Severity}
    out.print(f"\n{plural(counts[Severity.error], 'error')}, {plural(counts[Severity.warning], 'warning')}, "
              f"{plural(counts[Severity.info], 'note')}")


def render_transfer(result: TransferResult) -> None:
    out.print(f"[bold]{result.target}[/bold] {result.title}: {result.goal}")
    for note in result.notes:
        out.print(f"  note: {note.message}")
    if result.mapping:
        rows = [{"achieved": " + ".join(m.achieved), "target_unit": m.target_unit, "title": m.target_title,
                 "groups": ", ".join(m.groups), "via": m.via, "credits": m.credits, "glh_saved": m.glh_saved}
                for m in result.mapping]
        print_rows(out, rows, [("achieved", "achieved"), ("target_unit", "counts as"), ("title", "title"),
                               ("groups", "group"), ("via", "via"), ("credits", "credits"),
                               ("glh_saved", "GLH saved")], "credit transferred")
    if result.not_transferred:
        out.print("not transferred:")
        for n in result.not_transferred:
            out.print(f"  - {n.ref}: {n.reason}")
    if result.to_take:
        print_rows(out, _unit_rows(result.to_take), UNIT_COLUMNS, "still to take")
    if result.glh_to_deliver is not None:
        out.print(f"credit carried: {result.credit_carried}; still to deliver: {result.glh_to_deliver} GLH, "
                  f"{result.tqt_to_deliver} TQT ({plural(len(result.to_take), 'unit')}); whole set {result.credits_total} "
                  f"credits, {result.glh_total} GLH")
    out.print(f"status: {STATUS_WORDS[result.status]}; solved in {result.solve_seconds * 1000:.1f} ms")
    for item in result.conflict:
        out.print(f"  - {item.message}")
