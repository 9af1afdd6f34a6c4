"""Saved work: accounts and API tokens, uploaded qualifications, saved plans, cohorts and compare
runs, what-if jobs, the audit log, the server's settings.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    _accounts()
    _work()


def _accounts() -> None:
    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(100), nullable=False, unique=True),
                    sa.Column("role", sa.String(20), nullable=False),
                    sa.Column("password_hash", sa.String(200), nullable=False),
                    sa.Column("active", sa.Boolean, nullable=False),
                    sa.Column("created_at", WHEN, nullable=False))
    op.create_table("api_tokens", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
                    sa.Column("label", sa.String(100), nullable=False),
                    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
                    sa.Column("created_at", WHEN, nullable=False))
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table("settings", sa.Column("name", sa.String(60), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))


def _work() -> None:
    op.create_table("uploads", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("key", sa.String(40), nullable=False, unique=True),
                    sa.Column("number", sa.String(20), nullable=False),
                    sa.Column("title", sa.String(300), nullable=False),
                    sa.Column("filename", sa.String(120), nullable=False),
                    sa.Column("content", sa.LargeBinary, nullable=False),
                    sa.Column("uploaded_by", sa.String(100), nullable=False),
                    sa.Column("uploaded_at", WHEN, nullable=False))
    op.create_index("ix_uploads_number", "uploads", ["number"])
    op.create_table("saved", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("kind", sa.String(20), nullable=False),
                    sa.Column("name", sa.String(200), nullable=False),
                    sa.Column("qualification", sa.String(40), nullable=True),
                    sa.Column("owner", sa.String(100), nullable=False),
                    sa.Column("proof", sa.String(40), nullable=False),
                    sa.Column("question", sa.JSON, nullable=False),
                    sa.Column("answer", sa.JSON, nullable=False),
                    sa.Column("created_at", WHEN, nullable=False),
                    sa.Column("updated_at", WHEN, nullable=False),
                    sqlite_autoincrement=True)  # a deleted item's number is never given to another
    op.create_index("ix_saved_kind", "saved", ["kind"])
    op.create_table("jobs", sa.Column("id", sa.String(32), primary_key=True),
                    sa.Column("owner", sa.String(100), nullable=False),
                    sa.Column("state", sa.String(20), nullable=False),
                    sa.Column("total", sa.Integer, nullable=True),
                    sa.Column("error", sa.Text, nullable=True),
                    sa.Column("seconds", sa.Float, nullable=True),
                    sa.Column("summary", sa.JSON, nullable=True),
                    sa.Column("run", sa.String(40), nullable=False),
                    sa.Column("started_at", WHEN, nullable=False))
    op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("at", WHEN, nullable=False),
                    sa.Column("actor", sa.String(100), nullable=False),
                    sa.Column("action", sa.String(40), nullable=False),
                    sa.Column("subject", sa.String(200), nullable=False),
                    sa.Column("detail", sa.Text, nullable=True))


def downgrade() -> None:
    for table in ("settings", "audit", "jobs", "saved", "uploads", "api_tokens", "users"):
        op.drop_table(table)
