"""What a public register says about a qualification (Ofqual's Register of Regulated
Qualifications): figures, status and end dates, with where they came from. Kept beside the
catalogue in an overlay file, never mixed into what the specification printed."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from .figures import Credits, Hours
from .refs import QualNumber


class RegisterEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: QualNumber
    title: str | None = None
    total_credits: Credits | None = None
    glh: Hours | None = None
    min_glh: Hours | None = None
    max_glh: Hours | None = None
    tqt: Hours | None = None
    status: str | None = None
    operational_end: date | None = None
    certification_end: date | None = None


class RegisterSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str  # "ofqual register CSV" or "ofqual register API JSON"
    file: str
    rows: int  # rows read; entries are kept only for catalogue qualifications
    imported: date


class RegisterOverlay(BaseModel):
    """`roc import ofqual` writes this; `roc lint --overlay` reads it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: RegisterSource
    qualifications: list[RegisterEntry] = []
