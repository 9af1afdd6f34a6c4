"""Importing a full-size LARS download: a generated folder of about 200 MB (LearningDelivery.csv and
Funding.csv with LARS's columns, random aims plus the small fixture's rows), read by
`roc import lars` in a fresh process; prints the seconds, the peak memory and what was found.

    python -m bench.lars_big [--megabytes 200] [--keep DIR]

The import streams both files (one line in memory at a time) and keeps only the catalogue's
qualifications, so its memory does not grow with the file.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "lars"


def generate(folder: Path, megabytes: int, seed: int = 0) -> int:
    """Write the two files into `folder`, about `megabytes` in all; returns the rows written."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = 0
    half = megabytes * 1024 * 1024 // 2
    for name in ("LearningDelivery.csv", "Funding.csv"):
        lines = (FIXTURE / name).read_text().splitlines(keepends=True)
        with (folder / name).open("w") as out:
            out.writelines(lines)  # the header and the fixture's rows (the catalogue's aims)
            written = sum(len(line) for line in lines)
            while written < half:
                aim = f"{rng.randint(10000000, 99999999)}"
                if name == "LearningDelivery.csv":
                    line = (f"{aim},Generated qualification {aim} in a subject of some length,0003,"
                            f"{rng.randint(1, 3)},{rng.randint(10, 400)},{rng.randint(100, 900)},{rng.randint(1, 90)},"
                            f",,2015-08-01\n")
                else:
                    line = f"{aim},Adult_Skills,2015-08-01,2025-07-31,{rng.randint(100, 9000)}.00,,A,\n"
                out.write(line)
                written += len(line)
                rows += 1
    return rows


def measure(folder: Path) -> dict:
    out = folder / "overlay.yaml"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "solver", "import", "lars", str(folder), "--out", str(out),
                           "--no-progress"], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1024 / 1024
    return {"megabytes": round(size), "seconds": round(seconds, 1), "peak_mb": round(peak),
            "said": done.stderr.strip()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.lars_big", description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="write the folder here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="roc-lars-"))
    try:
        generate(folder, args.megabytes)
        print(measure(folder))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
