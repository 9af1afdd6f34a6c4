"""A specification uploaded to the planner: its draft qualification file opened for review beside
the words each value was read from (`roc import spec`), and saved to the catalogue once a
planner has checked and confirmed it (as an upload: every version kept, who and when)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from catalog.spec import draft_spec, draft_text
from models import InputError

from ..service import check_draft
from .access import account_of
from .api import WorkspaceDep, read_upload
from .pages import page
from .workspace import MAX_SCENARIOS, Workspace

router = APIRouter(include_in_schema=False)
SPEC_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request) -> HTMLResponse:
    return page(request, "import.html", title="Import")


@router.post("/import", response_class=HTMLResponse)
async def import_spec(request: Request, workspace: WorkspaceDep, file: Annotated[UploadFile, File()],
                      qualification: Annotated[str, Form(max_length=20)] = "") -> HTMLResponse:
    data = await read_upload(file, MAX_SCENARIOS)
    path = workspace.save(file.filename or "specification.txt", data, MAX_SCENARIOS, suffixes=SPEC_SUFFIXES)
    draft = await run_in_threadpool(lambda: workspace.loaded(lambda: draft_spec(path, qualification.strip() or None)))
    text = draft_text(draft).replace(str(path.parent) + "/", "")
    return page(request, "import_fragment.html", draft=draft, text=text, stem=path.stem,
                 checks=await run_in_threadpool(_checks, text))


def _checks(text: str) -> dict[str, Any]:
    """What `roc import spec` says after the draft (or why the draft does not load yet)."""
    try:
        checked = check_draft(text, "the draft")
    except InputError as exc:
        return {"error": str(exc), "findings": [], "minimum": None, "published": None}
    return {"error": None, "findings": checked.findings, "minimum": checked.minimum, "published": checked.published}


@router.post("/import/save", response_class=HTMLResponse)
def import_save(request: Request, workspace: WorkspaceDep, text: Annotated[str, Form(max_length=1 << 20)],
                name: Annotated[str, Form(max_length=100)] = "draft") -> HTMLResponse:
    """The reviewed draft (as edited on the page) into the catalogue, as an upload of its own."""
    key, qual = _saved(workspace, name, text, account_of(request).name)
    response = HTMLResponse(f'<p class="ok" role="status">Saved {qual.number} to the catalogue.</p>')
    response.headers["HX-Redirect"] = f"/q/{key}"
    return response


def _saved(workspace: Workspace, name: str, text: str, by: str) -> tuple[str, Any]:
    clean = "".join(c for c in name if c.isalnum() or c in "-_")[:80] or "draft"
    return workspace.upload(f"{clean}.yaml", text.encode(), by)
