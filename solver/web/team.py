"""The planning office's shared work: saved plans, cohort plans and compare runs with their review
(draft -> submitted -> approved or returned), suggested equivalences (suggested -> confirmed or
rejected), users, and the audit log. The JSON API under /api and the pages beside it."""

from __future__ import annotations

import os
import secrets
from html import escape
from typing import Annotated, Any, get_origin
from urllib.parse import parse_qs

import yaml
from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from models import Equivalence

from ..report import cohort_tabular
from ..service import CohortResult, built
from ..store import Role
from ..store import accounts as accounts
from ..store import work as work
from .access import account_of, own_or_admin
from .api import WorkspaceDep, _json, proof_of
from .pages import page
from .requests import PlanRequest, plan_of
from .tables import download
from .workspace import Workspace

api = APIRouter(prefix="/api", tags=["saved work"])
pages = APIRouter(include_in_schema=False)
NOTE = Field(default=None, max_length=2000)


class SavePlan(PlanRequest):
    """A plan to keep: the plan question and the name it is kept under."""

    name: str = Field(min_length=1, max_length=200)


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = NOTE


class EquivalenceRequest(BaseModel):
    """A suggested equivalence: achieved units that should count in place of a target unit."""

    model_config = ConfigDict(extra="forbid")
    target: str = Field(min_length=1, max_length=20)
    achieved: list[str] = Field(min_length=1, max_length=20)
    qualification: str | None = Field(default=None, max_length=20)
    note: str | None = NOTE

    def declared(self) -> Equivalence:
        return built(Equivalence, id="suggested", target=self.target, achieved=self.achieved,
                     qualification=self.qualification or None, source={"document": "suggested on the planner"})


class UserRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)
    role: Role
    password: str = Field(min_length=1, max_length=200)


async def save_plan(request: Request, ws: Workspace, req: SavePlan) -> work.SavedView:
    answer = await plan_of(request, ws, PlanRequest(**req.model_dump(exclude={"name"})))
    question = req.model_dump(mode="json", exclude={"name"}, exclude_defaults=True) | {
        "qualification": req.qualification}
    return await run_in_threadpool(work.save, ws.store, "plan", req.name, account_of(request).name, proof_of(answer),
                                   question, answer.model_dump(mode="json"), req.qualification)


# -- saved work ---------------------------------------------------------------------------------
@api.get("/saved", response_model=list[work.SavedView],
         summary="Saved plans, cohort plans and compare runs, newest first (without their answers)")
async def saved_list(ws: WorkspaceDep, kind: str | None = None) -> Response:
    return Response(work.saved_json(ws.store, kind), media_type="application/json")


@api.post("/plans", response_model=work.SavedView, status_code=201, summary="Plan and keep the plan under a name")
async def plans_save(request: Request, ws: WorkspaceDep, req: SavePlan) -> Response:
    view = await save_plan(request, ws, req)
    return Response(view.model_dump_json(), status_code=201, media_type="application/json",
                    headers={"Location": f"/api/saved/{view.id}"})


@api.get("/saved/{item}.{suffix}", summary="A saved item's answer as CSV or XLSX")
def saved_download(ws: WorkspaceDep, item: int, suffix: str) -> Response:
    view = work.saved_one(ws.store, item)
    data: Any = view.answer
    if view.kind == "cohort":
        data = cohort_tabular(CohortResult.model_validate(view.answer))
    elif view.kind == "compare":
        data = (view.answer or {}).get("rows", [])
    return download(data, suffix, f"roc-{view.kind}-{item}", name=view.kind)


@api.get("/saved/{item}", response_model=work.SavedView, summary="One saved item, with its question and answer")
def saved_get(ws: WorkspaceDep, item: int) -> Response:
    return _json(work.saved_one(ws.store, item))


def _step(request: Request, ws: Workspace, item: int, action: str, note: str | None) -> work.SavedView:
    if action == "submit":
        own_or_admin(request, work.saved_one(ws.store, item).owner, f"saved work {item}")
    return work.step(ws.store, item, action, account_of(request).name, note)


@api.post("/saved/{item}/submit", response_model=work.SavedView, summary="Submit a draft (or a returned one)")
def saved_submit(request: Request, ws: WorkspaceDep, item: int, body: Note | None = None) -> Response:
    return _json(_step(request, ws, item, "submit", body.note if body else None))


@api.post("/saved/{item}/approve", response_model=work.SavedView, summary="Approve a submitted item")
def saved_approve(request: Request, ws: WorkspaceDep, item: int, body: Note | None = None) -> Response:
    return _json(_step(request, ws, item, "approve", body.note if body else None))


