"""The planner's saved work as SQLAlchemy 2 tables: accounts, uploaded qualifications (every
version), saved plans, cohorts and compare runs, what-if jobs, reviewed equivalences and the audit
log. The schema is made and changed only by the migrations (migrations/versions); a test checks
that these classes and the migrated database agree."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)}


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token: it is shown once
    created_at: Mapped[datetime] = mapped_column(default=now)


class Upload(Base):
    """An uploaded qualification file, as sent: the same bytes are one entry, each new file of a
    number another version."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    number: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(120))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(default=now)


class Saved(Base):
    """A named plan, a cohort plan or a compare run with money: what was asked, what was answered
    (with its proof status), and where it stands in review."""

    __tablename__ = "saved"
    __table_args__ = {"sqlite_autoincrement": True}  # a deleted item's number is never given to another
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # plan | cohort | compare
    name: Mapped[str] = mapped_column(String(200))
    qualification: Mapped[str | None] = mapped_column(String(40), nullable=True)
    owner: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="draft")  # draft | submitted | approved | returned
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    proof: Mapped[str] = mapped_column(String(40))  # optimal | feasible (not proven) | ...
    question: Mapped[dict[str, Any]] = mapped_column()
    answer: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class Job(Base):
    """A what-if study: its state here (so that any server process answers for it), its scenario
    file and results in the data folder (jobs/ID/)."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20))  # running | done | failed
    total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    summary: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    run: Mapped[str] = mapped_column(String(40))  # the `roc serve` run that started it
    started_at: Mapped[datetime] = mapped_column(default=now)


class Equivalence(Base):
    """An equivalence someone suggested, and what became of it: confirmed ones count in every
    transfer on this server."""

    __tablename__ = "equivalences"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(String(20))
    achieved: Mapped[list[Any]] = mapped_column()
    qualification: Mapped[str | None] = mapped_column(String(20), nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="suggested")  # suggested | confirmed | rejected
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    suggested_by: Mapped[str] = mapped_column(String(100))
    suggested_at: Mapped[datetime] = mapped_column(default=now)
    decided_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(60), index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(default=now, index=True)


class AuditEntry(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))  # "plan 3", "user ana", "equivalence 2"
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


class Setting(Base):
    """The server's own values: the session cookies' signing key."""

    __tablename__ = "settings"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
