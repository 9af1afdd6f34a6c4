"""What public data says about a qualification: Ofqual's Register of Regulated Qualifications
(figures, status, end dates) and the ESFA's Learning Aim Reference Service, LARS (figures and
funding rates), with where they came from. Kept beside the catalogue in an overlay file, never
mixed into what the specification printed."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, model_validator

from .figures import Credits, Hours, Money
from .refs import QualNumber


class FundingRate(BaseModel):
    """One row of LARS `Funding.csv` for a learning aim: a rate in a funding category, in force
    from `effective_from` to `effective_to` (both inclusive; no end: still in force)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: str
    effective_from: date
    effective_to: date | None = None
    rate_weighted: Money | None = None
    rate_unweighted: Money | None = None
    weighting_factor: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> "FundingRate":
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"effective_to {self.effective_to} is before effective_from {self.effective_from}")
        return self

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def rate(self) -> float | None:
        """The funding a learner brings: the weighted rate, else the unweighted one."""
        return self.rate_weighted if self.rate_weighted is not None else self.rate_unweighted


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
    funding: list[FundingRate] = []  # LARS only

    def rates_on(self, on: date) -> list[FundingRate]:
        return [rate for rate in self.funding if rate.in_force(on)]


class RegisterSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str  # "ofqual register CSV", "ofqual register API JSON" or "LARS"
    file: str  # for LARS: the folder's two files
    rows: int  # rows read; entries are kept only for catalogue qualifications
    imported: date

    @property
    def who(self) -> str:
        """The source in a sentence: "the register" or "LARS"."""
        return "LARS" if self.kind.startswith("LARS") else "the register"

    @property
    def code(self) -> str:
        return "lars" if self.kind.startswith("LARS") else "register"


class RegisterOverlay(BaseModel):
    """`roc import ofqual` and `roc import lars` write this; `roc lint --overlay`, `roc compare
    --funding` and `roc cohort plan --funding` read it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: RegisterSource
    qualifications: list[RegisterEntry] = []