@api.post("/saved/{item}/return", response_model=work.SavedView, summary="Return a submitted item, with a note")
def saved_return(request: Request, ws: WorkspaceDep, item: int, body: Note) -> Response:
    return _json(_step(request, ws, item, "return", body.note))


@api.delete("/saved/{item}", status_code=204, summary="Delete a saved item (its owner or an admin)")
def saved_delete(request: Request, ws: WorkspaceDep, item: int) -> Response:
    _delete(request, ws, item)
    return Response(status_code=204)


def _delete(request: Request, ws: Workspace, item: int) -> None:
    own_or_admin(request, work.saved_one(ws.store, item).owner, f"saved work {item}")
    work.delete_saved(ws.store, item, account_of(request).name)


@api.get("/uploads", response_model=list[work.UploadView],
         summary="Every uploaded qualification file, every version: who sent it and when (oldest first)")
def uploads_list(ws: WorkspaceDep) -> list[work.UploadView]:
    return [view for _, view, _ in work.uploads(ws.store)]


# -- equivalences -------------------------------------------------------------------------------
@api.get("/equivalences", response_model=list[work.EquivalenceView], summary="Suggested and decided equivalences")
def equivalences_list(ws: WorkspaceDep, state: str | None = None) -> list[work.EquivalenceView]:
    return work.equivalences(ws.store, state)


@api.get("/equivalences.yaml", summary="The confirmed equivalences as an equivalence file (--equivalences FILE)")
def equivalences_file(ws: WorkspaceDep) -> Response:
    entries = [e.model_dump(mode="json", exclude_none=True) for e in work.confirmed(ws.store)]
    text = "# Equivalences confirmed on the roc planner: pass this file to roc transfer --equivalences\n" + \
        yaml.safe_dump({"equivalences": entries}, sort_keys=False, allow_unicode=True)
    return Response(text, media_type="application/yaml",
                    headers={"Content-Disposition": 'attachment; filename="roc-equivalences.yaml"'})


@api.post("/equivalences", response_model=work.EquivalenceView, status_code=201, summary="Suggest an equivalence")
def equivalences_suggest(request: Request, ws: WorkspaceDep, req: EquivalenceRequest) -> work.EquivalenceView:
    return work.suggest_equivalence(ws.store, req.declared(), account_of(request).name, req.note)


def _decide(request: Request, ws: Workspace, item: int, confirm: bool, note: str | None) -> work.EquivalenceView:
    found = work.decide_equivalence(ws.store, item, confirm, account_of(request).name, note)
    ws.equivalences_changed()
    return found


@api.post("/equivalences/{item}/confirm", response_model=work.EquivalenceView, summary="Confirm a suggestion")
def equivalences_confirm(request: Request, ws: WorkspaceDep, item: int, body: Note | None = None
                         ) -> work.EquivalenceView:
    return _decide(request, ws, item, True, body.note if body else None)


@api.post("/equivalences/{item}/reject", response_model=work.EquivalenceView, summary="Reject a suggestion")
def equivalences_reject(request: Request, ws: WorkspaceDep, item: int, body: Note | None = None
                        ) -> work.EquivalenceView:
    return _decide(request, ws, item, False, body.note if body else None)


# -- people and the log -------------------------------------------------------------------------
@api.get("/me", summary="Who is asking, and as what")
def me(request: Request) -> dict[str, str]:
    who = account_of(request)
    return {"name": who.name, "role": who.role.value}


@api.get("/users", summary="The users (admins)")
def users_list(ws: WorkspaceDep) -> list[dict[str, Any]]:
    return [{"name": n, "role": r.value, "active": a} for n, r, a in accounts.users(ws.store)]


@api.post("/users", status_code=201, summary="Add a user (admins)")
def users_add(request: Request, ws: WorkspaceDep, req: UserRequest) -> dict[str, str]:
    who = _add_user(request, ws, req)
    return {"name": who.name, "role": who.role.value}


def _add_user(request: Request, ws: Workspace, req: UserRequest) -> accounts.Account:
    who = accounts.add_user(ws.store, req.name, req.role, req.password, by=account_of(request).name)
    request.app.state.gate.forget()
    return who


class UserChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    active: bool | None = None


@api.post("/users/{name}", summary="Change a user's role, or disable or enable them (admins)")
def users_change(request: Request, ws: WorkspaceDep, name: str, req: UserChange) -> dict[str, str]:
    who = _change_user(request, ws, name, req)
    return {"name": who.name, "role": who.role.value}


