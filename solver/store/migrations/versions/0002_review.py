"""Review: saved plans move draft -> submitted -> approved or returned (with a note); suggested
equivalences are confirmed or rejected; login attempts are kept, to slow a guesser.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    keep = {"sqlite_autoincrement": True}  # SQLite alters a table by copying it: its numbering too
    with op.batch_alter_table("saved", table_kwargs=keep) as saved:
        saved.add_column(sa.Column("state", sa.String(20), nullable=False, server_default="draft"))
        saved.add_column(sa.Column("note", sa.Text, nullable=True))
    with op.batch_alter_table("saved", table_kwargs=keep) as saved:
        saved.alter_column("state", server_default=None)  # work saved before review starts as a draft
    op.create_table("equivalences", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("target", sa.String(20), nullable=False),
                    sa.Column("achieved", sa.JSON, nullable=False),
                    sa.Column("qualification", sa.String(20), nullable=True),
                    sa.Column("state", sa.String(20), nullable=False),
                    sa.Column("note", sa.Text, nullable=True),
                    sa.Column("suggested_by", sa.String(100), nullable=False),
                    sa.Column("suggested_at", WHEN, nullable=False),
                    sa.Column("decided_by", sa.String(100), nullable=True),
                    sa.Column("decided_at", WHEN, nullable=True),
                    sqlite_autoincrement=True)
    op.create_table("login_attempts", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(100), nullable=False),
                    sa.Column("address", sa.String(60), nullable=False),
                    sa.Column("ok", sa.Boolean, nullable=False),
                    sa.Column("at", WHEN, nullable=False))
    op.create_index("ix_login_attempts_name", "login_attempts", ["name"])
    op.create_index("ix_login_attempts_address", "login_attempts", ["address"])
    op.create_index("ix_login_attempts_at", "login_attempts", ["at"])


def downgrade() -> None:
    op.drop_table("login_attempts")
    op.drop_table("equivalences")
    with op.batch_alter_table("saved") as saved:
        saved.drop_column("note")
        saved.drop_column("state")
