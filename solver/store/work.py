"""Saved work and its review: uploaded qualifications, saved plans, cohorts and compare runs,
what-if jobs, suggested equivalences, and the audit log of who changed what and when."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Equivalence as Declared
from models import InputError, JobState

from .db import Store
from .tables import AuditEntry, Equivalence, Job, Saved, Setting, Upload, now

Kind = Literal["plan", "cohort", "compare"]
# a saved plan's review: what each step needs the plan to be in, and what it becomes
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft", "returned"), "submitted"),
    "approve": (("submitted",), "approved"),
    "return": (("submitted",), "returned"),
}


class NotFound(InputError):
    """No saved item, job or equivalence by that id (HTTP 404)."""


def audit(session: Session, actor: str, action: str, subject: str, detail: str | None) -> None:
    session.add(AuditEntry(actor=actor, action=action, subject=subject, detail=detail))


class AuditView(BaseModel):
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str | None


def audit_log(store: Store, limit: int = 10_000) -> list[AuditView]:
    """The newest `limit` entries, newest first."""
    with store.session() as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
        return [AuditView(at=r.at, actor=r.actor, action=r.action, subject=r.subject, detail=r.detail) for r in rows]


# -- uploads ------------------------------------------------------------------------------------
class UploadView(BaseModel):
    key: str
    number: str
    title: str
    filename: str
    uploaded_by: str
    uploaded_at: datetime


def add_upload(store: Store, view: UploadView, content: bytes) -> bool:
    """Keep an uploaded file (the same bytes twice are one entry): whether it was new."""
    with store.session() as s:
        if s.scalar(select(Upload.id).where(Upload.key == view.key)) is not None:
            return False
        s.add(Upload(content=content, **view.model_dump(exclude={"uploaded_at"})))
        audit(s, view.uploaded_by, "upload", f"qualification {view.number}", f"{view.filename} as {view.key}")
    return True


def uploads(store: Store, after: int = 0) -> list[tuple[int, UploadView, bytes]]:
    """Every upload after the one numbered `after`, oldest first: (its number, what it is, its bytes)."""
    with store.session() as s:
        return [(u.id, UploadView(key=u.key, number=u.number, title=u.title, filename=u.filename,
                                  uploaded_by=u.uploaded_by, uploaded_at=u.uploaded_at), u.content)
                for u in s.scalars(select(Upload).where(Upload.id > after).order_by(Upload.id))]


# -- saved work ---------------------------------------------------------------------------------
class SavedView(BaseModel):
    """A saved plan, cohort plan or compare run (`answer` left out of listings)."""

    id: int
    kind: str
    name: str
    qualification: str | None
    owner: str
    state: str
    note: str | None
    proof: str
    created_at: datetime
    updated_at: datetime
    question: dict[str, Any] | None = None
    answer: dict[str, Any] | None = None


def _view(row: Saved, whole: bool) -> SavedView:
    return SavedView(id=row.id, kind=row.kind, name=row.name, qualification=row.qualification, owner=row.owner,
                     state=row.state, note=row.note, proof=row.proof, created_at=row.created_at,
                     updated_at=row.updated_at, question=row.question if whole else None,
                     answer=row.answer if whole else None)


def save(store: Store, kind: Kind, name: str, owner: str, proof: str, question: dict[str, Any],
         answer: dict[str, Any], qualification: str | None = None) -> SavedView:
    name = name.strip()
    if not name:
        raise InputError("give the saved work a name", field="name")
    with store.session() as s:
        row = Saved(kind=kind, name=name[:200], owner=owner, state="draft", proof=proof, question=question,
                    answer=answer, qualification=qualification)
        s.add(row)
        s.flush()
        audit(s, owner, "save", f"{kind} {row.id}", name[:200])
        return _view(row, True)


LISTED = (Saved.id, Saved.kind, Saved.name, Saved.qualification, Saved.owner, Saved.state, Saved.note, Saved.proof,
          Saved.created_at, Saved.updated_at)  # a listing's columns: never the answers' JSON
_EVERY = select(*LISTED).order_by(Saved.id.desc())  # built once: the listing is on a hot path
_OF_KIND = _EVERY.where(Saved.kind == bindparam("kind"))
_KEYS = [column.key for column in LISTED]
_ROWS = TypeAdapter(list[dict[str, Any]])


def _listed(store: Store, kind: str | None) -> list[dict[str, Any]]:
    """The listing's rows (newest first), on a plain connection: no ORM session, no models."""
    with store.connection() as connection:
        rows = (connection.execute(_OF_KIND, {"kind": kind}) if kind else connection.execute(_EVERY)).all()
    return [dict(zip(_KEYS, row)) for row in rows]


