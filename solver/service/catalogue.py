"""The catalogue as every face lists it: one entry a qualification. Light (no solver)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from models import Qualification


class CatalogueEntry(BaseModel):
    """A qualification in a listing (`roc list --json`; the web adds its `key` and `uploaded`)."""

    model_config = ConfigDict(frozen=True)

    number: str
    awarder: str
    title: str
    level: str  # E1-E3, L1-L8
    units: int
    credits_rule: str
    published_glh_min: int | None
    published_glh_max: int | None
    published_tqt: int | None


def listing(quals: Iterable[Qualification]) -> list[CatalogueEntry]:
    """Each qualification's line in the catalogue."""
    entries = []
    for q in quals:
        low, high = q.published.glh_range or (None, None)
        entries.append(CatalogueEntry(number=str(q.number), awarder=q.awarder, title=q.title, level=q.level.name,
                                      units=len(q.units), credits_rule=q.credits.describe("credits"),
                                      published_glh_min=low, published_glh_max=high, published_tqt=q.published.tqt))
    return entries
