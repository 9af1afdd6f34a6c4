"""Load learner records (YAML, JSON or CSV) and equivalence files, with located errors."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models import EquivalenceFile, InputError, LearnerRecord

from .index import DATA_DIR
from .loader import describe_validation_error
from .reading import parse_json, read_data, read_text

EQUIVALENCES = DATA_DIR / "equivalences" / "declared.yaml"

# CSV headers a learner record may use for each field (case and spacing ignored)
_CSV_COLUMNS = {
    "ref": ("ref", "reference", "unit", "unit ref", "unit reference", "ofqual unit reference"),
    "title": ("title", "unit title"),
    "awarder": ("awarder", "awarding organisation", "ao"),
    "level": ("level",),
    "credits": ("credits", "credit", "credit value"),
    "date": ("date", "achieved", "date achieved"),
}

def _csv_rows(path: Path) -> list[dict[str, Any]]:
    text = read_text(path)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        headers = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
        mapping = {}
        for field, names in _CSV_COLUMNS.items():
            found = next((headers[n] for n in names if n in headers), None)
            if found is not None:
                mapping[field] = found
        if "ref" not in mapping:
            raise InputError(f"no unit reference column (expected one of: {', '.join(_CSV_COLUMNS['ref'])})",
                             file=str(path), field="header")
        rows = []
        for row in reader:
            if None in row:
                raise InputError(f"row {reader.line_num}: more cells than the header has columns", file=str(path))
            entry = {field: (row.get(column) or "").strip() for field, column in mapping.items()}
            if entry.get("credits", "").isdigit() and entry["credits"].isascii():
                entry["credits"] = int(entry["credits"])  # CSV holds text; a figure is a whole number
            rows.append({k: v for k, v in entry.items() if v != ""})
        return rows
    except csv.Error as exc:
        raise InputError(f"not valid CSV ({exc})", file=str(path)) from None


def load_learner_record(path: str | Path) -> LearnerRecord:
    """A list of achieved units: YAML/JSON (a list of references or entries, or
    {learner, achieved: [...]}) or CSV with a reference column and optional awarder, level,
    credits, date, title."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(path)
        try:
            return LearnerRecord.model_validate({"achieved": rows})
        except ValidationError as exc:
            # achieved[3].level -> row 5 (the header is row 1)
            message = describe_validation_error(exc)
            message = re.sub(r"achieved\[(\d+)\]", lambda m: f"row {int(m.group(1)) + 2}", message)
            raise InputError(message, file=str(path)) from None
    data = read_data(path)
    try:
        return LearnerRecord.model_validate(data if data is not None else [])
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc), file=str(path)) from None

def load_equivalences(path: str | Path = EQUIVALENCES) -> EquivalenceFile:
    path = Path(path)
    data = read_data(path)
    try:
        return EquivalenceFile.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc), file=str(path)) from None


def load_unit_list(path: str | Path) -> list[str]:
    """A units file: one reference per line (blank lines and # comments skipped, commas allowed),
    or a JSON list of references."""
    path = Path(path)
    text = read_text(path)
    if text.lstrip().startswith("["):
        data = parse_json(text, str(path))
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise InputError("a JSON unit list must hold only reference strings", file=str(path))
        return data
    refs = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        refs += [part for part in line.replace(",", " ").split() if part]
    return refs


def equivalences_text(file: EquivalenceFile, header: str) -> str:
    """An equivalence file as YAML that `load_equivalences` reads back, after `header` (each of
    its lines becomes a comment)."""
    head = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    body = yaml.safe_dump(file.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True,
                          width=100)
    return head + body
