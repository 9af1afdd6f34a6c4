"""A drafted qualification file (`roc import spec`), checked at once the same way on every face:
loaded by the catalogue's loader, linted, and its minimum GLH proven beside the published figure,
so a misread rule shows as a contradiction."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from catalog.loader import parse_qualification
from models import Finding

from .analyses import lint
from .plans import plan
from .terms import Plan


@dataclass(frozen=True)
class DraftCheck:
    findings: list[Finding]
    minimum: Plan  # the plan of least GLH (no units: the drafted rules admit no valid set)
    published: int | None  # the published GLH, or the low end of its range


def check_draft(text: str, file: str) -> DraftCheck:
    """The draft's checks; a draft that does not load yet raises the loader's InputError."""
    qual = parse_qualification(yaml.safe_load(text), file=file)
    published = qual.published.glh if qual.published.glh is not None else qual.published.glh_min
    return DraftCheck(lint([qual]), plan(qual, "minimise glh"), published)
