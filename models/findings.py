"""Findings about data: what lint and the engine report (never silently fixed)."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    qualification: str | None = None
    subject: str | None = None
    message: str
    where: str | None = None

    def __str__(self) -> str:
        head = f"{self.severity.value}: [{self.code}]"
        if self.qualification:
            head += f" {self.qualification}"
        tail = f" ({self.where})" if self.where else ""
        return f"{head}: {self.message}{tail}"
