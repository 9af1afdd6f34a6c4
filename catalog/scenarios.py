"""Read what-if scenario files (JSONL, YAML/JSON, CSV) as a stream of raw entries.

Entries are validated later, one at a time, so one bad scenario becomes one error record and the
run goes on. Each entry comes with where it was read from (`file:line`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from models import InputError

from .loader import read_data

SCENARIO_SUFFIXES = (".jsonl", ".ndjson", ".yaml", ".yml", ".json", ".csv")


def _split_refs(text: str) -> list[str]:
    return [part for part in text.replace(";", " ").replace(",", " ").split() if part]


def _pairs(text: str) -> dict[str, str]:
    found = {}
    for item in text.split():
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"expected name=value, got {item!r}")
        found[key] = value
    return found


def _number(value: str) -> int | None:
    return None if value.lower() in ("", "none", "null", "-") else int(value)


def csv_entry(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row to a scenario entry. List columns hold references separated by spaces or ';';
    `units` holds `REF glh=20 credits=3; REF level=L2`; `rules` holds `group B credits min=4; credits max=30`."""
    entry: dict[str, Any] = {}
    for key in ("id", "qualification", "objective"):
        if row.get(key, "").strip():
            entry[key] = row[key].strip()
    for key in ("withdraw", "include", "exclude", "achieved"):
        if row.get(key, "").strip():
            entry[key] = _split_refs(row[key])
    if row.get("units", "").strip():
        units = {}
        for part in row["units"].split(";"):
            if part.strip():
                ref, _, rest = part.strip().partition(" ")
                units[ref] = _pairs(rest)
        entry["units"] = units
    if row.get("rules", "").strip():
        rules = []
        for part in row["rules"].split(";"):
            words = part.split()
            if not words:
                continue
            bounds = [w for w in words if "=" in w]
            name = " ".join(w for w in words if "=" not in w)
            rules.append({"rule": name, **{k: _number(v) for k, v in _pairs(" ".join(bounds)).items()}})
        entry["rules"] = rules
    return entry


def check_source(path: Path) -> None:
    """A scenario file roc can read, or an InputError saying why not."""
    if path.suffix.lower() not in SCENARIO_SUFFIXES:
        raise InputError("expected a .jsonl, .yaml, .json or .csv scenario file", file=str(path))
    if not path.is_file():
        raise InputError("no such file", file=str(path))


def read_scenarios(path: Path) -> Iterator[tuple[str, dict[str, Any] | InputError]]:
    """Yield (where, entry) for each scenario, or (where, error) for one that cannot be read."""
    check_source(path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield where, InputError(f"not valid JSON: {exc.msg}", file=where)
                    continue
                yield where, entry if isinstance(entry, dict) else InputError("expected a JSON object", file=where)
        return
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for number, row in enumerate(csv.DictReader(handle), 2):
                where = f"{path}:{number}"
                try:
                    yield where, csv_entry({(k or "").strip().lower(): (v or "") for k, v in row.items()})
                except ValueError as exc:
                    yield where, InputError(str(exc), file=where)
        return
    data = read_data(path)
    if isinstance(data, dict):
        data = data.get("scenarios", [])
    if not isinstance(data, list):
        raise InputError("expected a list of scenarios (or {scenarios: [...]})", file=str(path))
    for i, entry in enumerate(data):
        where = f"{path}: scenarios[{i}]"
        yield where, entry if isinstance(entry, dict) else InputError("expected a mapping", file=where)


def count_scenarios(path: Path) -> int | None:
    """How many scenarios a file holds, cheaply (for the progress bar)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    if suffix == ".csv":
        with path.open("rb") as handle:
            return max(0, sum(1 for line in handle if line.strip()) - 1)
    return None
