"""Dates as UK records write them: 31/07/2027 (day first), 31-07-2027, or 2027-07-31, with or
without a time. One reader for the register, LARS and learner records."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator

SHAPES = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y")


def parse_date(text: str) -> dt.date | None:
    """The date `text` writes (None for blank); a ValueError naming the forms for anything else."""
    text = text.strip()
    if not text:
        return None
    for shape in SHAPES:
        try:
            return dt.datetime.strptime(text[:19], shape).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (expected 2027-07-31 or 31/07/2027)")


def _day(value: Any) -> Any:
    return parse_date(value) if isinstance(value, str) else value


Day = Annotated[dt.date, BeforeValidator(_day)]  # a date field that reads UK day-first text too
