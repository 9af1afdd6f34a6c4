"""How long the command line takes, end to end, as a user runs it: each command in a fresh process,
beside `python -c pass` (the floor) in the same run.

    python -m bench.startup [--rounds 15]

Prints a markdown table of the median and the worst of the rounds; `bench/README.md` holds one run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

COMMANDS = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("roc --help", ["roc", "--help"]),
    ("roc list", ["roc", "list"]),
    ("roc plan 601/3972/9", ["roc", "plan", "601/3972/9"]),
    ("roc plan 601/3972/9 --max-level L1", ["roc", "plan", "601/3972/9", "--max-level", "L1"]),
    ("roc check 601/3972/9 --units ...", ["roc", "check", "601/3972/9", "--units", "K/601/6075", "F/601/6073"]),
]
TARGETS = {"roc --help": 0.25, "roc plan 601/3972/9": 0.3}


def measure(rounds: int) -> list[tuple[str, float, float]]:
    roc = shutil.which("roc") or "roc"
    found = []
    for name, argv in COMMANDS:
        argv = [roc if part == "roc" else part for part in argv]
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
        found.append((name, statistics.median(times), max(times)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    rows = measure(parser.parse_args().rounds)
    print("| command | median | worst | target |\n|---|---:|---:|---:|")
    for name, median, worst in rows:
        target = TARGETS.get(name)
        print(f"| `{name}` | {median:.2f} s | {worst:.2f} s | {f'{target:.2f} s' if target else ''} |")


if __name__ == "__main__":
    main()
