"""One line of a what-if run's results (its status a Status: `error` for a scenario that could not
be run)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from models import Status


class ScenarioResult(BaseModel):
    """One line of a what-if run's results."""

    model_config = ConfigDict(frozen=True)

    id: str
    qualification: str | None = None
    goal: str | None = None
    status: Status
    objective: int | None = None
    units: list[str] = []
    glh: int | None = None
    tqt: int | None = None
    credits: int | None = None
    solve_ms: float | None = None
    error: str | None = None


def error_record(scenario_id: str, message: str, qualification: object = None) -> dict:
    """The result line for a scenario that could not be run."""
    where = qualification if isinstance(qualification, str) else None
    return ScenarioResult(id=scenario_id, qualification=where, status=Status.error,
                          error=message).model_dump(mode="json")