def saved(store: Store, kind: str | None = None) -> list[SavedView]:
    """Every saved item (newest first), without their questions and answers."""
    return [SavedView(**row) for row in _listed(store, kind)]


def saved_json(store: Store, kind: str | None = None) -> bytes:
    """`saved(store, kind)` as JSON, straight from the rows (the listing the API serves: four
    times quicker than through the models and an ORM session)."""
    return _ROWS.dump_json(_listed(store, kind))


def _saved_row(s: Session, item: int) -> Saved:
    row = s.get(Saved, item)
    if row is None:
        raise NotFound(f"no saved work {item}", field="id")
    return row


def saved_one(store: Store, item: int) -> SavedView:
    with store.session() as s:
        return _view(_saved_row(s, item), True)


def step(store: Store, item: int, action: str, actor: str, note: str | None = None) -> SavedView:
    """Move a saved plan on in review (submit, approve, return): refused from a state it cannot
    be taken from, and a return without a note (the planner must know what to mend)."""
    if action not in STEPS:
        raise InputError(f"{action!r} is not a review step ({', '.join(STEPS)})", field="action")
    before, after = STEPS[action]
    note = (note or "").strip() or None
    if action == "return" and not note:
        raise InputError("say why it is returned: a note is needed", field="note")
    with store.session() as s:
        row = _saved_row(s, item)
        if row.state not in before:
            raise InputError(f"{row.kind} {item} is {row.state}; only one that is {' or '.join(before)} can be "
                             f"{after if action != 'return' else 'returned'}", field="state")
        row.state, row.note, row.updated_at = after, note if action != "submit" else note or row.note, now()
        audit(s, actor, action, f"{row.kind} {item}", note)
        return _view(row, True)


def delete_saved(store: Store, item: int, actor: str) -> None:
    with store.session() as s:
        row = _saved_row(s, item)
        s.delete(row)
        audit(s, actor, "delete", f"{row.kind} {item}", row.name)


# -- what-if jobs -------------------------------------------------------------------------------
class JobView(BaseModel):
    id: str
    owner: str
    state: JobState
    total: int | None
    error: str | None
    seconds: float | None
    summary: dict[str, Any] | None
    started_at: datetime


def add_job(store: Store, job_id: str, owner: str, total: int | None, run: str) -> None:
    with store.session() as s:
        s.add(Job(id=job_id, owner=owner, state=JobState.running.value, total=total, run=run))
        audit(s, owner, "start what-if", f"job {job_id}", f"{total} scenarios")


def end_job(store: Store, job_id: str, state: JobState, error: str | None = None, seconds: float | None = None,
            summary: dict[str, Any] | None = None) -> None:
    with store.session() as s:
        s.execute(update(Job).where(Job.id == job_id).values(state=state.value, error=error, seconds=seconds,
                                                              summary=summary))


def _job_view(row: Job, summary: bool) -> JobView:
    return JobView(id=row.id, owner=row.owner, state=JobState(row.state), total=row.total, error=row.error,
                   seconds=row.seconds, summary=row.summary if summary else None, started_at=row.started_at)


def job(store: Store, job_id: str) -> JobView | None:
    with store.session() as s:
        row = s.get(Job, job_id)
        return None if row is None else _job_view(row, summary=True)


def jobs(store: Store) -> list[JobView]:
    """Every job, newest first, without their summaries."""
    with store.session() as s:
        return [_job_view(row, summary=False) for row in s.scalars(select(Job).order_by(Job.started_at.desc()))]


