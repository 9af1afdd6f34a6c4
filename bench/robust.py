"""roc against HiGHS on every instance family (bench/families.py), worst family first.

    pip install -e '.[test,bench]'
    python -m bench.robust                          # every family at 1,000-16,000 units, then the report
    python -m bench.robust --sizes 1000 4000 --families dense-barred
    python -m bench.robust --report                 # only rewrite bench/README.md from bench/robust.jsonl

Each solve runs in a fresh process (`python -m bench.curve child ...`, see bench/curve.py), one
after another, with a 120 s limit; results are appended to bench/robust.jsonl as they come, so a run
that is stopped keeps what it measured. The solvers: `highs` (highspy, GLH only, relative gap 0,
its default heuristics and presolve: its best settings on these models, see bench/README.md),
`roc-objective` (CP-SAT, GLH only, roc's settings) and `roc-answer` (what `roc plan` answers: GLH,
then fewest units, the tie-break bounded by twice the objective's time).

The targets (issue 24): the objective proven in no more than HiGHS's time; the default answer
proven within 3x HiGHS's objective time; peak memory at most 1.5x HiGHS's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from .curve import ROOT, TIME_LIMIT, run_child, write_section
from .families import NAMES

SIZES = [1000, 2000, 4000, 8000, 16000]
SOLVERS = ["highs", "roc-objective", "roc-answer"]
START = "<!-- robust: written by python -m bench.robust -->"
END = "<!-- /robust -->"
RESULTS = ROOT / "bench" / "robust.jsonl"


def run(families: list[str], sizes: list[int], seed: int, out: Path, solvers: list[str] = SOLVERS) -> None:
    for units in sizes:
        for family in families:
            for solver in solvers:
                found = run_child(solver, units, seed, family)
                with out.open("a") as f:
                    f.write(json.dumps(found) + "\n")
                print(f"{family:18} {units:>6} {solver:14} {found['seconds']:8.2f} s  {found['status']:11} "
                      f"glh {found['glh']}  {found['peak_mb']:.0f} MB", flush=True)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def report(runs: list[dict]) -> str:
    latest: dict[tuple[str, int, str], dict] = {}
    for r in runs:  # a later run of the same solve replaces an earlier one
        latest[(r["family"], r["units"], r["solver"])] = r
    sizes = sorted({u for _, u, _ in latest})
    families = sorted({f for f, _, _ in latest})
    lines = ["Each cell: roc's time / HiGHS's objective time (below 1.0x: roc is faster); **bold** where a target "
             "is missed; \"not proven\" where the solve ran out of its 120 s. Worst family first in each size.", "",
             "| units | family | HiGHS objective | roc objective | ratio (target ≤ 1.0x) | roc answer | ratio "
             "(target ≤ 3.0x) | memory roc / HiGHS (target ≤ 1.5x) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    worst: dict[str, float] = {"objective": 0.0, "answer": 0.0, "memory": 0.0}
    disagree = []
    for units in sizes:
        rows = []
        for family in families:
            h, o, a = (latest.get((family, units, s)) for s in SOLVERS)
            if not (h and o and a):
                continue
            ratios = {"objective": o["seconds"] / h["seconds"], "answer": a["seconds"] / h["seconds"],
                      "memory": o["peak_mb"] / h["peak_mb"]}
            for key, value in ratios.items():
                if h["status"] == "optimal" or key == "memory":
                    worst[key] = max(worst[key], value)
            proven = {r["glh"] for r in (h, o) if r["status"] == "optimal"}
            objective_stage = (a.get("stages") or [{}])[0]
            if objective_stage.get("status") == "optimal":
                proven.add(a["glh"])
            if len(proven) > 1:
                disagree.append((family, units))

            def shown(r: dict, stage_note: bool = False) -> str:
                text = _seconds(r["seconds"])
                if r["status"] != "optimal":
                    stage = (r.get("stages") or [{}])[0]
                    text += (", GLH proven, tie-break not" if stage_note and stage.get("status") == "optimal"
                             else ", not proven")
                return text

            def ratio(value: float, target: float, timed: bool = True) -> str:
                if timed and h["status"] != "optimal":  # HiGHS ran out of time too: no ratio to speak of
                    return "neither proven"
                return f"**{value:.1f}x**" if value > target else f"{value:.1f}x"

            rows.append((max(ratios["objective"], ratios["answer"] / 3),
                         f"| {units:,} | {family} | {shown(h)} | {shown(o)} | {ratio(ratios['objective'], 1.0)} | "
                         f"{shown(a, True)} | {ratio(ratios['answer'], 3.0)} | {ratio(ratios['memory'], 1.5, timed=False)} |"))
        lines += [text for _, text in sorted(rows, reverse=True)]
    lines += ["", f"Worst over every family and size HiGHS proves: objective {worst['objective']:.1f}x HiGHS, answer "
              f"{worst['answer']:.1f}x HiGHS's objective time; memory {worst['memory']:.1f}x HiGHS's at worst. "
              "Where neither proves the optimum in 120 s, the best GLH each found is in bench/robust.jsonl.", "",
              "Every proven optimum agrees across the solvers." if not disagree
              else f"Proven optima disagree on {disagree}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.robust", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--families", nargs="+", default=NAMES, choices=NAMES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--solvers", nargs="+", default=SOLVERS, choices=SOLVERS,
                        help="run only these (a later run of a solve replaces the earlier in the report)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--readme", type=Path, default=ROOT / "bench" / "README.md")
    parser.add_argument("--report", action="store_true", help="only rewrite the README section from --results")
    args = parser.parse_args(argv)
    if not args.report:
        run(args.families, args.sizes, args.seed, args.results, args.solvers)
    runs = [json.loads(line) for line in args.results.read_text().splitlines() if line.strip()]
    text = report(runs)
    stamp = (f"Machine: {cpu_name()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
             f"{time.strftime('%Y-%m-%d')}; seed {args.seed}; {TIME_LIMIT:.0f} s a solve; "
             "regenerate with `python -m bench.robust`.")
    write_section(args.readme, text, stamp, START, END)
    print(text)


if __name__ == "__main__":
    main()
