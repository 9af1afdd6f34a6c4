"""Load qualification files (YAML or JSON, one schema) into validated models.

Every problem becomes an `InputError` naming the file, the field path (`groups[1].credits.min`)
and the value, never a traceback.
"""

from __future__ import annotations

import contextvars
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

import models
from models import InputError, Qualification, UnitRef, did_you_mean

from .reading import read_data

SUFFIXES = (".yaml", ".yml", ".json")


def _name_of(item: Any) -> str | None:
    """A group's id or a unit's reference (when it is one), to name a list item by."""
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("id"), str) and item["id"].strip():
        return item["id"]
    try:
        return str(UnitRef.parse(item["ref"])) if isinstance(item.get("ref"), str) else None
    except ValueError:
        return None


def field_path(loc: tuple[Any, ...], data: Any = None) -> str:
    """('groups', 1, 'credits', 'min') -> 'groups[B].credits.min' when `data` (the file's content)
    gives the group's id, else 'groups[1].credits.min'; units are named by their reference."""
    text, node = "", data
    for step in loc:
        if step in ("function-before", "function-after", "function-plain") or "[" in str(step):
            continue  # pydantic's validator frames, not part of the user's file
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and -len(node) <= step < len(node) else None
            name = _name_of(item)
            text += f"[{name}]" if name else f"[{step}]"
            node = item
        else:
            text += f".{step}" if text else str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return text


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (`list[Group]`, `Bounds | None`, `dict[str, X]`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None


def _keys_at(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """The keys the model at `loc` (below `model`) accepts, by name and alias."""
    for step in loc:
        if model is None:
            return []
        if isinstance(step, str) and step in model.model_fields:
            model = _model_in(model.model_fields[step].annotation)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


_ECHO_VALUES = contextvars.ContextVar("roc_echo_values", default=True)


@contextmanager
def without_values() -> Iterator[None]:
    """Errors in files loaded in this block name the file and field, never a value from it: a
    scenario may name any file, and its contents are not for the scenario's results to show."""
    token = _ECHO_VALUES.set(False)
    try:
        yield
    finally:
        _ECHO_VALUES.reset(token)


def _describe(error: Any, root: type[BaseModel] | None, data: Any = None) -> str:
    path = field_path(error["loc"], data)
    if not _ECHO_VALUES.get() and error["type"] not in ("extra_forbidden", "missing"):
        return f"{path or 'the file'}: not a valid value (not shown)"
    if error["type"] == "extra_forbidden":
        key = str(error["loc"][-1])
        parent = field_path(error["loc"][:-1], data)
        hint = did_you_mean(key, _keys_at(root, error["loc"][:-1]))
        return f"{parent + ': ' if parent else ''}unknown key {key!r}{hint}"
    message = error["msg"].removeprefix("Value error, ")
    value = error.get("input")
    shown = "" if isinstance(value, (dict, list)) or error["type"] == "missing" else f" (value {value!r})"
    return f"{path + ': ' if path else ''}{message}{shown}"


def describe_validation_error(exc: ValidationError, limit: int = 50, data: Any = None) -> str:
    """Every error of a validation, in the file's words: `groups[1].credits.min: ... (value -1)`,
    `unknown key 'mandatroy'; did you mean 'mandatory'?`."""
    root = getattr(models, exc.title, None)
    root = root if isinstance(root, type) and issubclass(root, BaseModel) else None
    lines = [_describe(error, root, data) for error in exc.errors()[:limit]]
    if len(exc.errors()) > limit:
        lines.append(f"... and {len(exc.errors()) - limit} more")
    return "; ".join(lines)


def parse_qualification(data: Any, *, file: str) -> Qualification:
    if not isinstance(data, dict):
        raise InputError("expected a mapping with number, title, units, groups ...", file=file)
    try:
        return Qualification.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc, data=data), file=file) from None


def load_file(path: str | Path) -> Qualification:
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputError("expected a .yaml, .yml or .json qualification file", file=str(path))
    return parse_qualification(read_data(path), file=str(path))
