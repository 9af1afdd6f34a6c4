"""The planner's pages: server-rendered HTML (Jinja), updated in place by htmx fragments.

Every form posts to a route here that answers with a fragment; an error answers with a fragment
naming the file or field (app.py), swapped in where the answer would have gone."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile as StarletteUpload

from catalog import load_learner_record
from catalog.register import funding_on, load_overlay
from models import AchievedUnit, InputError, Level, Measure

from ..report.charts import compare_drawing, money_drawing, whatif_drawing
from ..report.words import cohort_summary, published_figures, rule_lines
from ..service import MAX_CLASS, MAX_MONEY, WhatIfSummary, built, priced
from ..store import Role
from ..store import work as work
from . import api
from .access import account_of, require
from .api import JobsDep, WorkspaceDep
from .jobs import Jobs
from .requests import (
    CheckRequest,
    MoneyRequest,
    PlanRequest,
    SuggestRequest,
    TransferRequest,
    check_of,
    compare_of,
    glh_range_of,
    plan_of,
    suggestions_of,
    transfer_of,
)
from .workspace import Workspace

router = APIRouter(include_in_schema=False)
OBJECTIVES = ["minimise glh", "minimise tqt", "minimise credits", "maximise glh"]


def page(request: Request, name: str, **context: Any) -> HTMLResponse:
    """A page or fragment drawn from the package's Jinja templates."""
    return request.app.state.templates.TemplateResponse(request, name, context)




@router.get("/", response_class=HTMLResponse)
def catalogue_page(request: Request, workspace: WorkspaceDep) -> HTMLResponse:
    rows = api.entries(workspace)
    ranges = {row.key: glh_range_of(workspace, row.key) for row in rows}
    return page(request, "catalogue.html", title="Catalogue", rows=rows, ranges=ranges)


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request, workspace: WorkspaceDep, file: Annotated[UploadFile, File()]) -> HTMLResponse:
    data = await api.read_upload(file)
    key, qual = await run_in_threadpool(workspace.upload, file.filename or "upload.yaml", data,
                                        account_of(request).name)
    response = page(request, "uploaded_fragment.html", key=key, qual=qual)
    response.headers["HX-Redirect"] = f"/q/{key}"
    return response


@router.get("/q/{key:path}", response_class=HTMLResponse)
def qualification_page(request: Request, workspace: WorkspaceDep, key: str) -> HTMLResponse:
    qual = workspace.get(key)
    units = [{"unit": u, "groups": ", ".join(qual.groups_of(u.ref))} for u in qual.units]
    levels = sorted({u.level for u in qual.units})
    return page(request, "qualification.html", title=str(qual.number), qual=qual, key=key, units=units,
                 rules=[line.text for line in rule_lines(qual)], objectives=OBJECTIVES, levels=[lv.label for lv in levels],
                 all_levels=[lv.label for lv in Level], groups=[g.id for g in qual.groups],
                 published=published_figures(qual), shared=workspace.sharing_number(key))


@router.post("/q/{key:path}/audit", response_class=HTMLResponse)
async def audit(request: Request, workspace: WorkspaceDep, key: str) -> HTMLResponse:
    form = await request.form()
    units = [str(v) for v in form.getlist("units")]
    result = await run_in_threadpool(check_of, workspace, CheckRequest(qualification=key, units=units)) if units else None
    return page(request, "audit_fragment.html", result=result)


@router.post("/q/{key:path}/plan", response_class=HTMLResponse)
async def plan(request: Request, workspace: WorkspaceDep, key: str) -> HTMLResponse:
    form = await request.form()
    many = lambda name: [str(v) for v in form.getlist(name) if str(v).strip()]  # noqa: E731
    req = PlanRequest(qualification=key, objective=str(form.get("objective") or "minimise glh"),
                      include=many("include"), exclude=many("exclude"),
                      max_level=str(form.get("max_level")) if form.get("max_level") else None,
                      exclude_level=many("exclude_level"), exclude_group=many("exclude_group"),
                      exclude_title=many("exclude_title"))
    asked = urlencode(req.model_dump(exclude_defaults=True) | {"qualification": key}, doseq=True)
    return page(request, "plan_fragment.html", plan=await plan_of(request, workspace, req), asked=asked,
                 may_save=account_of(request).may(Role.planner), key=key)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, workspace: WorkspaceDep) -> HTMLResponse:
    return page(request, "compare.html", title="Compare", rows=api.entries(workspace), max_money=MAX_MONEY,
                 max_class=MAX_CLASS)


