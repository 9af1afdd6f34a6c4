"""Read a cohort file: YAML/JSON (`learners:` and options) or CSV (one row per learner: id,
qualification, achieved, record). Relative paths in it are relative to the file's folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models import InputError, did_you_mean
from models.cohort import Cohort

from .loader import describe_validation_error
from .reading import csv_errors, read_data, read_text

CSV_COLUMNS = ("id", "qualification", "achieved", "record")


@csv_errors
def _csv_learners(path: Path) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    for name in reader.fieldnames or []:
        if (name or "").strip().lower() not in CSV_COLUMNS:
            raise InputError(f"unknown column {name!r}{did_you_mean(str(name).strip().lower(), CSV_COLUMNS)}; the "
                             f"columns are {', '.join(CSV_COLUMNS)}", file=str(path), field="header")
    learners = []
    for row in reader:
        if None in row:
            raise InputError(f"row {reader.line_num}: more cells than the header has columns", file=str(path))
        entry = {k.strip().lower(): (v or "").strip() for k, v in row.items()}
        learner: dict[str, Any] = {"id": entry.get("id", ""), "qualification": entry.get("qualification", "")}
        if entry.get("achieved"):
            learner["achieved"] = entry["achieved"].replace(";", " ").replace(",", " ").split()
        if entry.get("record"):
            learner["record"] = entry["record"]
        learners.append(learner)
    return learners


def _beside(path: Path, spec: str) -> str:
    """A relative file path in the cohort file, made relative to that file's folder."""
    candidate = path.parent / spec
    looks_like_file = Path(spec).suffix.lower() in (".yaml", ".yml", ".json", ".csv")
    return str(candidate) if looks_like_file and not Path(spec).is_absolute() else spec


def load_cohort(path: str | Path, **options: Any) -> Cohort:
    """The cohort in `path`; `options` given (class_size, cost_per_glh) replace the file's."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        data: Any = {"learners": _csv_learners(path)}
    else:
        data = read_data(path)
        if not isinstance(data, dict):
            raise InputError("expected a mapping with learners: [...] (and options)", file=str(path))
    data = {**data, **{k: v for k, v in options.items() if v is not None}}  # the command line wins
    for learner in data.get("learners") or []:
        if isinstance(learner, dict):
            for key in ("qualification", "record"):
                if isinstance(learner.get(key), str):
                    learner[key] = _beside(path, learner[key])
    try:
        return Cohort.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc, data=data), file=str(path)) from None
