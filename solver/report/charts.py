"""Charts for people who would rather look than read: static SVG or PNG files (matplotlib, drawn
offline with no display), written whole like every other output.

- `count --by glh --chart`: how the valid sets spread over GLH (TQT, credits);
- `compare --chart`: each qualification's achievable GLH range, the published figure marked;
- `whatif summarise --chart`: each qualification and goal, the range of the objective across
  the scenarios with the baseline marked.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from models import InputError

from .files import write_file
from .words import measure_word

FORMATS = {".svg": "svg", ".png": "png"}


def _figure(height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "roc"  # the same input draws the same file
    plt.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, and smaller
    plt.rcParams["text.parse_math"] = False  # a title or awarder with $...$ in it is words, not maths
    plt.rcParams["text.usetex"] = False
    return plt, *plt.subplots(figsize=(8, max(2.5, height)))


def _drawn(plt, figure, kind: str) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format=kind, metadata={"Date": None} if kind == "svg" else None, dpi=120)
    plt.close(figure)
    return buffer.getvalue()


def _save(plt, figure, path: Path) -> None:
    write_file(path, _drawn(plt, figure, FORMATS[path.suffix.lower()]))


def check_chart_path(path: Path) -> None:
    if path.suffix.lower() not in FORMATS:
        raise InputError("a chart is written as .svg or .png: give a name ending in one", file=str(path))


def count_chart(result, path: Path) -> None:
    """Bars: valid sets at each value of the measure."""
    check_chart_path(path)
    if not result.distribution:
        raise InputError("a chart needs the count by glh, tqt or credits: it shows how the sets spread", field="chart")
    plt, figure, axes = _figure(3.5)
    values = [b.value for b in result.distribution]
    axes.bar(values, [b.count for b in result.distribution], width=0.8, color="#3b6ea8")
    measure = measure_word(result.by or "")
    axes.set_xlabel(measure)
    axes.set_ylabel("valid unit sets")
    bound = "" if result.exact else " (at least: the count stopped at a limit)"
    axes.set_title(f"{result.qualification}: {result.count:,} valid unit sets by {measure}{bound}", fontsize=10)
    _save(plt, figure, path)


def _published(text) -> tuple[int, int] | None:
    numbers = [int(n) for n in re.findall(r"\d+", str(text or ""))]
    return (min(numbers), max(numbers)) if numbers else None


def compare_chart(rows: list[dict], path: Path) -> None:
    """`compare_drawing` written to `path` (.svg or .png)."""
    check_chart_path(path)
    write_file(path, compare_drawing(rows, FORMATS[path.suffix.lower()]))


def compare_drawing(rows: list[dict], kind: str = "svg") -> bytes:
    """A bar per qualification from its minimum to its maximum achievable GLH; the published GLH
    (a point or a range) marked in orange."""
    plt, figure, axes = _figure(0.6 * len(rows) + 1.2)
    labels = [f"{r['number']} {r['awarder']}" for r in rows]
    for y, row in enumerate(rows):
        if row["min_glh"] is not None and row["max_glh"] is not None:
            axes.barh(y, row["max_glh"] - row["min_glh"] or 1.5, left=row["min_glh"], height=0.5, color="#3b6ea8",
                      label="achievable GLH" if y == 0 else None)
        published = _published(row.get("published_glh"))
        if published:
            axes.plot(list(published), [y, y], marker="D", markersize=7, color="#e07b00", linewidth=3,
                      label="published GLH" if y == 0 else None)
    axes.set_yticks(range(len(rows)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("GLH")
    axes.set_title("Achievable GLH range against the published figure", fontsize=10)
    axes.legend(fontsize=8, loc="lower right")
    return _drawn(plt, figure, kind)


def money_drawing(rows: list[dict], kind: str = "svg") -> bytes:
    """Per qualification: what one learner brings (the LARS rate) against what teaching them the
    minimum-GLH plan costs, in pounds; a qualification with no rate shows its cost alone."""
    shown = [r for r in rows if r.get("funding_rate") is not None or r.get("cost_per_learner") is not None]
    if not shown:
        raise InputError("no funding rate or cost to chart: give a LARS overlay or a cost per GLH and class size")
    plt, figure, axes = _figure(0.7 * len(shown) + 1.2)
    for y, row in enumerate(shown):
        if row.get("funding_rate") is not None:
            axes.barh(y - 0.18, row["funding_rate"], height=0.34, color="#1c7c3c", label="funding" if y == 0 else None)
        if row.get("cost_per_learner") is not None:
            axes.barh(y + 0.18, row["cost_per_learner"], height=0.34, color="#b3261e",
                      label="cost of the minimum-GLH plan" if y == 0 else None)
    axes.set_yticks(range(len(shown)), [f"{r['number']} {r['awarder']}" for r in shown], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("pounds per learner")
    axes.set_title("Funding against cost, per learner", fontsize=10)
    axes.legend(fontsize=8, loc="lower right")
    return _drawn(plt, figure, kind)


def whatif_chart(summary, path: Path) -> None:
    """`whatif_drawing` written to `path` (.svg or .png)."""
    check_chart_path(path)
    write_file(path, whatif_drawing(summary, FORMATS[path.suffix.lower()]))


def whatif_drawing(summary, kind: str = "svg") -> bytes:
    """A bar per qualification and goal over the objective's range across scenarios; the baseline
    marked."""
    goals = [g for g in summary.goals if g.lowest is not None]
    if not goals:
        raise InputError("no scenario in the results has an objective value to chart", file=summary.results)
    plt, figure, axes = _figure(0.6 * len(goals) + 1.2)
    for y, goal in enumerate(goals):
        axes.barh(y, (goal.highest - goal.lowest) or 0.5, left=goal.lowest, height=0.5, color="#3b6ea8",
                  label="range over the scenarios" if y == 0 else None)
        if goal.baseline is not None:
            axes.plot([goal.baseline], [y], marker="D", color="#e07b00", label="baseline" if y == 0 else None)
    axes.set_yticks(range(len(goals)), [f"{g.qualification} {g.goal}" for g in goals], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("objective (GLH, TQT or credits, as the goal says)")
    axes.set_title(f"What-if: {sum(g.scenarios for g in summary.goals):,} scenarios", fontsize=10)
    axes.legend(fontsize=8, loc="lower right")
    return _drawn(plt, figure, kind)