@router.get("/compare/results", response_class=HTMLResponse)
def compare_results(request: Request, workspace: WorkspaceDep) -> HTMLResponse:
    keys = [str(k) for k in request.query_params.getlist("qualification")]
    return _compared(request, workspace, keys, compare_of(workspace, keys))


@router.post("/compare/results", response_class=HTMLResponse)
async def compare_with_money(request: Request, workspace: WorkspaceDep) -> HTMLResponse:
    """The comparison with money, as `roc compare --funding --cost-per-glh --class-size` gives it:
    the LARS overlay `roc import lars` writes, a cost per GLH and a class size."""
    form = await request.form()
    keys = [str(k) for k in form.getlist("qualification")]
    given = {name: str(form.get(name)).strip() for name in MoneyRequest.model_fields if str(form.get(name) or "").strip()}
    money = built(MoneyRequest, **given)
    upload = form.get("funding")
    funding = upload if isinstance(upload, StarletteUpload) and upload.filename else None
    if money.asked or funding is not None:
        require(request, Role.analyst, "comparing with money")
    rows = compare_of(workspace, keys)
    rates = notes = None
    if funding is not None:
        path = workspace.save(funding.filename or "funding.yaml", await api.read_upload(funding))
        overlay = workspace.loaded(lambda: load_overlay(path))
        quals = [workspace.get(k) for k in (keys or [key for key, _, _ in workspace.qualifications()])]
        rates, notes = workspace.loaded(lambda: funding_on(overlay, quals, money.on or date.today(),
                                                           money.funding_category))
    if rates is None and not money.asked:
        return _compared(request, workspace, keys, rows)
    found = priced(rows, rates, money.cost_per_glh, money.class_size, notes)
    question = {"qualifications": keys, "money": money.model_dump(mode="json", exclude_none=True),
                "funding_file": funding.filename if funding is not None else None}
    await run_in_threadpool(work.save, workspace.store, "compare", f"compare with money, {date.today():%d %b %Y}",
                            account_of(request).name, "complete", question,
                            {"rows": [r.model_dump(mode="json") for r in found]})
    return _compared(request, workspace, keys, found, money=True)


def _compared(request: Request, workspace: Workspace, keys: list[str], found: list, money: bool = False
              ) -> HTMLResponse:
    rows = [r.model_dump(mode="json") for r in found]
    for row, key in zip(rows, keys or [key for key, _, _ in workspace.qualifications()]):
        row["key"] = key  # the link: an upload's key, never another qualification with its number
    query = "&".join(f"qualification={k}" for k in keys)
    money_chart = None
    if money and any(r.get("funding_rate") is not None or r.get("cost_per_learner") is not None for r in rows):
        money_chart = _inline(money_drawing(rows, "svg"))
    return page(request, "compare_fragment.html", rows=rows, chart=_inline(compare_drawing(rows, "svg")),
                 query=query, money=money, money_chart=money_chart)


def _inline(svg: bytes) -> str:
    """A chart the CLI draws (`--chart`), as SVG to put in a page: without its XML prologue."""
    text = svg.decode()
    return text[text.index("<svg"):]


@router.get("/transfer", response_class=HTMLResponse)
def transfer_page(request: Request, workspace: WorkspaceDep) -> HTMLResponse:
    return page(request, "transfer.html", title="Transfer", quals=list(workspace.qualifications()))


@router.post("/transfer", response_class=HTMLResponse)
async def transfer(request: Request, workspace: WorkspaceDep, to: Annotated[str, Form()],
                   achieved: Annotated[list[str] | None, Form()] = None,
                   typed: Annotated[str, Form()] = "", minimise: Annotated[Measure, Form()] = Measure.glh,
                   record: Annotated[UploadFile | None, File()] = None) -> HTMLResponse:
    refs = list(dict.fromkeys(list(achieved or []) + typed.replace(",", " ").split()))  # a unit ticked twice: once
    records: list[AchievedUnit] = []
    if record is not None and record.filename:
        path = workspace.save(record.filename, await api.read_upload(record))
        records = workspace.loaded(lambda: load_learner_record(path)).achieved
        refs += [str(u.ref) for u in records]
    if not refs:
        raise InputError("pick the learner's achieved units, type their references, or upload a learner record",
                         field="achieved")
    result = await run_in_threadpool(transfer_of, workspace, TransferRequest(to=to, achieved=refs, minimise=minimise))
    found = await run_in_threadpool(suggestions_of, workspace, SuggestRequest(to=to, achieved=refs), records)
    return page(request, "transfer_fragment.html", result=result, suggestions=found)