def _change_user(request: Request, ws: Workspace, name: str, req: UserChange) -> accounts.Account:
    who = accounts.change_user(ws.store, name, account_of(request).name, req.role, req.active)
    request.app.state.gate.forget()  # their next request is answered as what they are now
    return who


@api.get("/audit", response_model=list[work.AuditView], summary="The audit log, newest first (admins)")
def audit_list(ws: WorkspaceDep, limit: Annotated[int, Query(ge=1, le=100_000)] = 1000) -> list[work.AuditView]:
    return work.audit_log(ws.store, limit)


@api.get("/audit.csv", summary="The whole audit log as CSV (admins)")
def audit_csv(ws: WorkspaceDep) -> Response:
    entries = [entry.model_dump(mode="json") for entry in work.audit_log(ws.store, 10_000_000)]
    return download(entries, "csv", "roc-audit", name="audit")  # text that would start a formula is inert


# -- pages --------------------------------------------------------------------------------------
@pages.post("/q/{key:path}/save", response_class=HTMLResponse)
async def save_plan_page(request: Request, workspace: WorkspaceDep, key: str) -> HTMLResponse:
    """The plan the page shows (its query, as `GET /api/plan` takes it), kept under a name."""
    form = await request.form()
    known = SavePlan.model_fields
    fields = {k: v if get_origin(known[k].annotation) is list else v[-1]
              for k, v in parse_qs(str(form.get("asked") or "")).items() if k in known}
    req = built(SavePlan, **(fields | {"qualification": key, "name": str(form.get("name") or "")}))
    saved = await save_plan(request, workspace, req)
    return HTMLResponse(f'<p class="ok" role="status">Saved as <a href="/saved/{saved.id}">{escape(saved.name)}</a> '
                        f'(draft, {escape(saved.proof)}).</p>')


@pages.get("/saved", response_class=HTMLResponse)
def saved_page(request: Request, ws: WorkspaceDep) -> HTMLResponse:
    return page(request, "saved.html", title="Saved", items=work.saved(ws.store), jobs=work.jobs(ws.store))


@pages.get("/saved/{item}", response_class=HTMLResponse)
def saved_item_page(request: Request, ws: WorkspaceDep, item: int) -> HTMLResponse:
    return page(request, "saved_item.html", title=f"Saved {item}", item=work.saved_one(ws.store, item))


def _stepped(request: Request, ws: Workspace, item: int, action: str, note: str) -> HTMLResponse:
    return page(request, "saved_row_fragment.html", item=_step(request, ws, item, action, note))


@pages.post("/saved/{item}/submit", response_class=HTMLResponse)
def saved_submit_page(request: Request, ws: WorkspaceDep, item: int, note: Annotated[str, Form()] = ""
                      ) -> HTMLResponse:
    return _stepped(request, ws, item, "submit", note)


@pages.post("/saved/{item}/approve", response_class=HTMLResponse)
def saved_approve_page(request: Request, ws: WorkspaceDep, item: int, note: Annotated[str, Form()] = ""
                       ) -> HTMLResponse:
    return _stepped(request, ws, item, "approve", note)


@pages.post("/saved/{item}/return", response_class=HTMLResponse)
def saved_return_page(request: Request, ws: WorkspaceDep, item: int, note: Annotated[str, Form()] = ""
                      ) -> HTMLResponse:
    return _stepped(request, ws, item, "return", note)


@pages.post("/saved/{item}/delete", response_class=HTMLResponse)
def saved_delete_page(request: Request, ws: WorkspaceDep, item: int) -> HTMLResponse:
    """Delete a saved item (its owner or an admin): its row goes from the page."""
    _delete(request, ws, item)
    return HTMLResponse("")


@pages.get("/equivalences", response_class=HTMLResponse)
def equivalences_page(request: Request, ws: WorkspaceDep) -> HTMLResponse:
    return page(request, "equivalences.html", title="Equivalences", items=work.equivalences(ws.store))


