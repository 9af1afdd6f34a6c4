"""Turn a pytest-benchmark JSON file into the markdown table of bench/README.md.

    pytest bench/test_bench.py --benchmark-only --benchmark-json=bench/results.json -k "not cohort"
    pytest bench/test_catalogue.py --benchmark-only --benchmark-json=bench/catalogue.json
    python -m bench.report bench/results.json bench/catalogue.json
"""

from __future__ import annotations

import json
import sys


def main(*paths: str) -> None:
    """The tables of one or more runs (a benchmark in a later file replaces one of the same name)."""
    runs = [json.loads(open(path).read()) for path in paths]
    data = runs[0]
    rows = {b["name"]: b for run in runs for b in run["benchmarks"]}
    machine = data["machine_info"]
    print(f"Machine: {machine.get('cpu', {}).get('brand_raw', machine.get('processor'))}, "
          f"{machine.get('cpu', {}).get('count', '?')} cores; Python {machine['python_version']}; "
          f"{data['datetime'][:10]}\n")
    print("| benchmark | median | mean | rounds | note |")
    print("|---|---:|---:|---:|---|")
    for name, b in rows.items():
        stats = b["stats"]
        note = ", ".join(f"{k} {v}" for k, v in b.get("extra_info", {}).items())
        print(f"| {name} | {_time(stats['median'])} | {_time(stats['mean'])} | {stats['rounds']} | {note} |")
    print("\n| seed | roc template | roc, CP-SAT alone | scipy milp (HiGHS) | speed-up (template) | speed-up (CP-SAT) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, b in rows.items():
        if name.startswith("test_plan_seed_template["):
            seed = name[name.index("[") + 1:-1]
            milp, cp_sat = rows.get(f"test_plan_seed_scipy_milp[{seed}]"), rows.get(f"test_plan_seed_template_cp_sat[{seed}]")
            if milp and cp_sat:
                m, t, c = milp["stats"]["median"], b["stats"]["median"], cp_sat["stats"]["median"]
                print(f"| {seed} | {_time(t)} | {_time(c)} | {_time(m)} | {m / t:.1f}x | {m / c:.1f}x |")


    _count_table(rows)
    _whatif_table(rows)
    _catalogue_table(rows)


def _catalogue_table(rows: dict) -> None:
    found = [(name, b) for name, b in rows.items() if name.startswith(("test_compare_catalogue[", "test_transfer_matrix_sample["))]
    if not found:
        return
    print("\n| whole catalogue | where | items | seconds | per second |")
    print("|---|---|---:|---:|---:|")
    for name, b in found:
        what = "compare, 1,000 qualifications" if name.startswith("test_compare") else "transfer matrix, 2,000 sampled pairs"
        info = b["extra_info"]
        items = info.get("qualifications", info.get("pairs"))
        where = name[name.index("[") + 1:-1] + (f" (started in {info['ray_start_seconds']} s before)"
                                                 if "ray_start_seconds" in info else "")
        print(f"| {what} | {where} | {items:,} | {b['stats']['median']:.1f} | {info['per_second']:,} |")


def _count_table(rows: dict) -> None:
    pairs = [(name[len("test_count_seed["):-1].split("-")[0], b) for name, b in rows.items()
             if name.startswith("test_count_seed[") and name.endswith("-layered]")]
    if not pairs:
        return
    print("\n| seed | count, layered | count, CP-SAT | speed-up | all-optimal, layered | all-optimal, CP-SAT | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for seed, b in pairs:
        cp_sat = rows.get(f"test_count_seed[{seed}-cp_sat]")
        fast_all, slow_all = rows.get(f"test_all_optimal_seed[{seed}-layered]"), rows.get(f"test_all_optimal_seed[{seed}-cp_sat]")
        if not (cp_sat and fast_all and slow_all):
            continue
        f, c = b["stats"]["median"], cp_sat["stats"]["median"]
        fa, ca = fast_all["stats"]["median"], slow_all["stats"]["median"]
        print(f"| {seed} | {_time(f)} | {_time(c)} | {c / f:.0f}x | {_time(fa)} | {_time(ca)} | {ca / fa:.1f}x |")


def _whatif_table(rows: dict) -> None:
    highs = rows.get("test_whatif_rule_scenarios_highs_loop")
    if not highs:
        return
    baseline = highs["extra_info"]["scenarios_per_second"]
    print("\n| rule-changing what-if scenarios | scenarios | per second | against HiGHS in a loop |")
    print("|---|---:|---:|---:|")
    print(f"| HiGHS (scipy.optimize.milp) in a loop, 1 process | {highs['extra_info']['scenarios']:,} | {baseline:,} | 1.0x |")
    for workers in (1, 2):
        b = rows.get(f"test_whatif_rule_scenarios[{workers}]")
        if b:
            rate = b["extra_info"]["scenarios_per_second"]
            print(f"| roc whatif run, {workers} process{'es' if workers > 1 else ''} | "
                  f"{b['extra_info']['scenarios']:,} | {rate:,} | {rate / baseline:.1f}x |")


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms" if seconds < 1 else f"{seconds:.2f} s"


if __name__ == "__main__":
    main(*(sys.argv[1:] or ["bench/results.json"]))
