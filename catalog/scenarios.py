"""Read what-if scenario files (JSONL, YAML/JSON, CSV) as a stream of raw entries.

Entries are validated later, one at a time, so one bad scenario becomes one error record and the
run goes on. Each entry comes with where it was read from (`file:line`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from models import InputError, did_you_mean

from .reading import check_file, parse_json, read_data, read_lines

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


def _number(value: str, name: str = "value") -> int | None:
    """A figure written in a CSV cell: digits (0-9 only), or none/null/- for no bound."""
    if value.lower() in ("", "none", "null", "-"):
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"{name}={value!r}: expected a whole number")
    return int(value)


_FIGURES = ("glh", "credits", "tqt")


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
                units[ref] = {k: _number(v, k) if k in _FIGURES else v for k, v in _pairs(rest).items()}
        entry["units"] = units
    if row.get("rules", "").strip():
        rules = []
        for part in row["rules"].split(";"):
            words = part.split()
            if not words:
                continue
            bounds = [w for w in words if "=" in w]
            name = " ".join(w for w in words if "=" not in w)
            rules.append({"rule": name, **{k: _number(v, k) for k, v in _pairs(" ".join(bounds)).items()}})
        entry["rules"] = rules
    return entry


CSV_COLUMNS = ("id", "qualification", "objective", "withdraw", "include", "exclude", "achieved", "units", "rules")
FILE_KEYS = ("scenarios",)


def check_source(path: Path) -> None:
    """A scenario file roc can read, or an InputError saying why not."""
    if path.suffix.lower() not in SCENARIO_SUFFIXES:
        raise InputError("expected a .jsonl, .yaml, .json or .csv scenario file", file=str(path))
    check_file(path, None)


def _jsonl(path: Path) -> Iterator[tuple[str, dict[str, Any] | InputError]]:
    for number, line in read_lines(path):
        where = f"{path}:{number}"
        if isinstance(line, InputError):
            yield where, line
            continue
        if not line.strip():
            continue
        try:
            entry = parse_json(line, where)
        except InputError as exc:
            yield where, exc
            continue
        yield where, entry if isinstance(entry, dict) else InputError("expected a JSON object", file=where)


def _csv_header(path: Path, header: list[str]) -> list[str]:
    names = [(name or "").strip().lower() for name in header]
    for name in names:
        if name not in CSV_COLUMNS:
            raise InputError(f"unknown column {name!r}{did_you_mean(name, CSV_COLUMNS)}; the columns are "
                             f"{', '.join(CSV_COLUMNS)}", file=str(path), field="header")
    return names


def _csv(path: Path) -> Iterator[tuple[str, dict[str, Any] | InputError]]:
    """Rows as entries. Each physical line is decoded on its own, so a line of bad bytes is one
    error record; a row quoted across lines is read whole."""
    bad: dict[int, InputError] = {}

    def text_lines() -> Iterator[str]:
        for number, line in read_lines(path):
            if isinstance(line, InputError):
                bad[number] = line
                yield "\n"
            else:
                yield line

    reader = csv.reader(text_lines())
    try:
        header = next(reader, None)
        if header is None:
            return
        names = _csv_header(path, header)
        first = reader.line_num
        for row in reader:
            where = f"{path}:{reader.line_num}"
            problem = next((bad.pop(n) for n in sorted(bad) if first < n <= reader.line_num), None)
            first = reader.line_num
            if problem is not None:
                yield where, problem
            elif len(row) > len(names):
                yield where, InputError(f"{len(row)} cells but the header has {len(names)} columns", file=where)
            elif any(cell.strip() for cell in row):
                try:
                    yield where, csv_entry(dict(zip(names, row)))
                except ValueError as exc:
                    yield where, InputError(str(exc), file=where)
    except csv.Error as exc:
        raise InputError(f"not valid CSV at line {reader.line_num}: {exc}", file=str(path)) from None


def read_scenarios(path: Path) -> Iterator[tuple[str, dict[str, Any] | InputError]]:
    """Yield (where, entry) for each scenario, or (where, error) for one that cannot be read."""
    check_source(path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl(path)
        return
    if suffix == ".csv":
        yield from _csv(path)
        return
    data = read_data(path)
    if isinstance(data, dict):
        unknown = [key for key in data if key not in FILE_KEYS]
        if unknown:
            raise InputError(f"unknown key {unknown[0]!r}{did_you_mean(str(unknown[0]), FILE_KEYS)}; a scenario "
                             "file is a list of scenarios or {scenarios: [...]}", file=str(path))
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
