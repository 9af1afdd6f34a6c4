"""Everything a planning office keeps survives a restart of `roc serve`, on SQLite and PostgreSQL
alike: uploaded qualifications, saved plans (with their review), cohort plans, what-if studies
and their results, compare runs with money, users, tokens, reviewed equivalences and the audit
log. The server is a real process, stopped as Ctrl-C stops it and started again on the same
data; every saved thing is read back through the API and compared with what it was."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from solver.store import Role, Store
from solver.store import accounts as accounts
from tests.web.server import Server

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
TRANSFER = {"to": "601/3972/9", "achieved": ["T/601/6077", "A/601/6047"]}


def people(data: Path, database: str | None) -> dict[str, str]:
    store = Store(data, database)
    store.upgrade()
    tokens = {}
    for name, role in (("hugo", Role.admin), ("ana", Role.planner), ("ola", Role.analyst)):
        accounts.add_user(store, name, role, "correct horse")
        tokens[name] = accounts.create_token(store, name, "restart test")
    store.close()
    return tokens


def as_(tokens: dict[str, str], name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[name]}"}


def do_the_work(url: str, tokens: dict[str, str]) -> dict[str, object]:
    """A day's work, as three people: what it leaves behind, and a transfer before the equivalence."""
    with httpx.Client(base_url=url, timeout=120) as web:
        ana, hugo, ola = (as_(tokens, n) for n in ("ana", "hugo", "ola"))
        template = (ROOT / "catalog" / "templates" / "qualification.yaml").read_bytes()
        key = web.post("/api/qualifications", files={"file": ("mine.yaml", template)}, headers=ana).json()["key"]
        plan = web.post("/api/plans", json={"name": "Autumn", "qualification": "601-4404-X",
                                            "exclude": ["L/506/2083"]}, headers=ana).json()
        web.post(f"/api/saved/{plan['id']}/submit", headers=ana).raise_for_status()
        web.post(f"/api/saved/{plan['id']}/approve", json={"note": "fits the timetable"}, headers=hugo
                 ).raise_for_status()
        uploaded = web.post("/api/plans", json={"name": "Mine", "qualification": key}, headers=ana).json()
        web.post(f"/api/saved/{uploaded['id']}/submit", headers=ana).raise_for_status()
        web.post(f"/api/saved/{uploaded['id']}/return", json={"note": "needs a second group"}, headers=hugo
                 ).raise_for_status()
        cohort = web.post("/api/cohort", files={"file": ("cohort.yaml", (ROOT / "tests/fixtures/cohort.yaml").read_bytes())},
                          data={"name": "Year 12", "class_size": "12"}, headers=ana)
        assert cohort.status_code == 200 and cohort.headers["location"].startswith("/api/saved/")
        job = web.post("/api/whatif/grid", data={"qualification": ["600-7736-0", "601-4404-X"]}, headers=ola).json()
        while web.get(f"/api/whatif/jobs/{job['id']}", headers=ola).json()["state"] == "running":
            time.sleep(0.2)
        web.post("/compare/results", data={"qualification": ["601-4404-X"], "cost_per_glh": "30",
                                            "class_size": "12"}, headers=ola).raise_for_status()
        before = web.post("/api/transfer", json=TRANSFER, headers=ana).json()
        kept = web.post("/api/equivalences", json={"target": "H/506/2154", "achieved": ["T/601/6077"],
                                                   "qualification": "601/3972/9", "note": "same outcomes"},
                        headers=ana).json()
        dropped = web.post("/api/equivalences", json={"target": "L/506/2083", "achieved": ["A/601/6047"]},
                           headers=ana).json()
        web.post(f"/api/equivalences/{kept['id']}/confirm", json={"note": "checked"}, headers=hugo).raise_for_status()
        web.post(f"/api/equivalences/{dropped['id']}/reject", headers=hugo).raise_for_status()
        return {"job": job["id"], "upload": key, "transfer before": before}


def everything(url: str, tokens: dict[str, str], job: str, upload: str) -> dict[str, object]:
    """Every kind of saved work, as the API gives it."""
    with httpx.Client(base_url=url, timeout=120) as web:
        hugo = as_(tokens, "hugo")
        saved = web.get("/api/saved", headers=hugo).json()
        return {
            "saved": saved,
            "each": [web.get(f"/api/saved/{s['id']}", headers=hugo).json() for s in saved],
            "downloads": [_download(web, f"/api/saved/{s['id']}.{suffix}", hugo) for s in saved
                          for suffix in ("csv", "xlsx")],
            "jobs": web.get("/api/whatif/jobs", headers=hugo).json(),
            "job": web.get(f"/api/whatif/jobs/{job}", headers=hugo).json(),
            "results": web.get(f"/api/whatif/jobs/{job}/results.jsonl", headers=hugo).text,
            "qualifications": web.get("/api/qualifications", headers=hugo).json(),
            "upload": web.get(f"/api/qualifications/{upload}", headers=hugo).json(),
            "uploads": web.get("/api/uploads", headers=hugo).json(),
            "equivalences": web.get("/api/equivalences", headers=hugo).json(),
            "equivalence file": web.get("/api/equivalences.yaml", headers=hugo).text,
            "users": web.get("/api/users", headers=hugo).json(),
            "audit": web.get("/api/audit", headers=hugo).json(),
            "transfer": web.post("/api/transfer", json=TRANSFER, headers=as_(tokens, "ana")).json(),
        }


