"""A question's model built from what a face was given: a pydantic error becomes an InputError
naming the neutral field (`class_size`, `learners.3.qualification`), for the face to put in its
own words."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from models import InputError

M = TypeVar("M", bound=BaseModel)


def field_of(loc: tuple[Any, ...]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or None


def built(model: type[M], **values: Any) -> M:
    """`model(**values)`, or an InputError naming the first field that is wrong."""
    try:
        return model(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first.get("msg", "not valid")).removeprefix("Value error, ")
        raise InputError(message, field=field_of(tuple(first.get("loc", ())))) from None
