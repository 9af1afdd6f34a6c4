"""The JSON HTTP API: the CLI's JSON, over HTTP (OpenAPI at /docs). Answers are sent as the
result models' own JSON, so `GET /api/plan` gives what `roc plan --json` prints."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, NamedTuple

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.datastructures import UploadFile as StarletteUpload

from catalog.cohort import load_cohort
from models import InputError, JobState, Measure, UnitRef

from ..report import cohort_tabular
from ..service import (
    MAX_CLASS,
    MAX_MONEY,
    THRESHOLD,
    Alternatives,
    CatalogueEntry,
    CheckResult,
    CohortResult,
    ComparisonRow,
    CountResult,
    GridQuestion,
    Plan,
    Suggestions,
    TransferResult,
    built,
    listing,
    plan_cohort,
    whatif_expand,
)
from ..store import Role
from ..store import work as work
from ..store.work import JobView, SavedView
from .access import account_of, own_or_admin, require
from .jobs import Job, Jobs
from .requests import (
    CheckRequest,
    PlanRequest,
    SuggestRequest,
    TransferRequest,
    check_of,
    compare_of,
    count_of,
    pair_suggestions_of,
    plan_of,
    suggestions_of,
    transfer_of,
)
from .tables import download
from .workspace import MAX_SCENARIOS, MAX_UPLOAD, Workspace

router = APIRouter(prefix="/api", tags=["api"])


def workspace_of(request: Request) -> Workspace:
    return request.app.state.workspace


def jobs_of(request: Request) -> Jobs:
    return request.app.state.jobs


WorkspaceDep = Annotated[Workspace, Depends(workspace_of)]
JobsDep = Annotated[Jobs, Depends(jobs_of)]


def _json(model: BaseModel) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")


class Listed(CatalogueEntry):
    """`roc list --json`'s entry, with what names it in this server's URLs (`key`) and whether a
    user uploaded it (the differences are listed in tests/web/test_same_json.py)."""

    key: str
    uploaded: bool


def entries(workspace: Workspace) -> list[Listed]:
    known = list(workspace.qualifications())
    return [Listed(key=key, uploaded=uploaded, **dict(entry))
            for (key, _, uploaded), entry in zip(known, listing(q for _, q, _ in known))]


@router.get("/qualifications", response_model=list[Listed],
            summary="The catalogue and the uploaded qualifications (`roc list --json`)")
def qualifications(workspace: WorkspaceDep) -> Response:
    return Response("[" + ",".join(e.model_dump_json() for e in entries(workspace)) + "]", media_type="application/json")


@router.post("/qualifications", summary="Upload a qualification file (YAML or JSON)", status_code=201)
async def upload(request: Request, workspace: WorkspaceDep, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    data = await read_upload(file)
    key, qual = await run_in_threadpool(workspace.upload, file.filename or "upload.yaml", data,
                                        account_of(request).name)
    shared = workspace.sharing_number(key)
    warnings = [f"{qual.number} is also the number of {', '.join(shared)}: ask for this one by its key {key}"] \
        if shared else []
    return {"key": key, "number": str(qual.number), "title": qual.title, "warnings": warnings}


@router.get("/qualifications/{key:path}", summary="A qualification as its file holds it (`roc show --json`)")
def qualification(workspace: WorkspaceDep, key: str) -> dict[str, Any]:
    return workspace.get(key).file_data()


@router.get("/plan", response_model=Plan | Alternatives, summary="The optimal valid set (`roc plan --json`)")
async def plan_get(request: Request, workspace: WorkspaceDep, req: Annotated[PlanRequest, Query()]) -> Response:
    hit = workspace.peek(("json",) + req.key())  # a repeated request: its answer as JSON, at once
    if hit is None:
        answer = await plan_of(request, workspace, req)
        hit = answer.model_dump_json()
        if workspace.peek(req.key()) is not None:  # kept as final: its JSON is kept beside it
            workspace.cached(("json",) + req.key(), lambda: hit)
            # and under the query as sent, for CachedPlans to answer the same query again at once
            workspace.cached((RAW_PLAN, request.url.query), lambda: hit.encode())
    return Response(hit, media_type="application/json")


RAW_PLAN = "raw plan query"


@router.get("/plan.{suffix}", summary="The plan as a CSV or XLSX download (the query of `GET /api/plan`)")
async def plan_download(request: Request, workspace: WorkspaceDep, suffix: str,
                        req: Annotated[PlanRequest, Query()]) -> Response:
    answer = await plan_of(request, workspace, req)
    return download(answer.model_dump(mode="json"), suffix, f"roc-plan-{str(req.qualification).replace('/', '-')}")


@router.post("/plan", response_model=Plan | Alternatives,
             summary="The optimal valid set, or with `top` or `all_optimal` the alternatives (`roc plan --json`)")
async def plan_post(request: Request, workspace: WorkspaceDep, req: PlanRequest) -> Response:
    return _json(await plan_of(request, workspace, req))


@router.post("/check", response_model=CheckResult, summary="Is this set valid? (`roc check --json`)")
def check(workspace: WorkspaceDep, req: CheckRequest) -> Response:
    return _json(check_of(workspace, req))


@router.get("/count", response_model=CountResult, summary="How many valid sets (`roc count --json`)")
async def count(request: Request, workspace: WorkspaceDep, qualification: str, by: Measure | None = None
                ) -> Response:
    return _json(await count_of(request, workspace, qualification, by))


@router.post("/transfer", response_model=TransferResult, summary="Credit transfer (`roc transfer --json`)")
def transfer(workspace: WorkspaceDep, req: TransferRequest) -> Response:
    return _json(transfer_of(workspace, req))


@router.post("/transfer/suggestions", response_model=Suggestions,
             summary="Transfer suggestions: Match, Maybe, Miss (`roc transfer --suggest --json`'s suggestions)")
def transfer_suggestions(workspace: WorkspaceDep, req: SuggestRequest) -> Response:
    return _json(suggestions_of(workspace, req))


@router.get("/equivalences/suggest", response_model=Suggestions,
            summary="Every unit of one qualification against another (`roc equivalences suggest --json`)")
def equivalences_suggest(workspace: WorkspaceDep, source: str, target: str,
                         threshold: Annotated[float, Query(ge=0, le=1)] = THRESHOLD) -> Response:
    return _json(pair_suggestions_of(workspace, source, target, threshold))


@router.get("/compare", response_model=list[ComparisonRow], summary="Side by side (`roc compare --json`)")
def compare(workspace: WorkspaceDep, qualification: Annotated[list[str] | None, Query()] = None) -> Response:
    rows = compare_of(workspace, qualification or [])
    return Response("[" + ",".join(r.model_dump_json() for r in rows) + "]", media_type="application/json")


@router.get("/compare.{suffix}", summary="The comparison as a CSV or XLSX download")
def compare_download(workspace: WorkspaceDep, suffix: str, qualification: Annotated[list[str] | None, Query()] = None
                     ) -> Response:
    rows = [r.model_dump(mode="json") for r in compare_of(workspace, qualification or [])]
    return download(rows, suffix, "roc-compare", name="qualifications")


@router.post("/cohort", response_model=CohortResult, summary="Plan a cohort (`roc cohort plan --json`)")
async def cohort(request: Request, workspace: WorkspaceDep, file: Annotated[UploadFile, File()],
                 class_size: Annotated[int | None, Form(ge=1, le=MAX_CLASS)] = None,
                 min_class_size: Annotated[int | None, Form(ge=1, le=MAX_CLASS)] = None,
                 max_classes: Annotated[int | None, Form(ge=1, le=MAX_CLASS)] = None,
                 cost_per_glh: Annotated[float | None, Form(ge=0, le=MAX_MONEY, allow_inf_nan=False)] = None,
                 name: Annotated[str, Form(max_length=200)] = "") -> Response:
    """With a `name`, the cohort plan is also kept (saved work: see its `Location`)."""
    limits = CohortLimits(class_size=class_size, min_class_size=min_class_size, max_classes=max_classes,
                          cost_per_glh=cost_per_glh)
    planned = await cohort_of(request, workspace, file, limits, name)
    headers = {"Location": f"/api/saved/{planned.saved.id}"} if planned.saved else {}
    return Response(planned.result.model_dump_json(), media_type="application/json", headers=headers)


class CohortLimits(BaseModel):
    """What the form or the API gives beside the cohort file (it wins over the file's)."""

    class_size: int | None = None
    min_class_size: int | None = None
    max_classes: int | None = None
    cost_per_glh: float | None = None


class PlannedCohort(NamedTuple):
    key: str  # its downloads are kept under it while the server runs
    result: CohortResult
    saved: SavedView | None  # when it was given a name


async def cohort_of(request: Request, workspace: Workspace, file: UploadFile, limits: CohortLimits,
                    name: str = "") -> PlannedCohort:
    """The cohort's plan; with a name, kept as saved work too."""
    data = await read_upload(file)
    path = workspace.save(file.filename or "cohort.yaml", data)
    group = workspace.loaded(lambda: load_cohort(path, **limits.model_dump()))
    key = hashlib.sha256(data + limits.model_dump_json().encode()).hexdigest()[:16]
    result = await workspace.while_connected(request, ("cohort", key, workspace.equivalences_version()),
                                             lambda options: workspace.loaded(
        lambda: plan_cohort(group, workspace.get, _no_records, options, equivalences=workspace.equivalences)))
    workspace.cached(("cohort-download", key), lambda: result)  # its downloads, proven or not
    saved = None
    if name.strip():
        require(request, Role.planner, "saving a cohort plan")
        saved = await run_in_threadpool(save_cohort, workspace, account_of(request).name, name,
                                        file.filename or "cohort.yaml", data, limits.model_dump(exclude_none=True),
                                        result)
    return PlannedCohort(key, result, saved)


@router.get("/cohort/{key}.{suffix}", summary="A planned cohort as CSV or XLSX: schedule, class lists, plans")
def cohort_download(workspace: WorkspaceDep, key: str, suffix: str) -> Response:
    result = workspace.peek(("cohort-download", key))
    if result is None:
        raise InputError(f"no planned cohort {key!r} (plans are kept while the server runs)", field="cohort")
    return download(cohort_tabular(result), suffix, f"roc-cohort-{key}", name="cohort")


def proof_of(answer: Any) -> str:
    """A saved answer's proof, in a word or two: 'optimal', 'optimal (tie-break not proven)',
    'feasible', ..."""
    status = getattr(answer, "status", None)
    if status is None:
        return "complete"
    if getattr(answer, "settled", True) is False and status.proven:
        return f"{status.value} (tie-break not proven)"
    return str(status.value)


def save_cohort(ws: Workspace, who: str, name: str, filename: str, data: bytes, limits: dict[str, Any],
                result: CohortResult) -> work.SavedView:
    """A planned cohort, with the file it was planned from (so it can be planned again)."""
    question = {"file": filename, "content": data.decode("utf-8", "replace"), "limits": limits}
    return work.save(ws.store, "cohort", name, who, proof_of(result), question, result.model_dump(mode="json"))


def _no_records(path: str) -> list[UnitRef]:
    raise InputError(f"record {path!r}: the web planner does not read files from the server's disk; list the "
                     "learner's achieved units instead", field="learners")


# -- what-if jobs ----------------------------------------------------------------------------
@router.post("/whatif/jobs", status_code=202, summary="Start a what-if job from a scenario file")
async def whatif_upload(request: Request, workspace: WorkspaceDep, jobs: JobsDep, file: Annotated[UploadFile, File()]
                        ) -> dict[str, Any]:
    data = await read_upload(file, MAX_SCENARIOS)
    job = await run_in_threadpool(start_upload, workspace, jobs, file.filename or "scenarios.jsonl", data,
                                  account_of(request).name)
    return job.status()


@router.post("/whatif/grid", status_code=202, summary="Start a what-if job from a grid (`roc whatif expand`)")
def whatif_grid(request: Request, workspace: WorkspaceDep, jobs: JobsDep, qualification: Annotated[list[str], Form()],
                objective: Annotated[list[str] | None, Form()] = None, glh_percent: Annotated[str, Form()] = "",
                each_unit: Annotated[bool, Form()] = False, withdraw_each: Annotated[bool, Form()] = False) -> dict[str, Any]:
    return start_grid(workspace, jobs, qualification, objective, glh_percent, each_unit, withdraw_each,
                      account_of(request).name).status()


@router.get("/whatif/jobs", response_model=list[JobView], summary="Every what-if job, newest first")
def whatif_jobs(workspace: WorkspaceDep) -> list[JobView]:
    return work.jobs(workspace.store)


@router.delete("/whatif/jobs/{job_id}", status_code=204, summary="Delete a finished job and its results")
def whatif_delete(request: Request, jobs: JobsDep, job_id: str) -> Response:
    job = job_of(jobs, job_id)
    own_or_admin(request, job.view.owner, f"what-if job {job_id}")
    jobs.delete(job, account_of(request).name)
    return Response(status_code=204)


def start_upload(workspace: Workspace, jobs: Jobs, name: str, data: bytes, owner: str) -> Job:
    """A job from an uploaded scenario file, once every qualification it names is one the user
    may name (a catalogue number, or a key of their uploads)."""
    path = workspace.save(name, data, MAX_SCENARIOS, folder=jobs.new_folder())
    return jobs.start(workspace.confined(path), owner)


def start_grid(workspace: Workspace, jobs: Jobs, keys: list[str], objectives: list[str] | None, glh_percent: str,
               each_unit: bool, withdraw_each: bool, owner: str) -> Job:
    if not keys:
        raise InputError("choose at least one qualification", field="qualification")
    quals = [workspace.get(key) for key in keys]
    question = built(GridQuestion, objective=objectives or ["minimise glh"], glh_percent=glh_percent,
                     withdraw_each=withdraw_each, each_unit=each_unit)
    grid = whatif_expand(quals, question, [workspace.spec(key) for key in keys])
    return jobs.start(jobs.write_grid(grid), owner)


def job_of(jobs: Jobs, job_id: str) -> Job:
    job = jobs.get(job_id)
    if job is None:
        raise InputError(f"no what-if job {job_id!r} (jobs are kept until someone deletes them)", field="job")
    return job


@router.get("/whatif/jobs/{job_id}", summary="A job's state and, when done, its summary")
def whatif_status(jobs: JobsDep, job_id: str) -> JSONResponse:
    return JSONResponse(job_of(jobs, job_id).status())


@router.get("/whatif/jobs/{job_id}/results.{suffix}", summary="A job's results: jsonl (as written), csv or xlsx")
def whatif_results(jobs: JobsDep, job_id: str, suffix: str) -> Response:
    job = job_of(jobs, job_id)
    if job.state is not JobState.done:
        raise InputError(f"job {job_id} is {job.state.value}; its results are not complete", field="job")
    text = job.plain(job.results.read_text(encoding="utf-8"))
    if suffix == "jsonl":
        return Response(text, media_type="application/x-ndjson",
                        headers={"Content-Disposition": f'attachment; filename="roc-whatif-{job_id}.jsonl"'})
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    return download(records, suffix, f"roc-whatif-{job_id}", name="results")


async def read_upload(file: StarletteUpload, limit: int = MAX_UPLOAD) -> bytes:
    """The upload's bytes, read no further than one byte past `limit` (the saver then refuses it)."""
    return await file.read(limit + 1)
