"""The JSON API against the Python API it wraps, and its errors: always 4xx JSON naming the field,
never a 500 or a traceback."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from catalog import builtin
from solver import check, compare, count, plan, transfer
from solver.analysis.restrict import plan_restricted, restricted_units
from tests.fresh import fresh_app

ROOT = Path(__file__).resolve().parents[2]
README_SCHEMA_EXAMPLE = None


@pytest.fixture(scope="module")
def client():
    with TestClient(fresh_app(), raise_server_exceptions=False) as c:
        yield c


def _same(api: dict, model) -> None:
    expected = json.loads(model.model_dump_json())
    for answer in (api, expected):
        answer.pop("solve_seconds", None)
    assert api == expected


def test_qualifications_lists_the_catalogue(client):
    listed = client.get("/api/qualifications").json()
    assert [q["number"] for q in listed] == [str(q.number) for q in builtin()]
    assert all(q["key"] == q["number"].replace("/", "-") and not q["uploaded"] for q in listed)
    shown = client.get("/api/qualifications/601-4404-X").json()
    assert shown == builtin().get("601/4404/X").file_data()


@pytest.mark.parametrize("number", [str(q.number) for q in builtin()])
def test_plan_is_the_python_api_answer(client, number):
    qual = builtin().get(number)
    for objective in ("minimise glh", "maximise glh", "minimise tqt"):
        got = client.get("/api/plan", params={"qualification": number, "objective": objective})
        assert got.status_code == 200
        _same(got.json(), plan(qual, objective))


def test_plan_with_restrictions_posts_json(client):
    qual = builtin().get("601/4404/X")
    body = {"qualification": "601/4404/X", "objective": "minimise glh", "exclude": ["F/503/0392"],
            "max_level": "Level 1"}
    got = client.post("/api/plan", json=body).json()
    words, ruled_out = restricted_units(qual, (), "Level 1")
    _same(got, plan_restricted(qual, "minimise glh", (), ["F/503/0392"], words, ruled_out))
    assert got["restriction"]["cost"] == got["glh"] - plan(qual, "minimise glh").glh


def test_check_count_transfer_and_compare_mirror_the_python_api(client):
    qual = builtin().get("600/1686/3")
    units = ["A/601/6047", "K/601/6075"]
    _same(client.post("/api/check", json={"qualification": "600/1686/3", "units": units}).json(), check(qual, units))
    _same(client.get("/api/count", params={"qualification": "600-1686-3", "by": "glh"}).json(),
          count(qual, by="glh"))
    target = builtin().get("601/3972/9")
    _same(client.post("/api/transfer", json={"to": "601/3972/9", "achieved": ["L/506/2083"]}).json(),
          transfer(target, ["L/506/2083"], []))
    rows = client.get("/api/compare", params={"qualification": ["601/3972/9", "601/4404/X"]}).json()
    expected = compare([target, builtin().get("601/4404/X")], count_limit=10_000)
    assert rows == [json.loads(r.model_dump_json()) for r in expected]


def test_transfer_suggestions_mirror_the_python_api(client):
    from solver.analysis.suggest import suggest

    target, award = builtin().get("601/3972/9"), builtin().get("600/1686/3")
    got = client.post("/api/transfer/suggestions", json={"to": "601/3972/9", "achieved": ["T/601/6077"]})
    _same(got.json(), suggest(target, ["T/601/6077"], known=list(builtin())))
    assert got.json()["suggestions"][0]["target_unit"] == "H/506/2154"
    got = client.get("/api/equivalences/suggest", params={"source": "600-1686-3", "target": "601/3972/9"})
    _same(got.json(), suggest(target, [u.ref for u in award.units], source=award))


def test_compare_downloads_open_as_spreadsheets(client):
    got = client.get("/api/compare.csv", params={"qualification": ["601/4404/X"]})
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    row = next(csv.DictReader(io.StringIO(got.text)))
    assert (row["number"], row["min_glh"], row["max_glh"]) == ("601/4404/X", "143", "178")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/api/compare.xlsx").content))
    sheet = book[book.sheetnames[-1]]
    header = [c.value for c in sheet[1]]
    numbers = [r[header.index("number")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [str(q.number) for q in builtin()]
    assert client.get("/api/compare.pdf").status_code == 422


def test_upload_a_qualification_then_plan_it(client, tmp_path):
    text = (ROOT / "catalog" / "templates" / "qualification.yaml").read_text()
    got = client.post("/api/qualifications", files={"file": ("mine.yaml", text.encode())})
    assert got.status_code == 201
    key = got.json()["key"]
    assert key.startswith("upload-")
    assert any(q["key"] == key and q["uploaded"] for q in client.get("/api/qualifications").json())
    answer = client.get("/api/plan", params={"qualification": key}).json()
    assert answer["status"] == "optimal" and answer["glh"] == 67  # the README schema example's optimum
    again = client.post("/api/qualifications", files={"file": ("other-name.yaml", text.encode())})
    assert again.json()["key"] == key  # the same bytes are the same qualification


def test_a_bad_upload_is_a_422_naming_the_file_and_field(client):
    text = (ROOT / "catalog" / "templates" / "qualification.yaml").read_text()
    broken = text.replace("mandatory: true", "mandatroy: true", 1)
    got = client.post("/api/qualifications", files={"file": ("broken.yaml", broken.encode())})
    assert got.status_code == 422
    error = got.json()["error"]
    assert error.startswith("broken.yaml: ") and "'mandatroy'" in error and "did you mean 'mandatory'" in error
    assert "/tmp" not in error and "roc-web" not in error  # the server's folder is not the user's business
    got = client.post("/api/qualifications", files={"file": ("notes.txt", b"hello")})
    assert got.status_code == 422 and "expected a .yaml, .json or .csv file" in got.json()["error"]
    got = client.post("/api/qualifications", files={"file": ("big.yaml", b"#" * (2 << 20))})
    assert got.status_code == 413 and "the limit is 1,048,576" in got.json()["error"]


@pytest.mark.parametrize("method, path, payload", [
    ("post", "/api/plan", {"qualification": "601/4404/X", "objective": "maximise happiness"}),
    ("post", "/api/plan", {"qualification": "601/4404/X", "include": "F/503/0392"}),
    ("post", "/api/plan", {"qualification": "601/4404/X", "colour": "blue"}),
    ("post", "/api/plan", {"qualification": "601/4404/X", "include": ["Q/999/9999"]}),
    ("post", "/api/plan", {"qualification": "601/4404/X", "include": ["not a ref"]}),
    ("post", "/api/plan", {"qualification": "601/4404/X", "max_level": "Level 99"}),
    ("post", "/api/plan", {}),
    ("post", "/api/plan", "not json at all"),
    ("post", "/api/check", {"qualification": "601/4404/X", "units": [1, 2]}),
    ("post", "/api/transfer", {"to": "601/4404/X", "achieved": []}),
    ("post", "/api/transfer", {"to": "601/4404/X", "achieved": ["L/506/2083"], "minimise": "credits"}),
    ("post", "/api/transfer/suggestions", {"to": "601/4404/X", "achieved": ["L/506/2083"], "threshold": 7}),
    ("get", "/api/equivalences/suggest?source=601/4404/X&target=601-4404-X", None),
    ("get", "/api/equivalences/suggest?source=601/4404/X", None),
    ("get", "/api/count?qualification=601/4404/X&by=colour", None),
    ("get", "/api/plan?qualification=", None),
    ("get", "/api/whatif/jobs/nope", None),
])
def test_bad_requests_are_4xx_json_never_500(client, method, path, payload):
    if isinstance(payload, str):
        got = client.request(method.upper(), path, content=payload, headers={"content-type": "application/json"})
    else:
        got = client.request(method.upper(), path, json=payload)
    assert 400 <= got.status_code < 500, got.text
    body = got.json()
    assert set(body) == {"error", "field"} and body["error"] and "Traceback" not in body["error"]


def _finish(client, job_id: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(f"/api/whatif/jobs/{job_id}").json()
        if status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_whatif_grid_job_runs_and_downloads(client):
    got = client.post("/api/whatif/grid", data={"qualification": ["600-1686-3"], "glh_percent": "-10:10:10"})
    assert got.status_code == 202
    status = _finish(client, got.json()["id"])
    assert status["state"] == "done" and status["total"] == status["done"] == 3  # baseline, -10 %, +10 %
    goals = status["summary"]["goals"]
    assert goals[0]["baseline"] == plan(builtin().get("600/1686/3"), "minimise glh").glh == 57
    assert goals[0]["lowest"] < 57 < goals[0]["highest"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/whatif/jobs/{status['id']}/results.csv").text)))
    assert len(rows) == 3 and {r["status"] for r in rows} == {"optimal"}
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/whatif/jobs/{status['id']}/results.xlsx").content))
    assert book[book.sheetnames[-1]].max_row == 4  # a header and three scenarios
    lines = client.get(f"/api/whatif/jobs/{status['id']}/results.jsonl").text.splitlines()
    assert len(lines) == 3 and all(json.loads(line)["status"] == "optimal" for line in lines)


def test_a_bad_scenario_file_fails_its_job_with_the_reason(client):
    got = client.post("/api/whatif/jobs", files={"file": ("s.jsonl", b'{"id": "a", "qualification": "601/4404/X", '
                                                                     b'"objective": "minimise glh"}\n{not json\n')})
    assert got.status_code == 202
    status = _finish(client, got.json()["id"])
    assert status["state"] == "done"
    scenarios = {s["id"]: s["status"] for s in status["summary"]["scenarios"]}
    assert scenarios == {"a": "optimal", "s.jsonl:2": "error"}  # the bad line is an error record; no server path
    assert "roc-web" not in json.dumps(status)


def test_cohort_plan_uploads_a_cohort(client):
    text = (ROOT / "tests" / "fixtures" / "cohort.yaml").read_bytes()
    got = client.post("/api/cohort", files={"file": ("cohort.yaml", text)})
    assert got.status_code == 200, got.text
    answer = got.json()
    assert (answer["taught_alone_hours"], answer["baseline_hours"], answer["hours_taught"], answer["classes"]) == \
        (530, 258, 247, 13)
    limited = client.post("/api/cohort", files={"file": ("cohort.yaml", text)}, data={"max_classes": "1"}).json()
    assert [u["id"] for u in limited["unserved"]] == ["cal"] and limited["limit_costs"][0]["hours_without"] == 247
    bad = client.post("/api/cohort", files={"file": ("cohort.yaml", b"learners: []\n")})
    assert bad.status_code == 422 and bad.json()["error"].startswith("cohort.yaml")
    record = client.post("/api/cohort", files={"file": ("c.yaml", b"learners:\n  - {id: a, qualification: "
                                                                 b"601/4404/X, record: /etc/passwd}\n")})
    assert record.status_code == 422 and "does not read files from the server's disk" in record.json()["error"]


def test_jobs_are_kept_until_deleted_and_a_deleted_job_takes_its_files(client):
    first = _finish(client, client.post("/api/whatif/grid", data={"qualification": ["600-7736-0"]}).json()["id"])
    folder = client.app.state.jobs.get(first["id"]).folder
    second = _finish(client, client.post("/api/whatif/grid", data={"qualification": ["600-7736-0"]}).json()["id"])
    listed = [j["id"] for j in client.get("/api/whatif/jobs").json()]
    assert first["id"] in listed and second["id"] in listed  # nothing forgotten behind the user's back
    assert client.delete(f"/api/whatif/jobs/{first['id']}").status_code == 204
    gone = client.get(f"/api/whatif/jobs/{first['id']}")
    assert gone.status_code == 404 and not folder.exists()
    assert client.get(f"/api/whatif/jobs/{second['id']}").json()["state"] == "done"

def test_a_saved_plan_keeps_its_question_answer_and_proof_and_downloads(client):
    import io

    import openpyxl

    asked = {"name": "Autumn", "qualification": "601-4404-X", "exclude": ["F/503/0392"]}
    saved = client.post("/api/plans", json=asked)
    assert saved.status_code == 201 and saved.headers["location"] == f"/api/saved/{saved.json()['id']}"
    kept = client.get(saved.headers["location"]).json()
    direct = client.get("/api/plan", params={"qualification": "601-4404-X", "exclude": "F/503/0392"}).json()
    assert (kept["proof"], kept["state"], kept["owner"]) == ("optimal", "draft", "local")
    assert kept["question"] == {"qualification": "601-4404-X", "exclude": ["F/503/0392"]}
    assert kept["answer"]["units"] == direct["units"] and kept["answer"]["glh"] == direct["glh"] == 149  # README
    csv_text = client.get(f"/api/saved/{kept['id']}.csv").text
    assert all(ref in csv_text for ref in direct["units"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/saved/{kept['id']}.xlsx").content))
    cells = {str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert set(direct["units"]) <= cells
    listed = [s for s in client.get("/api/saved").json() if s["id"] == kept["id"]]
    assert listed[0]["name"] == "Autumn" and "answer" not in listed[0]