@router.get("/whatif", response_class=HTMLResponse)
def whatif_page(request: Request, workspace: WorkspaceDep) -> HTMLResponse:
    return page(request, "whatif.html", title="What-if", rows=api.entries(workspace), objectives=OBJECTIVES)


@router.post("/whatif/upload", response_class=HTMLResponse)
async def whatif_upload(request: Request, workspace: WorkspaceDep, jobs: JobsDep,
                        file: Annotated[UploadFile, File()]) -> HTMLResponse:
    data = await api.read_upload(file, api.MAX_SCENARIOS)
    job = await run_in_threadpool(api.start_upload, workspace, jobs, file.filename or "scenarios.jsonl", data,
                                  account_of(request).name)
    return _job(request, jobs, job.id)


@router.post("/whatif/grid", response_class=HTMLResponse)
def whatif_grid(request: Request, workspace: WorkspaceDep, jobs: JobsDep,
                qualification: Annotated[list[str] | None, Form()] = None,
                objective: Annotated[list[str] | None, Form()] = None, glh_percent: Annotated[str, Form()] = "",
                each_unit: Annotated[bool, Form()] = False,
                withdraw_each: Annotated[bool, Form()] = False) -> HTMLResponse:
    job = api.start_grid(workspace, jobs, qualification or [], objective, glh_percent, each_unit, withdraw_each,
                         account_of(request).name)
    return _job(request, jobs, job.id)


@router.get("/whatif/jobs/{job_id}", response_class=HTMLResponse)
def whatif_job(request: Request, jobs: JobsDep, job_id: str) -> HTMLResponse:
    return _job(request, jobs, job_id)


def _job(request: Request, jobs: Jobs, job_id: str) -> HTMLResponse:
    job = api.job_of(jobs, job_id)
    status = job.status()
    summary = status.get("summary") or {"goals": [], "scenarios": []}
    # the scenarios that move the objective most first (the largest cut or rise), then the rest
    ordered = sorted(summary["scenarios"], key=lambda r: (r["change"] is None, -abs(r["change"] or 0), r["id"]))
    chart = None
    if any(g["lowest"] is not None for g in summary["goals"]):
        chart = _inline(whatif_drawing(WhatIfSummary.model_validate(summary), "svg"))
    return page(request, "job_fragment.html", job=job, status=status, goals=summary["goals"], chart=chart,
                 scenarios=ordered[:500], more=max(0, len(ordered) - 500))


@router.get("/cohort", response_class=HTMLResponse)
def cohort_page(request: Request) -> HTMLResponse:
    return page(request, "cohort.html", title="Cohort")


@router.post("/cohort", response_class=HTMLResponse)
async def cohort(request: Request, workspace: WorkspaceDep, file: Annotated[UploadFile, File()],
                 class_size: Annotated[str, Form()] = "", min_class_size: Annotated[str, Form()] = "",
                 max_classes: Annotated[str, Form()] = "", cost_per_glh: Annotated[str, Form()] = "",
                 name: Annotated[str, Form(max_length=200)] = "") -> HTMLResponse:
    limits = api.CohortLimits(class_size=_number(class_size, "class_size", whole=True),
                              min_class_size=_number(min_class_size, "min_class_size", whole=True),
                              max_classes=_number(max_classes, "max_classes", whole=True),
                              cost_per_glh=_number(cost_per_glh, "cost_per_glh"))
    planned = await api.cohort_of(request, workspace, file, limits, name)
    return page(request, "cohort_fragment.html", result=planned.result, key=planned.key, saved=planned.saved,
                 summary=cohort_summary(planned.result))


def _number(text: str, field: str, whole: bool = False) -> Any:
    """A form's number: empty for none; a whole number (1 to 1,000), or money in pounds and pence."""
    text = text.strip().removeprefix("£").replace(",", "")
    if not text:
        return None
    try:
        value = int(text) if whole else round(float(text), 2)
    except ValueError:
        value = None
    top = MAX_CLASS if whole else MAX_MONEY
    if value is None or not (1 if whole else 0) <= value <= top or value != value:
        kind = "a whole number from 1 to 1,000" if whole else "an amount in pounds, such as 30.50"
        raise InputError(f"{text!r} is not {kind}", field=field)
    return value
