"""Load qualification files (YAML or JSON, one schema) into validated models.

Every problem becomes an `InputError` naming the file, the field path (`groups[1].credits.min`)
and the value, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models import InputError, Qualification

from .reading import read_data

SUFFIXES = (".yaml", ".yml", ".json")


def field_path(loc: tuple[Any, ...]) -> str:
    """('groups', 1, 'credits', 'min') -> 'groups[1].credits.min'."""
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        elif step in ("function-before", "function-after", "function-plain") or "[" in str(step):
            continue  # pydantic's validator frames, not part of the user's file
        else:
            text += f".{step}" if text else str(step)
    return text or "(top level)"


def describe_validation_error(exc: ValidationError, limit: int = 10) -> str:
    lines = []
    for error in exc.errors()[:limit]:
        message = error["msg"].removeprefix("Value error, ")
        value = error.get("input")
        shown = "" if isinstance(value, (dict, list)) or error["type"] == "missing" else f" (value {value!r})"
        lines.append(f"{field_path(error['loc'])}: {message}{shown}")
    if len(exc.errors()) > limit:
        lines.append(f"... and {len(exc.errors()) - limit} more")
    return "; ".join(lines)


def parse_qualification(data: Any, *, file: str) -> Qualification:
    if not isinstance(data, dict):
        raise InputError("expected a mapping with number, title, units, groups ...", file=file)
    try:
        return Qualification.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc), file=file) from None


def load_file(path: str | Path) -> Qualification:
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError("expected a .yaml, .yml or .json qualification file", file=str(path))
    return parse_qualification(read_data(path), file=str(path))
