"""A web planner of a test's own: its own data folder and SQLite database, so that one test's
uploads, saved work and jobs are never another's. The database starts as a copy of one migrated
once per test run (the migrations themselves are tested in tests/store/test_migrations.py)."""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any


@cache
def _migrated() -> Path:
    from solver.store import Store

    folder = Path(tempfile.mkdtemp(prefix="roc-test-template-"))
    store = Store(folder)
    store.upgrade()
    store.close()
    return folder / "roc.db"


def fresh_app(**given: Any) -> Any:
    from solver.store import Store
    from solver.web import create_app

    folder = Path(tempfile.mkdtemp(prefix="roc-test-app-"))
    template = _migrated()
    for part in (template, template.with_name("roc.db-wal")):  # a WAL not yet folded in goes too
        if part.exists():
            shutil.copyfile(part, folder / part.name)
    return create_app(store=Store(folder), **given)
