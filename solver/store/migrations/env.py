"""Alembic's environment: roc runs the migrations itself (`roc db upgrade`, or `roc serve` on
start), handing over its own connection (solver/store/db.py)."""

from __future__ import annotations

from alembic import context

from solver.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