@pages.post("/equivalences", response_class=HTMLResponse)
def equivalences_suggest_page(request: Request, ws: WorkspaceDep, target: Annotated[str, Form()],
                              achieved: Annotated[str, Form()], qualification: Annotated[str, Form()] = "",
                              note: Annotated[str, Form()] = "", reply: Annotated[str, Form()] = "row"
                              ) -> HTMLResponse:
    """A suggestion from the Equivalences page (answered with its row) or from a transfer's Maybe
    (`reply=words`: answered in words, where the button was)."""
    refs = achieved.replace(",", " ").split()
    req = built(EquivalenceRequest, target=target.strip(), achieved=refs, qualification=qualification.strip() or None,
                note=note)
    item = work.suggest_equivalence(ws.store, req.declared(), account_of(request).name, req.note)
    if reply == "words":
        return HTMLResponse(f'<span class="ok" role="status">Suggested for review '
                            f'(<a href="/equivalences#equivalence-{item.id}">equivalence {item.id}</a>)</span>')
    return page(request, "equivalence_row_fragment.html", e=item)


@pages.post("/equivalences/{item}/confirm", response_class=HTMLResponse)
def equivalences_confirm_page(request: Request, ws: WorkspaceDep, item: int, note: Annotated[str, Form()] = ""
                              ) -> HTMLResponse:
    return page(request, "equivalence_row_fragment.html", e=_decide(request, ws, item, True, note))


@pages.post("/equivalences/{item}/reject", response_class=HTMLResponse)
def equivalences_reject_page(request: Request, ws: WorkspaceDep, item: int, note: Annotated[str, Form()] = ""
                             ) -> HTMLResponse:
    return page(request, "equivalence_row_fragment.html", e=_decide(request, ws, item, False, note))


@pages.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, ws: WorkspaceDep) -> HTMLResponse:
    return page(request, "audit.html", title="Audit log", entries=work.audit_log(ws.store, 500))


@pages.get("/users", response_class=HTMLResponse)
def users_page(request: Request, ws: WorkspaceDep) -> HTMLResponse:
    return page(request, "users.html", title="Users", users=accounts.users(ws.store), roles=[r.value for r in Role])


@pages.post("/users/{name}", response_class=HTMLResponse)
def users_change_page(request: Request, ws: WorkspaceDep, name: str, role: Annotated[str, Form()] = "",
                      active: Annotated[str, Form()] = "") -> HTMLResponse:
    req = built(UserChange, role=role or None, active={"yes": True, "no": False}.get(active))
    who = _change_user(request, ws, name, req)
    state = {True: ", enabled", False: ", disabled", None: ""}[req.active]
    return HTMLResponse(f"<span class='ok' role='status'>{escape(who.name)} is {who.role.value}{state}.</span>")


@pages.post("/users", response_class=HTMLResponse)
def users_add_page(request: Request, ws: WorkspaceDep, name: Annotated[str, Form()], role: Annotated[str, Form()],
                   password: Annotated[str, Form()]) -> HTMLResponse:
    who = _add_user(request, ws, built(UserRequest, name=name.strip(), role=role, password=password))
    return HTMLResponse(f"<p class='ok' role='status'>Added {who.name} as {who.role.value}.</p>")


@pages.get("/health")
def health(ws: WorkspaceDep) -> JSONResponse:
    """Is the planner and its database up? (200, or 503 saying what is not)"""
    found = ws.store.health()
    ok = found["database"] == "ok"
    return JSONResponse({"status": "ok" if ok else "unavailable", **found}, status_code=200 if ok else 503,
                        headers={"X-Roc-Worker": str(os.getpid())})  # which server process answered


# -- logging in ---------------------------------------------------------------------------------
def _safe_next(target: str) -> str:
    """Where to go after logging in: a page of this planner, never another site."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", title="Log in", next=_safe_next(next), message=None)


@pages.post("/login", response_class=HTMLResponse)
def login(request: Request, ws: WorkspaceDep, name: Annotated[str, Form(max_length=100)],
          password: Annotated[str, Form(max_length=200)], next: Annotated[str, Form()] = "/") -> Response:
    address = request.client.host if request.client else "unknown"
    try:
        who = accounts.log_in(ws.store, name.strip(), password, address)
    except accounts.TooManyAttempts as exc:
        return _page_status(request, str(exc), next, 429)
    if who is None:
        return _page_status(request, "that name and password do not match an account", next, 401)
    request.session.clear()  # a new session for a new login: nothing carried over from before
    request.session.update({"user": who.name, "csrf": secrets.token_urlsafe(32)})
    return RedirectResponse(_safe_next(next), status_code=303)


def _page_status(request: Request, message: str, next: str, status: int) -> HTMLResponse:
    response = page(request, "login.html", title="Log in", next=_safe_next(next), message=message)
    response.status_code = status
    return response


@pages.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    if request.headers.get("HX-Request") == "true":  # htmx: the whole page goes to the login page
        return Response(headers={"HX-Redirect": "/login"})
    return RedirectResponse("/login", status_code=303)
