"""A web planner of a test's own: its own data folder and SQLite database, so that one test's
uploads, saved work and jobs are never another's."""

from __future__ import annotations

import tempfile
from typing import Any


def fresh_app(**given: Any) -> Any:
    from solver.store import Store
    from solver.web import create_app

    return create_app(store=Store(tempfile.mkdtemp(prefix="roc-test-app-")), **given)