def _download(web: httpx.Client, path: str, headers: dict[str, str]) -> object:
    """A download's contents: a CSV's text, an XLSX's cells (read by openpyxl)."""
    import io

    import openpyxl

    answer = web.get(path, headers=headers)
    assert answer.status_code == 200, (path, answer.text[:200])
    if path.endswith(".csv"):
        return answer.text
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def without_time(transfer: dict) -> dict:
    return {k: v for k, v in transfer.items() if k != "solve_seconds"}


def test_every_kind_of_saved_work_survives_a_restart(database):
    data, url = database
    tokens = people(data, url)
    with Server(data, url) as server:
        made = do_the_work(server.url, tokens)
        first = everything(server.url, tokens, made["job"], made["upload"])
    with Server(data, url) as again:  # the same data, a new process: the tokens still work too
        second = everything(again.url, tokens, made["job"], made["upload"])
    first["transfer"], second["transfer"] = without_time(first["transfer"]), without_time(second["transfer"])
    assert second == first
    kinds = sorted((s["kind"], s["name"], s["state"]) for s in first["saved"])
    assert kinds == [("cohort", "Year 12", "draft"), ("compare", kinds[1][1], "draft"), ("plan", "Autumn", "approved"),
                     ("plan", "Mine", "returned")]
    assert first["job"]["state"] == "done" and first["results"].count("\n") == first["job"]["total"] > 0
    assert [e["state"] for e in first["equivalences"]] == ["confirmed", "rejected"]
    assert [(u["key"], u["uploaded_by"], u["filename"]) for u in first["uploads"]] == [(made["upload"], "ana", "mine.yaml")]
    # the confirmed equivalence counts in transfers, before the restart and after it
    # (H/506/2154 carries 3 credits and 16 GLH in NCFE's specification; nothing transferred before)
    assert (made["transfer before"]["credit_carried"], made["transfer before"]["mapping"]) == (0, [])
    [mapped] = first["transfer"]["mapping"]
    assert (mapped["target_unit"], mapped["achieved"], mapped["credits"]) == ("H/506/2154", ["T/601/6077"], 3)
    assert mapped["via"].startswith("equivalence confirmed-") and first["transfer"]["credit_carried"] == 3
    assert first["transfer"]["glh_to_deliver"] < made["transfer before"]["glh_to_deliver"]
    actions = [(e["actor"], e["action"]) for e in reversed(first["audit"])]
    for expected in [("ana", "upload"), ("ana", "save"), ("ana", "submit"), ("hugo", "approve"), ("hugo", "return"),
                     ("ola", "start what-if"), ("ana", "suggest"), ("hugo", "confirm"), ("hugo", "reject")]:
        assert expected in actions, expected


def test_with_two_workers_any_of_them_answers_for_any_job_and_upload(tmp_path):
    """`roc serve --workers 2`: every request on a new connection, so the two processes share them;
    each answers for the job and the upload the other one took."""
    tokens = people(tmp_path / "data", None)
    with Server(tmp_path / "data", None, "--workers", "2") as server:
        ola = as_(tokens, "ola")
        template = (ROOT / "catalog" / "templates" / "qualification.yaml").read_bytes()
        key = httpx.post(server.url + "/api/qualifications", files={"file": ("mine.yaml", template)},
                         headers=as_(tokens, "ana")).json()["key"]
        job = httpx.post(server.url + "/api/whatif/grid", data={"qualification": ["600-7736-0", "601-4404-X"]},
                         headers=ola).json()["id"]
        pids, states = set(), []
        for _ in range(200):  # a new connection each time
            answer = httpx.get(server.url + f"/api/whatif/jobs/{job}", headers=ola)
            assert answer.status_code == 200
            states.append(answer.json()["state"])
            plan = httpx.get(server.url + "/api/plan", params={"qualification": key}, headers=ola)
            assert plan.status_code == 200 and plan.json()["glh"] == 67  # the template's optimum (test_api)
            pids.add(httpx.get(server.url + "/health").headers.get("x-roc-worker"))
            if states[-1] == "done" and len(pids) > 1:
                break
            time.sleep(0.05)
        assert states[-1] == "done" and "failed" not in states
        assert len(pids) == 2, pids  # both processes answered
        results = httpx.get(server.url + f"/api/whatif/jobs/{job}/results.jsonl", headers=ola).text
        assert results.count("\n") == httpx.get(server.url + f"/api/whatif/jobs/{job}", headers=ola).json()["total"]
