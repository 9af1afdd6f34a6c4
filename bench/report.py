"""Turn a pytest-benchmark JSON file into the markdown table of bench/README.md.

    pytest bench/ --benchmark-only --benchmark-json=bench/results.json
    python -m bench.report bench/results.json
"""

from __future__ import annotations

import json
import sys


def main(path: str) -> None:
    data = json.loads(open(path).read())
    rows = {b["name"]: b for b in data["benchmarks"]}
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


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms" if seconds < 1 else f"{seconds:.2f} s"


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json")
