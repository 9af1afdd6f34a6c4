"""Load qualification files (YAML or JSON, one schema) into validated models.

Every problem becomes an `InputError` naming the file, the field path (`groups[1].credits.min`)
and the value, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models import InputError, Qualification

try:  # the C loader is several times faster where libyaml is present
    _YamlLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the platform's PyYAML build
    _YamlLoader = yaml.SafeLoader

SUFFIXES = (".yaml", ".yml", ".json")


def read_data(path: Path) -> Any:
    """Parse a YAML or JSON file into plain data, with a located error if it is malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({exc})", file=str(path)) from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_YamlLoader)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                         file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML: {problem}{where}", file=str(path)) from None


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