def delete_job(store: Store, job_id: str, actor: str) -> None:
    with store.session() as s:
        row = s.get(Job, job_id)
        if row is not None:
            s.delete(row)
            audit(s, actor, "delete", f"job {job_id}", None)


def interrupted(store: Store, run: str) -> int:
    """Jobs another `roc serve` run left running (it stopped): failed, saying so. How many."""
    with store.session() as s:
        done = s.execute(update(Job).where(Job.state == JobState.running.value, Job.run != run).values(
            state=JobState.failed.value, error="the server stopped while this job ran; start it again"))
        return int(getattr(done, "rowcount", 0) or 0)


# -- equivalences -------------------------------------------------------------------------------
class EquivalenceView(BaseModel):
    id: int
    target: str
    achieved: list[str]
    qualification: str | None
    state: str
    note: str | None
    suggested_by: str
    suggested_at: datetime
    decided_by: str | None
    decided_at: datetime | None


def _eq_view(r: Equivalence) -> EquivalenceView:
    return EquivalenceView(id=r.id, target=r.target, achieved=list(r.achieved), qualification=r.qualification,
                           state=r.state, note=r.note, suggested_by=r.suggested_by, suggested_at=r.suggested_at,
                           decided_by=r.decided_by, decided_at=r.decided_at)


def suggest_equivalence(store: Store, declared: Declared, by: str, note: str | None = None) -> EquivalenceView:
    """Keep a suggestion (validated as an equivalence file's entry is, by the caller)."""
    with store.session() as s:
        row = Equivalence(target=str(declared.target), achieved=[str(a) for a in declared.achieved],
                          qualification=str(declared.qualification) if declared.qualification else None,
                          state="suggested", note=(note or "").strip() or None, suggested_by=by)
        s.add(row)
        s.flush()
        audit(s, by, "suggest", f"equivalence {row.id}", f"{', '.join(row.achieved)} for {row.target}")
        return _eq_view(row)


def decide_equivalence(store: Store, item: int, confirm: bool, by: str, note: str | None = None) -> EquivalenceView:
    with store.session() as s:
        row = s.get(Equivalence, item)
        if row is None:
            raise NotFound(f"no equivalence {item}", field="id")
        if row.state != "suggested":
            raise InputError(f"equivalence {item} is already {row.state} (by {row.decided_by})", field="state")
        row.state = "confirmed" if confirm else "rejected"
        row.decided_by, row.decided_at = by, now()
        row.note = (note or "").strip() or row.note
        audit(s, by, "confirm" if confirm else "reject", f"equivalence {item}", row.note)
        return _eq_view(row)


def equivalences(store: Store, state: str | None = None) -> list[EquivalenceView]:
    with store.session() as s:
        query = select(Equivalence).order_by(Equivalence.id)
        return [_eq_view(r) for r in s.scalars(query.where(Equivalence.state == state) if state else query)]


def confirmed(store: Store) -> list[Declared]:
    """The confirmed equivalences, as an equivalence file's entries: their source says who
    confirmed each, when, and why."""
    return [Declared.model_validate({
        "id": f"confirmed-{e.id}", "target": e.target, "achieved": e.achieved, "qualification": e.qualification,
        "source": {"document": f"confirmed by {e.decided_by} on {e.decided_at:%Y-%m-%d}" if e.decided_at else "",
                   "section": f"suggested by {e.suggested_by}", "note": e.note}})
        for e in equivalences(store, "confirmed")]


def decisions(store: Store) -> int:
    """A number that changes whenever an equivalence is decided (for a cache of confirmed ones)."""
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(Equivalence).where(Equivalence.state != "suggested")) or 0


# -- settings -----------------------------------------------------------------------------------
def secret(store: Store) -> str:
    """The key that signs session cookies: made once, shared by every server process."""
    with store.session() as s:
        found = s.get(Setting, "session key")
        if found is not None:
            return found.value
    try:
        with store.session() as s:
            s.add(Setting(name="session key", value=secrets.token_urlsafe(48)))
    except IntegrityError:  # another process made it first: theirs is read below
        pass
    with store.session() as s:
        made = s.get(Setting, "session key")
        assert made is not None
        return made.value
