"""Where whole-catalogue work runs: in this process, on a local process pool, or on Ray."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from catalog.index import names_file
from models import Qualification

from ..whatif.backends import BackendName


class Compute(BaseModel):
    """`workers` processes on `backend` (Ray: the cluster at `address`, or a local instance)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    workers: int = Field(default=1, ge=1, le=1024)
    backend: BackendName = BackendName.local
    address: str | None = None

    @field_validator("address")
    @classmethod
    def _address_with_ray(cls, address: str | None, info: ValidationInfo) -> str | None:
        if address is not None and info.data.get("backend") is not BackendName.ray:
            raise ValueError("names a Ray cluster: give it with the ray backend")
        return address

    @property
    def in_process(self) -> bool:
        return self.workers <= 1 and self.backend is BackendName.local


def worker_specs(specs: Sequence[str] | None, quals: Sequence[Qualification]) -> list[str]:
    """What names each qualification for a worker process (which may run in another directory,
    or on another machine): its catalogue number, or its file as an absolute path."""
    if not specs:
        return [str(q.number) for q in quals]
    return [str(Path(spec).resolve()) if names_file(spec) else str(qual.number) for spec, qual in zip(specs, quals)]
