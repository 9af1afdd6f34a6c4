"""Results as text for a person: rich tables and sentences. Each renderer takes a result model
and prints it; none computes anything."""

from __future__ import annotations

from rich.table import Table

from models import BarredRule, Finding, LinearRule, Qualification, RuleKind, Severity, Status

from ..analysis.results import Alternatives, AlternativesMode, CheckResult, CountResult, Plan, TransferResult
from .common import out

STATUS_WORDS = {
    Status.optimal: "[green]optimal[/green] (proven)",
    Status.feasible: "[yellow]feasible[/yellow]: the time limit stopped the proof; a better set may exist",
    Status.infeasible: "[red]infeasible[/red]: no set of units satisfies the rules and choices",
    Status.unknown: "[red]unknown[/red]: stopped before finding a valid set or proving there is none",
}
_SEVERITY_STYLE = {Severity.error: "red", Severity.warning: "yellow", Severity.info: "cyan"}
_UNIT_COLUMNS = ("ref", "title", "level", "credits", "GLH", "TQT", "group")


def _unit_table(title: str | None = None) -> Table:
    table = Table(title=title)
    for name in _UNIT_COLUMNS:
        table.add_column(name, justify="right" if name in ("credits", "GLH", "TQT") else "left",
                         no_wrap=name == "ref")
    return table


def render_qualification(q: Qualification) -> None:
    out.print(f"[bold]{q.number}[/bold] {q.title}")
    out.print(f"awarder {q.awarder}; {q.level.label}; source: {q.source}")
    published = q.published.model_dump(exclude_none=True)
    out.print("published: " + (", ".join(f"{k} {v}" for k, v in published.items()) or "nothing"))
    table = _unit_table("units")
    for u in q.units:
        table.add_row(str(u.ref), u.title, u.level.label, str(u.credits), str(u.glh), str(u.tqt),
                      ", ".join(q.groups_of(u.ref)))
    out.print(table)
    out.print("[bold]rules of combination[/bold] (in brackets: the key check, conflicts and what-if use)")
    for rule in q.rules:
        if isinstance(rule, BarredRule) or (isinstance(rule, LinearRule) and rule.is_open
                                            and rule.kind is not RuleKind.credits):
            continue  # barred pairs are shown as printed, below; open bounds say nothing
        out.print(f"  {rule.text}   [dim]\\[{rule.key}][/dim]")
    binding = {frozenset(u.ref.digits for u in rule.units): rule.key for rule in q.rules
               if isinstance(rule, BarredRule)}
    for pair in q.barred:
        key = binding.get(frozenset(ref.digits for ref in pair.units))
        tail = rf"\[{key}]" if key else "(names a unit outside the qualification, or one unit twice: does not bind)"
        out.print(f"  barred: {pair.units[0].printed} may not be taken with {pair.units[1].printed}   "
                  f"[dim]{tail}[/dim]")
    for c in q.corrections:
        out.print(f"  correction {c.field}: printed {c.printed!r}, roc uses {c.value!r}")


def render_plan(result: Plan) -> None:
    out.print(f"[bold]{result.qualification}[/bold] {result.title}: {result.goal}")
    for note in result.notes:
        out.print(f"  note: {note.message}")
    if result.detail:
        table = _unit_table()
        for u in result.detail:
            table.add_row(u.ref, u.title, u.level, str(u.credits), str(u.glh), str(u.tqt), ", ".join(u.groups))
        table.add_section()
        table.add_row("total", f"{len(result.detail)} units", "", str(result.credits), str(result.glh),
                      str(result.tqt), "")
        out.print(table)
    out.print(f"status: {STATUS_WORDS[result.status]}; solved in {result.solve_seconds * 1000:.1f} ms")
    if result.conflict:
        out.print("these rules and choices cannot all hold (drop any one and the rest can):")
        for item in result.conflict:
            out.print(f"  - {item.message}")


def render_alternatives(many: Alternatives) -> None:
    mode = f"top {many.k}" if many.mode is AlternativesMode.top else many.mode.value
    out.print(f"[bold]{many.qualification}[/bold] {many.title}: {many.goal}, {mode}")
    table = Table()
    for name in ("#", "GLH", "TQT", "credits", "units"):
        table.add_column(name, justify="left" if name == "units" else "right")
    for n, p in enumerate(many.plans, 1):
        table.add_row(str(n), str(p.glh), str(p.tqt), str(p.credits), " ".join(p.units))
    out.print(table)
    shown = f"{len(many.plans)} set{'s' if len(many.plans) != 1 else ''}"
    if many.complete:
        out.print(f"{shown}, each proven in its place" if many.mode is AlternativesMode.top
                  else f"{shown}: every optimal set (proven)")
    else:
        out.print(f"{shown}: [yellow]incomplete[/yellow], a time or size limit stopped the search")


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
        table.add_column(result.by.upper() if result.by != "credits" else "credits", justify="right")
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
    out.print(f"\n{counts[Severity.error]} errors, {counts[Severity.warning]} warnings, "
              f"{counts[Severity.info]} notes")


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
        table = _unit_table("still to take")
        for u in result.to_take:
            table.add_row(u.ref, u.title, u.level, str(u.credits), str(u.glh), str(u.tqt), ", ".join(u.groups))
        out.print(table)
    if result.glh_to_deliver is not None:
        out.print(f"credit carried: {result.credit_carried}; still to deliver: {result.glh_to_deliver} GLH, "
                  f"{result.tqt_to_deliver} TQT ({len(result.to_take)} units); whole set {result.credits_total} "
                  f"credits, {result.glh_total} GLH")
    out.print(f"status: {STATUS_WORDS[result.status]}; solved in {result.solve_seconds * 1000:.1f} ms")
    for item in result.conflict:
        out.print(f"  - {item.message}")
