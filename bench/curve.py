"""The cost curve: time and peak memory against units, for roc, HiGHS and SCIP, from one run.

    pip install -e '.[test,bench]'
    python -m bench.curve                      # runs bench/test_curve.py, then rewrites the
                                               # curve section of bench/README.md
    python -m bench.curve --report curve.json  # only rewrites it, from a saved run

Every solve runs in a fresh child process (`python -m bench.curve child SOLVER UNITS SEED`), which
builds its model, then solves it, and prints one JSON line: the solve's seconds, the optimum, and
the process's peak resident memory before and after the solve (`ru_maxrss`). A child imports only
its own solver, so each peak is that solver's, Python included. The instances are
`bench/synthetic.py`'s, scaled with the units: a group per 20 units (at least 8), 10 level quotas (3 below 250 units), a barred
pair per 2 units. HiGHS and SCIP minimise GLH only, with a relative gap of 0 (proven optimal);
roc also breaks ties as its answers do, and "highs-answer" is HiGHS asked for fewer units too.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = [50, 100, 250, 500, 1000, 2000, 4000, 8000, 16000]
SEEDS = [0, 1, 2]
# roc "objective": GLH only, as HiGHS and SCIP solve; roc "answer": roc's default tie-breaks (fewer
# units, then reference order up to 200 units), the answer `roc plan` gives; roc "full": the
# complete tie-break at every size (run up to FULL_UP_TO units: see bench/README.md for why);
# "highs-answer": HiGHS asked the fewer-units question too, as a second solve with GLH held at its
# optimum (what a HiGHS user would write to break ties the way roc's answer does above 200 units)
SOLVERS = ["highs", "highs-answer", "scip", "roc-objective", "roc-answer", "roc-full"]
FULL_UP_TO = 2000
TIME_LIMIT = 120.0
START = "<!-- curve: written by python -m bench.curve -->"
END = "<!-- /curve -->"


def instance(units: int, seed: int, family: str = "synthetic"):
    from .families import family_qualification

    return family_qualification(family, units, seed)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _solve_highs(qual, fewer_units: bool = False) -> tuple[float, int | None, str]:
    import highspy
    import numpy as np

    from .milp import build, highs_of

    model = build(qual)
    highs = highs_of(model)  # a proven optimum, as roc's answers are (HiGHS's default gap of 1e-4
    # stops early: 11,167 GLH called optimal at 16,000 units, seed 2, where the optimum is 11,166)
    highs.setOptionValue("time_limit", TIME_LIMIT)
    started = time.perf_counter()
    highs.run()
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    glh = round(highs.getInfo().objective_function_value)
    if fewer_units and optimal:  # hold GLH at its optimum, then fewest units
        n = len(model.refs)
        highs.addRow(-highspy.kHighsInf, glh, n, np.arange(n, dtype=np.int32), model.glh)
        highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.ones(n))
        highs.setOptionValue("time_limit", max(TIME_LIMIT - (time.perf_counter() - started), 1.0))
        highs.run()
        optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    seconds = time.perf_counter() - started
    return seconds, glh, "optimal" if optimal else "not proven"


def _solve_scip(qual) -> tuple[float, int | None, str]:
    from pyscipopt import Model, quicksum

    from .milp import build

    model = build(qual)
    scip = Model()
    scip.hideOutput()
    scip.setParam("limits/time", TIME_LIMIT)
    scip.setParam("limits/gap", 0.0)  # SCIP's default already; said here as for HiGHS
    x = [scip.addVar(vtype="B", lb=lb, obj=g) for lb, g in zip(model.bounds.lb.tolist(), model.glh.tolist())]
    matrix = model.constraint.A.tocsr()
    for row, (lo, hi) in enumerate(zip(model.constraint.lb.tolist(), model.constraint.ub.tolist())):
        terms = quicksum(v * x[c] for c, v in zip(matrix.indices[matrix.indptr[row]:matrix.indptr[row + 1]].tolist(),
                                                  matrix.data[matrix.indptr[row]:matrix.indptr[row + 1]].tolist()))
        scip.addCons(terms >= lo if math.isinf(hi) else (terms <= hi if math.isinf(lo) else (lo <= (terms <= hi))))
    started = time.perf_counter()
    scip.optimize()
    seconds = time.perf_counter() - started
    status = scip.getStatus()
    return seconds, round(scip.getObjVal()) if scip.getNSols() else None, "optimal" if status == "optimal" else "not proven"


def _solve_roc(qual, tie_break: str) -> tuple[float, int | None, str]:
    from models import Objective
    from solver.engine import SolveOptions, TieBreak, compile_qualification, solve_lexicographic

    compiled = compile_qualification(qual)
    options = SolveOptions(tie_break=TieBreak(tie_break), time_limit=TIME_LIMIT)
    started = time.perf_counter()
    outcome = solve_lexicographic(compiled, Objective.parse("minimise glh"), options)
    seconds = time.perf_counter() - started
    glh = None if outcome.values is None else sum(compiled.units[i].glh for i in outcome.values)
    stages = [{"settles": list(s.tiers), "status": s.status.value, "seconds": round(s.seconds, 4)}
              for s in outcome.stages]
    return seconds, glh, "optimal" if outcome.status.value == "optimal" else "not proven", stages


def child(solver: str, units: int, seed: int, family: str = "synthetic") -> dict:
    qual = instance(units, seed, family)
    before = _peak_mb()
    stages: list[dict] = []
    if solver in ("highs", "highs-answer"):
        seconds, glh, status = _solve_highs(qual, fewer_units=solver == "highs-answer")
    elif solver == "scip":
        seconds, glh, status = _solve_scip(qual)
    else:
        seconds, glh, status, stages = _solve_roc(qual, {"roc-objective": "none", "roc-answer": "auto",
                                                         "roc-full": "full"}[solver])
    return {"solver": solver, "family": family, "units": units, "seed": seed, "seconds": seconds, "glh": glh,
            "status": status, "stages": stages,
            "peak_mb": round(_peak_mb(), 1), "peak_before_solve_mb": round(before, 1)}


def run_child(solver: str, units: int, seed: int, family: str = "synthetic") -> dict:
    """One solve in a fresh process; its measurements."""
    done = subprocess.run([sys.executable, "-m", "bench.curve", "child", solver, str(units), str(seed), family],
                          capture_output=True, text=True, cwd=ROOT, timeout=TIME_LIMIT * 4)
    if done.returncode != 0:
        raise RuntimeError(f"{solver} on {family} at {units} units, seed {seed}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the report ---------------------------------------------------------------------------------------
def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def exponent(points: list[tuple[int, float]]) -> float | None:
    """The growth exponent b of seconds ~ a * units^b, by least squares on logs (sizes of 500
    units and more: below, fixed costs dominate)."""
    import numpy as np

    usable = [(u, s) for u, s in points if u >= 500 and s > 0]
    if len(usable) < 2:
        return None
    slope, _ = np.polyfit(np.log([u for u, _ in usable]), np.log([s for _, s in usable]), 1)
    return float(slope)


def report(runs: list[dict]) -> str:
    sizes = sorted({r["units"] for r in runs})
    solvers = [s for s in SOLVERS if any(r["solver"] == s for r in runs)]
    cell: dict[tuple[str, int], list[dict]] = {}
    for r in runs:
        cell.setdefault((r["solver"], r["units"]), []).append(r)
    lines = ["Seconds to a proven optimum (median of the seeds; the range when they differ by more than 10%; the "
             "last columns are how many times faster roc's answer is, above 1.0x):",
             "", "| units | " + " | ".join(solvers) + " | HiGHS / roc answer | highs-answer / roc answer |",
             "|---:|" + "---:|" * (len(solvers) + 2)]
    for units in sizes:
        row = [f"{units:,}"]
        for solver in solvers:
            found = cell.get((solver, units), [])
            if not found:
                row.append("not run")
                continue
            times = [r["seconds"] for r in found]
            text = _seconds(_median(times))
            if max(times) > 1.1 * min(times):
                text += f" ({_seconds(min(times))}-{_seconds(max(times))})"
            unproven = sum(r["status"] != "optimal" for r in found)
            if unproven:
                text += f", {unproven} not proven"
            row.append(text)
        answer = cell.get(("roc-answer", units))
        for other in ("highs", "highs-answer"):
            found = cell.get((other, units))
            row.append(f"{_median([r['seconds'] for r in found]) / _median([r['seconds'] for r in answer]):.1f}x"
                       if answer and found else "")
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Peak resident memory of the solving process, MB (median of the seeds; Python and the "
              "solver's library included):", "", "| units | " + " | ".join(solvers) + " |",
              "|---:|" + "---:|" * len(solvers)]
    for units in sizes:
        row = [f"{units:,}"] + [f"{_median([r['peak_mb'] for r in cell[(s, units)]]):.0f}"
                                if (s, units) in cell else "not run" for s in solvers]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Growth exponent b in seconds ~ units^b (least squares on logs, 500 units and up):", ""]
    for solver in solvers:
        b = exponent([(u, _median([r["seconds"] for r in cell[(solver, u)]])) for u in sizes if (solver, u) in cell])
        lines.append(f"- {solver}: " + ("too few sizes" if b is None else f"{b:.2f}"))
    disagree = [(u, s) for u in sizes for s in SEEDS
                if len({r["glh"] for r in runs if r["units"] == u and r["seed"] == s and r["status"] == "optimal"}) > 1]
    lines += ["", "Every proven optimum agrees across the solvers." if not disagree
              else f"Optima disagree at (units, seed) {disagree}."]
    return "\n".join(lines)


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def runs_from(path: Path) -> list[dict]:
    data = json.loads(path.read_text())
    return [b["extra_info"] for b in data["benchmarks"] if b["name"].startswith("test_curve")]


def write_section(readme: Path, text: str, machine: str, start: str = START, end: str = END) -> None:
    body = readme.read_text()
    if start not in body or end not in body:
        raise SystemExit(f"{readme}: no {start} ... {end} section to write into")
    head, rest = body.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{machine}\n\n{text}\n{end}{tail}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.curve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, help="a saved pytest-benchmark JSON of bench/test_curve.py")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "curve.json")
    parser.add_argument("--readme", type=Path, default=ROOT / "bench" / "README.md")
    args = parser.parse_args(argv)
    source = args.report
    if source is None:
        source = args.json
        subprocess.run([sys.executable, "-m", "pytest", "bench/test_curve.py", "--benchmark-only", "-q",
                        f"--benchmark-json={source}"], cwd=ROOT, check=True)
    data = json.loads(source.read_text())
    machine = data["machine_info"]
    text = report(runs_from(source))
    stamp = (f"Machine: {machine.get('cpu', {}).get('brand_raw', machine.get('processor'))}, "
             f"{machine.get('cpu', {}).get('count', '?')} cores; Python {machine['python_version']}; "
             f"{data['datetime'][:10]}; regenerate with `python -m bench.curve`.")
    write_section(args.readme, text, stamp)
    print(text)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), *sys.argv[5:6])))
    else:
        main()
